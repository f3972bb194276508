// Relay step 3, the main thread (the Guide's mtrelay): starts step 2 in a worker thread, waits
// for the READY that comes down the chain, prints "Test successful!". Talks to: step2.ts.
// Run: pnpm --filter inproc-pair relay [--rounds 1] [--step1-delay-ms 0]
import {
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  startWorkerThread,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Pair } from "zeromq";
import { checkSignal, READY, STEP2_ENDPOINT, STEP3_ENDPOINT } from "./protocol.ts";
import { step2Defaults } from "./step2.ts";

export const relayDefaults = {
  bind: STEP3_ENDPOINT,
  /** Where step 2 binds for step 1. */
  step2: STEP2_ENDPOINT,
  /** Run the whole chain this many times, each time with new threads and sockets. */
  rounds: 1,
  /** Step 1 works this long before signalling: time to watch the chain wait, or to Ctrl-C it. */
  step1DelayMs: 0,
  name: "relay",
};
export type RelayOptions = typeof relayDefaults &
  RoleControl & {
    /** For tests that play step 2 themselves: do not start the step 2 thread. */
    withoutStep2?: boolean;
  };

/** Runs the chain `rounds` times; returns how many rounds completed. */
export async function runRelay(options: RelayOptions): Promise<number> {
  const log = roleLog(options.name);
  let completed = 0;
  for (let round = 1; round <= options.rounds && !options.signal?.aborted; round++) {
    const fromStep2 = new Pair({ linger: 0 });
    const stop = () => fromStep2.close();
    options.signal?.addEventListener("abort", stop);
    await fromStep2.bind(options.bind); // before step 2 exists, so its connect finds us
    log.info(`bound to ${options.bind}; starting step 2 (round ${round}/${options.rounds})`);
    options.onReady?.([options.bind]); // tests that play step 2 learn they can start here

    const step2Knobs = {
      ...step2Defaults,
      bind: options.step2,
      connect: options.bind,
      step1DelayMs: options.step1DelayMs,
    };
    const step2 = options.withoutStep2
      ? undefined
      : startWorkerThread(new URL("./step2.ts", import.meta.url), step2Knobs, options.signal);
    step2?.exited.catch(stop); // a step that crashed will never signal

    let signalled = false;
    for await (const frames of fromStep2) {
      const problem = checkSignal(frames);
      if (!problem) {
        signalled = true;
        break;
      }
      log.warn(`${problem}; still waiting for "${READY}"`); // bad input never ends the relay
    }
    // close() frees the name inproc://step3 only later, in the background; the next round
    // binds it again at once, so give it back now.
    if (!fromStep2.closed) await fromStep2.unbind(options.bind);
    fromStep2.close();
    options.signal?.removeEventListener("abort", stop);
    if (signalled) log.info(`Test successful! (${round}/${options.rounds})`);
    await step2?.exited; // every thread has closed its sockets and returned
    if (!signalled) break; // stopped
    completed += 1;
  }
  return completed;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(relayDefaults);
  const signal = stopOnSignals(options.name);
  const completed = await runRelay({ ...options, signal });
  const outcome = signal.aborted ? "stopped" : "done";
  roleLog(options.name).info(`${outcome}: ${completed} of ${options.rounds} rounds completed`);
}
