// Exercise 01 (reference solution): a Binary Star server that says "E: not active" when it
// refuses a request, instead of dropping it, so that its client can fail over at once. The rest
// is the lesson's server (src/server.ts), which calls sayNotActive for each refused request.
// Run: tsx exercises/01-say-not-active/solution/not-active-server.ts --role backup
import { isMain, type Logger, parseFlags, stopOnSignals } from "@zmq-patterns/helpers";
import type { Router } from "zeromq";
import { type Role, roleOf } from "#src/protocol.ts";
import { defaultsFor, runServer, type ServerOptions, type ServerResult } from "#src/server.ts";

/** The one-frame reply to a request the state machine refuses. */
export const NOT_ACTIVE = "E: not active";

export const notActiveDefaultsFor = (role: Role) => defaultsFor(role);
export const notActiveServerDefaults = notActiveDefaultsFor("primary");
export type NotActiveServerOptions = ServerOptions;

/** Answers a refused request [client, "", body] with one frame, NOT_ACTIVE. */
async function sayNotActive(request: Buffer[], frontend: Router, log: Logger): Promise<void> {
  // Say so: the client need not wait for its time-out. Same envelope, another body.
  const [client, delimiter] = request as [Buffer, Buffer];
  await frontend
    .send([client, delimiter, NOT_ACTIVE])
    .catch((error: unknown) =>
      log.warn(`refusal not sent (the client has gone?): ${String(error)}`),
    );
}

/** Runs the lesson's server, answering refused requests, until stopped or a fatal event. */
export function runNotActiveServer(options: NotActiveServerOptions): Promise<ServerResult> {
  return runServer(options, { refused: sayNotActive });
}

if (isMain(import.meta.url)) {
  const options = parseFlags(notActiveDefaultsFor(roleOf(process.argv)));
  const { fatal } = await runNotActiveServer({ ...options, signal: stopOnSignals(options.name) });
  if (fatal) process.exitCode = 1; // split brain: the operator must look
}
