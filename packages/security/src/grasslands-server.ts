// Grasslands server: no security at all (the NULL mechanism, no ZAP), like every pattern before
// this one. Anybody who can reach the port is served, and anybody on the path reads everything.
// Run: pnpm --filter security grasslands-server [--bind tcp://*:9000]
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
import { SERVER_PORT } from "./protocol.ts";
import { logHandshakeFailures, SERVER_SOCKET_OPTIONS, serveRequests } from "./serve.ts";

export const grasslandsServerDefaults = {
  bind: [`tcp://*:${SERVER_PORT}`],
  connect: [] as string[],
  name: "grasslands-server",
};
export type GrasslandsServerOptions = typeof grasslandsServerDefaults & RoleControl;

/** Answers every request, from anybody; returns how many it answered. */
export async function runGrasslandsServer(options: GrasslandsServerOptions): Promise<number> {
  const log = roleLog(options.name);
  // #region socket
  const socket = new Reply({ ...SERVER_SOCKET_OPTIONS }); // NULL mechanism: no security
  // #endregion socket
  closeOnAbort(options.signal, socket);
  logHandshakeFailures(socket, log);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);
  return serveRequests(socket, log);
}

if (isMain(import.meta.url)) {
  const options = parseFlags(grasslandsServerDefaults);
  await runGrasslandsServer({ ...options, signal: stopOnSignals(options.name) });
}
