// Exercise 01: a Binary Star server that says "E: not active" when it refuses a request, instead
// of dropping it, so that its client can fail over at once. The rest is the lesson's server
// (src/server.ts), which calls sayNotActive for each request its state machine refuses.
// Run: pnpm --filter binary-star exercise 01
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
// The lesson's server calls this for each request its state machine refuses, with its frontend
// ROUTER and its log; by default it calls nothing, and the request is dropped.
// biome-ignore lint/correctness/noUnusedFunctionParameters: request, frontend and log are yours to use
async function sayNotActive(request: Buffer[], frontend: Router, log: Logger): Promise<void> {
  // TODO: answer the client with one frame, NOT_ACTIVE, instead of dropping its request.
  // The reply goes where an echo would: the same envelope, another body. A client that has gone
  // must not kill the server: log a W: line instead.
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
