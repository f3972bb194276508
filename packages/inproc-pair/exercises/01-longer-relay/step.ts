// Exercise 01: one step of the longer relay, run in a worker thread by relay.ts.
// The task is in TASK.md. Check your work: pnpm --filter inproc-pair exercise 01
import { isWorkerThreadEntry, threadData } from "@zmq-patterns/helpers";

/** What relay.ts gives each step thread. */
export interface StepKnobs {
  /** This step's number, 1 to `steps`. */
  step: number;
  /** How many steps the relay has; the last one signals the main thread. */
  steps: number;
  /** The relay's name, for its endpoints. */
  name: string;
}

/** Where step `step` binds (and where step `step - 1` connects); the main thread is step `steps + 1`. */
export function stepEndpoint(name: string, step: number): string {
  return `inproc://${name}-step${step}`;
}

if (isWorkerThreadEntry(import.meta.url)) {
  const knobs = threadData<StepKnobs>();
  // TODO: unless this is step 1, bind a PAIR at stepEndpoint(knobs.name, knobs.step) and wait for
  // the route from the step before; add "step<n>@<threadId>" to it (threadId from
  // node:worker_threads); connect a PAIR to the next endpoint and
  // send the route on; close your sockets.
  void knobs;
}
