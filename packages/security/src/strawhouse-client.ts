// Strawhouse client: the Grasslands client as it is. NULL has nothing to set on the client side:
// the server decides by the client's address alone. Talks to: strawhouse-server.ts.
// Run: pnpm --filter security strawhouse-client [--connect tcp://localhost:9000] [--from 127.0.0.2]
import { isMain, parseFlags, roleLog, stopOnSignals } from "@zmq-patterns/helpers";
import { exitCodeFor } from "./ask.ts";
import { grasslandsClientDefaults, runGrasslandsClient } from "./grasslands-client.ts";

export const strawhouseClientDefaults = { ...grasslandsClientDefaults, name: "strawhouse-client" };
export const runStrawhouseClient = runGrasslandsClient;

if (isMain(import.meta.url)) {
  const options = parseFlags(strawhouseClientDefaults);
  const result = await runStrawhouseClient({ ...options, signal: stopOnSignals(options.name) });
  process.exitCode = exitCodeFor(result, options.expect, roleLog(options.name));
}
