// Grasslands client: a plain REQ socket (NULL mechanism) that sends one request and waits for
// the reply. Talks to: grasslands-server.ts (or any server with no security).
// Run: pnpm --filter security grasslands-client [--connect tcp://localhost:9000] [--from 127.0.0.2]
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
import { SERVER_PORT } from "./protocol.ts";

export const grasslandsClientDefaults = {
  connect: [`tcp://localhost:${SERVER_PORT}`],
  bind: [] as string[],
  ...askDefaults, // --request, --timeout-ms, --from, --expect
  name: "grasslands-client",
};
export type GrasslandsClientOptions = typeof grasslandsClientDefaults & RoleControl;

export async function runGrasslandsClient(options: GrasslandsClientOptions): Promise<AskResult> {
  const log = roleLog(options.name);
  const socket = new Request({ linger: 0 });
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
  const options = parseFlags(grasslandsClientDefaults);
  const result = await runGrasslandsClient({ ...options, signal: stopOnSignals(options.name) });
  process.exitCode = exitCodeFor(result, options.expect, roleLog(options.name));
}
