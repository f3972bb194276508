// Ventilator and sink in one: pushes N tasks into the streamer, then collects one result per task.
// Talks to: streamer.ts (PULL frontend) with tasks; taskworker.ts (PUSH) sends results back here.
// Run: pnpm --filter broker ventilator [--connect tcp://localhost:5559] [--results tcp://*:5558] [--tasks 100]
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Pull, Push } from "zeromq";
import { FRONTEND_PORT, RESULTS_PORT } from "./protocol.ts";

export const ventilatorDefaults = {
  /** The streamer's frontend. */
  connect: [`tcp://localhost:${FRONTEND_PORT}`],
  /** Where workers push their results (bound, as the Guide's tasksink binds 5558). */
  results: [`tcp://*:${RESULTS_PORT}`],
  /** The Guide's taskvent sends 100 tasks, each a workload of 1-100 ms. */
  tasks: 100,
  maxWorkMs: 100,
  name: "ventilator",
};
export type VentilatorOptions = typeof ventilatorDefaults & RoleControl;

/** Sends the tasks and waits for every result; returns how many results each worker sent. */
export async function runVentilator(options: VentilatorOptions): Promise<Record<string, number>> {
  const log = roleLog(options.name);
  const tasks = new Push({ linger: 0 });
  const results = new Pull({ linger: 0 });
  closeOnAbort(options.signal, tasks, results);
  const [resultsEndpoint] = await attach(results, { bind: options.results, connect: [] }, log);
  const [tasksEndpoint] = await attach(tasks, { bind: [], connect: options.connect }, log);
  options.onReady?.([tasksEndpoint!, resultsEndpoint!]);

  const perWorker: Record<string, number> = {};
  try {
    let totalMs = 0;
    for (let task = 1; task <= options.tasks; task++) {
      const workMs = 1 + Math.floor(Math.random() * options.maxWorkMs);
      totalMs += workMs;
      await tasks.send(String(workMs)); // a PUSH that connects queues: waits only when its queue is full
    }
    log.info(`sent ${options.tasks} tasks, ${totalMs} ms of work in all`);

    // A result is "<worker name> <workload>". Nothing else counts.
    let received = 0;
    for await (const [result, ...extra] of results) {
      const worker = /^(\S+) \d+$/.exec(String(result))?.[1];
      if (extra.length > 0 || !worker) {
        log.warn(`not a result: ${describeFrame(result!)}; dropped`);
        continue;
      }
      perWorker[worker] = (perWorker[worker] ?? 0) + 1;
      received += 1;
      if (received === options.tasks) break;
    }
  } catch (error) {
    if (!tasks.closed) throw error; // stopped while waiting for the streamer
  }

  tasks.close();
  results.close();
  const tally = Object.entries(perWorker).map(([worker, count]) => `${worker} ${count}`);
  log.info(`results: ${tally.join(", ") || "none"}`);
  return perWorker;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(ventilatorDefaults);
  await runVentilator({ ...options, signal: stopOnSignals(options.name) });
}
