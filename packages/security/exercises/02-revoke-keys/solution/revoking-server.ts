// Exercise 02, a reference solution: the Ironhouse server reads its directory of allowed keys
// at every new connection (libzmq asks ZAP once per handshake), so a key removed is refused and
// a key added is let in from the next connection on, without a restart. A file that does not
// read as a certificate (half written, or not one) is skipped with a warning.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import {
  attach,
  closeOnAbort,
  type Logger,
  type RoleControl,
  roleLog,
} from "@zmq-patterns/helpers";
import { Reply } from "zeromq";
import { PUBLIC_SUFFIX, readCertificate, SECRET_SUFFIX } from "#src/certs.ts";
import { ALLOWED_CLIENTS_DIR, CERTIFICATE_DIR, SERVER_PORT, ZAP_DOMAIN } from "#src/protocol.ts";
import { logHandshakeFailures, SERVER_SOCKET_OPTIONS, serveRequests } from "#src/serve.ts";
import { z85Encode } from "#src/z85.ts";
import { allow, deny, startZapHandler } from "#src/zap-handler.ts";

export const revokingServerDefaults = {
  bind: [`tcp://*:${SERVER_PORT}`],
  connect: [] as string[],
  cert: join(CERTIFICATE_DIR, `server${SECRET_SUFFIX}`),
  allowDir: ALLOWED_CLIENTS_DIR,
  name: "revoking-server",
};
export type RevokingServerOptions = typeof revokingServerDefaults & RoleControl;

/** The file holding `key` in `dir` now, if any; files that are not certificates are skipped. */
function findKey(dir: string, key: string, log: Logger): string | undefined {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(PUBLIC_SUFFIX)) continue;
    try {
      if (readCertificate(join(dir, name)).publicKey === key) return name;
    } catch (error) {
      log.warn(`skipped ${name}: ${(error as Error).message}`);
    }
  }
  return undefined;
}

export async function runRevokingServer(options: RevokingServerOptions): Promise<number> {
  const log = roleLog(options.name);
  const { secretKey } = readCertificate(options.cert);
  if (!secretKey) throw new Error(`${options.cert} holds no secret-key`);
  const zap = await startZapHandler(({ credentials: [clientKey] }) => {
    const key = z85Encode(clientKey!);
    const file = findKey(options.allowDir, key, log); // the directory as it is now
    return file ? allow(`client key ${key} (${file})`) : deny(`client key ${key} is not allowed`);
  });
  const socket = new Reply({
    ...SERVER_SOCKET_OPTIONS,
    curveServer: true,
    curveSecretKey: secretKey,
    zapDomain: ZAP_DOMAIN,
  });
  closeOnAbort(options.signal, socket);
  logHandshakeFailures(socket, log);
  try {
    const endpoints = await attach(socket, options, log);
    options.onReady?.(endpoints);
    return await serveRequests(socket, log);
  } finally {
    socket.close();
    await zap.close();
  }
}
