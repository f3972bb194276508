// Exercise 01, a reference solution: the reqrep server made Ironhouse. CURVE with the server's
// secret key, and a ZAP handler, bound before the server socket, that lets in only the client
// keys found in `allowDir`.
import { join } from "node:path";
import { attach, closeOnAbort, type RoleControl, roleLog } from "@zmq-patterns/helpers";
import { Reply } from "zeromq";
import { readCertificate, readPublicKeys, SECRET_SUFFIX } from "#src/certs.ts";
import { ALLOWED_CLIENTS_DIR, CERTIFICATE_DIR, SERVER_PORT, ZAP_DOMAIN } from "#src/protocol.ts";
import { logHandshakeFailures, SERVER_SOCKET_OPTIONS, serveRequests } from "#src/serve.ts";
import { z85Encode } from "#src/z85.ts";
import { allow, deny, startZapHandler } from "#src/zap-handler.ts";

export const secureServerDefaults = {
  bind: [`tcp://*:${SERVER_PORT}`],
  connect: [] as string[],
  /** The server's secret certificate. */
  cert: join(CERTIFICATE_DIR, `server${SECRET_SUFFIX}`),
  /** The public certificates of the clients let in. */
  allowDir: ALLOWED_CLIENTS_DIR,
  name: "secure-server",
};
export type SecureServerOptions = typeof secureServerDefaults & RoleControl;

/** Answers "World" to every request it lets in; returns how many it answered. */
export async function runSecureServer(options: SecureServerOptions): Promise<number> {
  const log = roleLog(options.name);
  const { secretKey } = readCertificate(options.cert);
  if (!secretKey) throw new Error(`${options.cert} holds no secret-key`);
  const allowed = readPublicKeys(options.allowDir);
  // The handler before the socket: a client that connects before it is there gets in unchecked.
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
