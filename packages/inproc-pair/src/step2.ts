// Relay step 2: binds inproc://step2, starts step 1 in a thread, passes its READY on to step 3.
// Talks to: step1.ts (connects to us) and relay.ts (step 3, binds inproc://step3), other threads.
// Run: started by relay.ts in a worker thread (inproc never leaves the process): see relay.ts
import {
  closeOnAbort,
  isWorkerThreadEntry,
  type RoleControl,
  roleLog,
  startWorkerThread,
  stopOnParentMessage,
  threadData,
} from "@zmq-patterns/helpers";
import { Pair } from "zeromq";
import { checkSignal, READY, STEP2_ENDPOINT, STEP3_ENDPOINT } from "./protocol.ts";
import { step1Defaults } from "./step1.ts";

export const step2Defaults = {
  bind: STEP2_ENDPOINT,
  connect: STEP3_ENDPOINT,
  /** Passed on to step 1: how long it works before signalling. */
  step1DelayMs: 0,
  name: "step2",
};
export type Step2Options = typeof step2Defaults &
  RoleControl & {
    /** For tests that play step 1 themselves: do not start the step 1 thread. */
    withoutStep1?: boolean;
  };

/** Waits for step 1, then signals step 3; returns false when stopped before that. */
export async function runStep2(options: Step2Options): Promise<boolean> {
  const log = roleLog(options.name);
  const fromStep1 = new Pair({ linger: 0 });
  const toStep3 = new Pair({ linger: 0 });
  closeOnAbort(options.signal, fromStep1, toStep3);
  // Bind first, then start step 1: its connect finds us at once (the Guide's order).
  await fromStep1.bind(options.bind);
  log.info(`bound to ${options.bind}`);
  options.onReady?.([options.bind]); // tests that play step 1 learn they can start here

  const step1Knobs = { ...step1Defaults, connect: options.bind, delayMs: options.step1DelayMs };
  const step1 = options.withoutStep1
    ? undefined
    : startWorkerThread(new URL("./step1.ts", import.meta.url), step1Knobs, options.signal);
  step1?.exited.catch(() => fromStep1.close()); // a step that crashed will never signal

  let signalled = false;
  for await (const frames of fromStep1) {
    const problem = checkSignal(frames);
    if (!problem) {
      log.info(`received "${READY}" from step 1`);
      signalled = true;
      break;
    }
    log.warn(`${problem}; still waiting for "${READY}"`); // bad input never ends the step
  }
  if (!fromStep1.closed) await fromStep1.unbind(options.bind); // free the name now, for the next round
  fromStep1.close();

  if (signalled && !toStep3.closed) {
    toStep3.connect(options.connect);
    try {
      log.info(`signalling "${READY}" to step 3`);
      await toStep3.send(READY);
    } catch (error) {
      if (!toStep3.closed) throw error;
      signalled = false; // stopped just before we could pass the signal on
    }
  }
  toStep3.close();
  await step1?.exited; // rethrows what step 1 threw
  return signalled;
}

if (isWorkerThreadEntry(import.meta.url)) {
  const options = threadData<typeof step2Defaults>();
  await runStep2({ ...options, signal: stopOnParentMessage(options.name) });
}
