// Woodhouse client: a REQ socket with the PLAIN mechanism: it logs in with a user name and a
// password (in clear text on the wire). Talks to: woodhouse-server.ts.
// Run: pnpm --filter security woodhouse-client [--connect tcp://localhost:9000] [--user admin] [--password secret]
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
import { PASSWORD, SERVER_PORT, USERNAME } from "./protocol.ts";

export const woodhouseClientDefaults = {
  connect: [`tcp://localhost:${SERVER_PORT}`],
  bind: [] as string[],
  user: USERNAME,
  password: PASSWORD,
  ...askDefaults, // --request, --timeout-ms, --from, --expect
  name: "woodhouse-client",
};
export type WoodhouseClientOptions = typeof woodhouseClientDefaults & RoleControl;

export async function runWoodhouseClient(options: WoodhouseClientOptions): Promise<AskResult> {
  const log = roleLog(options.name);
  // #region socket
  const socket = new Request({
    linger: 0,
    plainUsername: options.user, // setting these makes the socket a PLAIN client
    plainPassword: options.password,
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
  const options = parseFlags(woodhouseClientDefaults);
  const result = await runWoodhouseClient({ ...options, signal: stopOnSignals(options.name) });
  process.exitCode = exitCodeFor(result, options.expect, roleLog(options.name));
}
