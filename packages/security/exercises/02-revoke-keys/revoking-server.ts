// Exercise 02: revoke a client key while the Ironhouse server runs. As it is, this is the
// lesson's Ironhouse server: it reads the allowed keys once, at start, so a key removed from
// `allowDir` still gets in until a restart. Make the directory count at every new connection.
// See TASK.md.
import { join } from "node:path";
import { attach, closeOnAbort, type RoleControl, roleLog } from "@zmq-patterns/helpers";
import { Reply } from "zeromq";
import { readCertificate, readPublicKeys, SECRET_SUFFIX } from "#src/certs.ts";
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

export async function runRevokingServer(options: RevokingServerOptions): Promise<number> {
  const log = roleLog(options.name);
  const { secretKey } = readCertificate(options.cert);
  if (!secretKey) throw new Error(`${options.cert} holds no secret-key`);
  // TODO: this list is read once; keys added or removed later change nothing.
  const allowed = readPublicKeys(options.allowDir);
  const zap = await startZapHandler(({ credentials: [clientKey] }) => {
    const key = z85Encode(clientKey!);
    return allowed.has(key) ? allow(`client key ${key}`) : deny(`client key ${key} is not allowed`);
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
