// Relay step 1: a PAIR socket that connects to step 2, signals READY, and ends.
// Talks to: step2.ts (PAIR, binds inproc://step2), in another thread of this same process.
// Run: started by step2.ts in a worker thread (inproc never leaves the process): see relay.ts
import { setTimeout as sleep } from "node:timers/promises";
import {
  closeOnAbort,
  isWorkerThreadEntry,
  type RoleControl,
  roleLog,
  stopOnParentMessage,
  threadData,
} from "@zmq-patterns/helpers";
import { Pair } from "zeromq";
import { READY, STEP2_ENDPOINT } from "./protocol.ts";

export const step1Defaults = {
  connect: STEP2_ENDPOINT,
  /** Pretend to work this long before signalling (the Guide's step 1 signals at once). */
  delayMs: 0,
  name: "step1",
};
export type Step1Options = typeof step1Defaults & RoleControl;

/** Signals step 2 once; returns false when stopped before it could. */
export async function runStep1(options: Step1Options): Promise<boolean> {
  const log = roleLog(options.name);
  const sender = new Pair({ linger: 0 });
  closeOnAbort(options.signal, sender);
  sender.connect(options.connect);
  log.info(`connected to ${options.connect}`);

  try {
    await sleep(options.delayMs, undefined, { signal: options.signal }); // "do some work"
    log.info(`signalling "${READY}" to step 2`);
    await sender.send(READY);
  } catch (error) {
    if (options.signal?.aborted) return false; // stopped while working or waiting to send
    throw error;
  }
  sender.close(); // step 2 still reads what was sent: closing only ends our side
  return true;
}

if (isWorkerThreadEntry(import.meta.url)) {
  const options = threadData<typeof step1Defaults>();
  await runStep1({ ...options, signal: stopOnParentMessage(options.name) });
}
