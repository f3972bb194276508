// Strawhouse server: still the NULL mechanism (nothing encrypted), but a ZAP handler lets in only
// clients from the addresses on an allow list. libzmq asks the handler about NULL connections
// only when the socket has a zapDomain. Talks to: strawhouse-client.ts.
// Run: pnpm --filter security strawhouse-server [--bind tcp://*:9000] [--allow 127.0.0.1,10.0.0.7]
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
import { ALLOWED_ADDRESSES, SERVER_PORT, ZAP_DOMAIN } from "./protocol.ts";
import { logHandshakeFailures, SERVER_SOCKET_OPTIONS, serveRequests } from "./serve.ts";
import { allow, deny, startZapHandler } from "./zap-handler.ts";

export const strawhouseServerDefaults = {
  bind: [`tcp://*:${SERVER_PORT}`],
  connect: [] as string[],
  /** Client IP addresses let in. */
  allow: ALLOWED_ADDRESSES,
  name: "strawhouse-server",
};
export type StrawhouseServerOptions = typeof strawhouseServerDefaults & RoleControl;

export async function runStrawhouseServer(options: StrawhouseServerOptions): Promise<number> {
  const log = roleLog(options.name);
  // #region zap
  // The handler first: a client that connects before it is bound is let in unchecked.
  const zap = await startZapHandler(({ address }) =>
    options.allow.includes(address) ? allow("on the allow list") : deny("not on the allow list"),
  );
  // NULL asks ZAP only when the socket has a domain.
  const socket = new Reply({ ...SERVER_SOCKET_OPTIONS, zapDomain: ZAP_DOMAIN });
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
  const options = parseFlags(strawhouseServerDefaults);
  await runStrawhouseServer({ ...options, signal: stopOnSignals(options.name) });
}
