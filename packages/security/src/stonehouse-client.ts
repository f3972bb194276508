// Stonehouse client: a REQ socket with CURVE. It knows the server's public key (from its
// certificate) and makes itself a new key pair each run: the server cannot tell who it is, but
// it can be sure who the server is. Talks to: stonehouse-server.ts.
// Run: pnpm --filter security stonehouse-client [--connect tcp://localhost:9000] [--server-key certificates/server.key]
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
import { curveKeyPair, Request } from "zeromq";
import {
  type AskResult,
  askDefaults,
  askOnce,
  exitCodeFor,
  fromAddress,
  watchHandshake,
} from "./ask.ts";
import { PUBLIC_SUFFIX, publicKeyOf } from "./certs.ts";
import { CERTIFICATE_DIR, SERVER_PORT } from "./protocol.ts";

export const stonehouseClientDefaults = {
  connect: [`tcp://localhost:${SERVER_PORT}`],
  bind: [] as string[],
  /** The server's public key: 40 Z85 characters, or a certificate file holding it. */
  serverKey: join(CERTIFICATE_DIR, `server${PUBLIC_SUFFIX}`),
  ...askDefaults, // --request, --timeout-ms, --from, --expect
  name: "stonehouse-client",
};
export type StonehouseClientOptions = typeof stonehouseClientDefaults & RoleControl;

export async function runStonehouseClient(options: StonehouseClientOptions): Promise<AskResult> {
  const log = roleLog(options.name);
  // #region socket
  const ownKeys = curveKeyPair(); // anonymous: a fresh key pair, known to nobody
  const socket = new Request({
    linger: 0,
    curveServerKey: publicKeyOf(options.serverKey), // the server we trust, and no other
    curvePublicKey: ownKeys.publicKey,
    curveSecretKey: ownKeys.secretKey,
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
  const options = parseFlags(stonehouseClientDefaults);
  const result = await runStonehouseClient({ ...options, signal: stopOnSignals(options.name) });
  process.exitCode = exitCodeFor(result, options.expect, roleLog(options.name));
}
