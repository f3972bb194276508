// Exercise 01, reference solution: one step of the longer relay, run in a worker thread.

import { threadId } from "node:worker_threads";
import { isWorkerThreadEntry, roleLog, threadData } from "@zmq-patterns/helpers";
import { Pair } from "zeromq";

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

/** Waits for the route from the step before (step 1 starts it), adds itself, passes it on. */
export async function runStep(knobs: StepKnobs): Promise<void> {
  const log = roleLog(`step${knobs.step}`);
  let route: string[] = [];
  if (knobs.step > 1) {
    const fromBefore = new Pair({ linger: 0 });
    await fromBefore.bind(stepEndpoint(knobs.name, knobs.step));
    const frames = await fromBefore.receive();
    route = frames.map(String);
    await fromBefore.unbind(stepEndpoint(knobs.name, knobs.step)); // free the name at once
    fromBefore.close();
  }
  route.push(`step${knobs.step}@${threadId}`); // only this thread knows its id

  // inproc lets us connect before the next step has bound: the message waits in the pipe.
  const toNext = new Pair({ linger: 0 });
  toNext.connect(stepEndpoint(knobs.name, knobs.step + 1));
  await toNext.send(route);
  log.info(`passed on ${route.join(" > ")}`);
  toNext.close();
}

if (isWorkerThreadEntry(import.meta.url)) {
  await runStep(threadData<StepKnobs>());
}
