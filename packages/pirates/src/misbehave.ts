// Like the Guide's lpserver, spworker and ppworker, our server and workers can be told to
// misbehave after a number of requests, so that you can watch the clients recover:
//   --crash-after 5      request 6 is never answered: the role exits while holding it
//   --overload-after 3   request 4 is answered only after --overload-ms (2000) more
import { setTimeout as sleep } from "node:timers/promises";
import { describeFrame, type Logger } from "@zmq-patterns/helpers";
import { OVERLOAD_MS } from "./protocol.ts";

export const misbehaviourDefaults = {
  /** After this many requests, simulate a crash on the next one (0: never). */
  crashAfter: 0,
  /** After this many requests, simulate a CPU overload on the next one (0: never). */
  overloadAfter: 0,
  overloadMs: OVERLOAD_MS,
};
export type Misbehaviour = typeof misbehaviourDefaults;

/** Call before working on request `number` (1, 2, ...): "crash" means stop now, without an answer. */
export async function misbehave(
  number: number,
  request: Buffer[],
  options: Misbehaviour,
  log: Logger,
): Promise<"crash" | "carry on"> {
  if (options.crashAfter > 0 && number > options.crashAfter) {
    log.warn(
      `simulating a crash: request ${request.map(describeFrame).join(" ")} is never answered`,
    );
    return "crash";
  }
  if (options.overloadAfter > 0 && number === options.overloadAfter + 1) {
    log.warn(`simulating a CPU overload: ${options.overloadMs} ms before answering`);
    await sleep(options.overloadMs);
  }
  return "carry on";
}
