// Ironhouse server: CURVE both ways. As Stonehouse, and the ZAP handler lets in only clients
// whose public key is in a directory of certificates (the `.key` files keygen, czmq or pyzmq
// write). Talks to: ironhouse-client.ts, or pyzmq's. Run: pnpm --filter security
// ironhouse-server [--bind tcp://*:9000] [--cert certificates/server.key_secret] [--allow-dir certificates/allowed]
import { join } from "node:path";
import {
  attach,
  closeOnAbort,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Reply } from "zeromq";
import { readCertificate, readPublicKeys, SECRET_SUFFIX } from "./certs.ts";
import { ALLOWED_CLIENTS_DIR, CERTIFICATE_DIR, SERVER_PORT, ZAP_DOMAIN } from "./protocol.ts";
import { logHandshakeFailures, SERVER_SOCKET_OPTIONS, serveRequests } from "./serve.ts";
import { z85Encode } from "./z85.ts";
import { allow, deny, startZapHandler } from "./zap-handler.ts";

export const ironhouseServerDefaults = {
  bind: [`tcp://*:${SERVER_PORT}`],
  connect: [] as string[],
  /** The server's secret certificate. */
  cert: join(CERTIFICATE_DIR, `server${SECRET_SUFFIX}`),
  /** The public certificates of the clients let in (read once, at start). */
  allowDir: ALLOWED_CLIENTS_DIR,
  name: "ironhouse-server",
};
export type IronhouseServerOptions = typeof ironhouseServerDefaults & RoleControl;

export async function runIronhouseServer(options: IronhouseServerOptions): Promise<number> {
  const log = roleLog(options.name);
  const { secretKey } = readCertificate(options.cert);
  if (!secretKey) throw new Error(`${options.cert} holds no secret-key: give the _secret file`);
  const allowed = readPublicKeys(options.allowDir);
  log.info(`${allowed.size} client keys allowed, from ${options.allowDir}`);
  // #region zap
  const zap = await startZapHandler(({ credentials: [clientKey] }) => {
    const key = z85Encode(clientKey!);
    const file = allowed.get(key);
    return file
      ? allow(`client key ${key} (${file})`, file)
      : deny(`client key ${key} is not allowed`);
  });
  const socket = new Reply({
    ...SERVER_SOCKET_OPTIONS,
    curveServer: true,
    curveSecretKey: secretKey,
    zapDomain: ZAP_DOMAIN,
  });
  // #endregion zap
  closeOnAbort(options.signal, socket);
  logHandshakeFailures(socket, log);
  try {
    const endpoints = await attach(socket, options, log);
    options.onReady?.(endpoints);
    return await serveRequests(socket, log);
  } finally {
    socket.close(); // (already closed, unless the bind failed)
    await zap.close();
  }
}

if (isMain(import.meta.url)) {
  const options = parseFlags(ironhouseServerDefaults);
  await runIronhouseServer({ ...options, signal: stopOnSignals(options.name) });
}
