// Exercise 01: the reqrep server made Ironhouse. As it is, this is the Grasslands server: a REP
// socket that answers "World" to anybody. Make it let in only CURVE clients whose public key is
// in `allowDir`, with the server's secret key from `cert`. See TASK.md.
import { join } from "node:path";
import { attach, closeOnAbort, type RoleControl, roleLog } from "@zmq-patterns/helpers";
import { Reply } from "zeromq";
import { SECRET_SUFFIX } from "#src/certs.ts";
import { ALLOWED_CLIENTS_DIR, CERTIFICATE_DIR, SERVER_PORT } from "#src/protocol.ts";
import { logHandshakeFailures, SERVER_SOCKET_OPTIONS, serveRequests } from "#src/serve.ts";

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
  // TODO: read the server's secret key from options.cert, and the allowed client keys.
  // TODO: start a ZAP handler that allows only those keys.
  // TODO: make the socket a CURVE server.
  const socket = new Reply({ ...SERVER_SOCKET_OPTIONS });
  closeOnAbort(options.signal, socket);
  logHandshakeFailures(socket, log);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);
  return serveRequests(socket, log);
}
