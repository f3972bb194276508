// Ironhouse client: a REQ socket with CURVE and a key pair of its own, from its secret
// certificate; the server lets it in only if its public certificate is in the server's
// directory. Talks to: ironhouse-server.ts, or a pyzmq server with its authenticator.
// Run: pnpm --filter security ironhouse-client [--cert certificates/client.key_secret] [--server-key certificates/server.key]
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
import { Request } from "zeromq";
import {
  type AskResult,
  askDefaults,
  askOnce,
  exitCodeFor,
  fromAddress,
  watchHandshake,
} from "./ask.ts";
import { PUBLIC_SUFFIX, publicKeyOf, readCertificate, SECRET_SUFFIX } from "./certs.ts";
import { CERTIFICATE_DIR, SERVER_PORT } from "./protocol.ts";

export const ironhouseClientDefaults = {
  connect: [`tcp://localhost:${SERVER_PORT}`],
  bind: [] as string[],
  /** This client's secret certificate (its public half goes into the server's directory). */
  cert: join(CERTIFICATE_DIR, `client${SECRET_SUFFIX}`),
  /** The server's public key: 40 Z85 characters, or a certificate file holding it. */
  serverKey: join(CERTIFICATE_DIR, `server${PUBLIC_SUFFIX}`),
  ...askDefaults, // --request, --timeout-ms, --from, --expect
  name: "ironhouse-client",
};
export type IronhouseClientOptions = typeof ironhouseClientDefaults & RoleControl;

export async function runIronhouseClient(options: IronhouseClientOptions): Promise<AskResult> {
  const log = roleLog(options.name);
  const own = readCertificate(options.cert);
  if (!own.secretKey) throw new Error(`${options.cert} holds no secret-key: give the _secret file`);
  // #region socket
  const socket = new Request({
    linger: 0,
    curveServerKey: publicKeyOf(options.serverKey),
    curvePublicKey: own.publicKey, // the key the server looks up in its directory
    curveSecretKey: own.secretKey,
  });
  // #endregion socket
  closeOnAbort(options.signal, socket);
  const handshake = watchHandshake(socket, log); // before connecting: see ask.ts
  const connect = options.connect.map((endpoint) => fromAddress(endpoint, options.from));
  const endpoints = await attach(socket, { bind: options.bind, connect }, log);
  options.onReady?.(endpoints);
  const result = await askOnce(socket, options, handshake, log);
  socket.close();
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(ironhouseClientDefaults);
  const result = await runIronhouseClient({ ...options, signal: stopOnSignals(options.name) });
  process.exitCode = exitCodeFor(result, options.expect, roleLog(options.name));
}
