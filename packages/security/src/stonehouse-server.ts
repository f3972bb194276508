// Stonehouse server: CURVE. Everything after the handshake is encrypted, and clients know they
// talk to the real server (only it holds the secret key matching the public key they were
// given). Any client key is accepted: clients stay anonymous. Talks to: stonehouse-client.ts.
// Run: pnpm --filter security stonehouse-server [--bind tcp://*:9000] [--cert certificates/server.key_secret]
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
import { readCertificate, SECRET_SUFFIX } from "./certs.ts";
import { CERTIFICATE_DIR, SERVER_PORT, ZAP_DOMAIN } from "./protocol.ts";
import { logHandshakeFailures, SERVER_SOCKET_OPTIONS, serveRequests } from "./serve.ts";
import { z85Encode } from "./z85.ts";
import { allow, startZapHandler } from "./zap-handler.ts";

export const stonehouseServerDefaults = {
  bind: [`tcp://*:${SERVER_PORT}`],
  connect: [] as string[],
  /** The server's secret certificate (keygen writes it). */
  cert: join(CERTIFICATE_DIR, `server${SECRET_SUFFIX}`),
  name: "stonehouse-server",
};
export type StonehouseServerOptions = typeof stonehouseServerDefaults & RoleControl;

export async function runStonehouseServer(options: StonehouseServerOptions): Promise<number> {
  const log = roleLog(options.name);
  const { secretKey } = readCertificate(options.cert);
  if (!secretKey) throw new Error(`${options.cert} holds no secret-key: give the _secret file`);
  // #region socket
  const zap = await startZapHandler(({ credentials: [clientKey] }) =>
    allow(`any client key will do (this one is ${z85Encode(clientKey!)})`),
  );
  const socket = new Reply({
    ...SERVER_SOCKET_OPTIONS,
    curveServer: true, // this side is the CURVE server: it needs only its secret key
    curveSecretKey: secretKey,
    zapDomain: ZAP_DOMAIN,
  });
  // #endregion socket
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
  const options = parseFlags(stonehouseServerDefaults);
  await runStonehouseServer({ ...options, signal: stopOnSignals(options.name) });
}
