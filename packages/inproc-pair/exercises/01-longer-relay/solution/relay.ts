// Exercise 01, reference solution: a relay of any length; the signal carries the route it took.
import { roleLog, startWorkerThread, type WorkerThread } from "@zmq-patterns/helpers";
import { Pair } from "zeromq";
import { type StepKnobs, stepEndpoint } from "./step.ts";

export interface LongRelayOptions {
  /** How many step threads, 1 or more. */
  steps: number;
  /** Names the endpoints: inproc://<name>-step<n> (see step.ts). */
  name: string;
}

export async function runLongRelay(options: LongRelayOptions): Promise<string[]> {
  const log = roleLog(options.name);
  const endpoint = stepEndpoint(options.name, options.steps + 1);
  const fromLastStep = new Pair({ linger: 0 });
  await fromLastStep.bind(endpoint);

  // Start every step at once: with inproc, a connect may come before the bind it connects to.
  const threads: WorkerThread[] = [];
  for (let step = 1; step <= options.steps; step++) {
    const knobs: StepKnobs = { step, steps: options.steps, name: options.name };
    threads.push(startWorkerThread(new URL("./step.ts", import.meta.url), knobs));
  }

  const route = (await fromLastStep.receive()).map(String);
  log.info(`route: ${route.join(" > ")}`);
  await fromLastStep.unbind(endpoint);
  fromLastStep.close();
  await Promise.all(threads.map((thread) => thread.exited)); // each ended by itself
  return route;
}
