// Task worker: pulls tasks from the streamer, "works" for the task's milliseconds, pushes a result.
// Talks to: streamer.ts (PUSH backend) for tasks, ventilator.ts (PULL) for results. The Guide's taskwork.
// Run: pnpm --filter broker taskworker [--connect tcp://localhost:5560] [--results tcp://localhost:5558]
import { setTimeout as sleep } from "node:timers/promises";
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
import { BACKEND_PORT, RESULTS_PORT } from "./protocol.ts";

export const taskworkerDefaults = {
  /** The streamer's backend. */
  connect: [`tcp://localhost:${BACKEND_PORT}`],
  /** The ventilator's results socket. */
  results: [`tcp://localhost:${RESULTS_PORT}`],
  /** Longest task we accept, in ms; a bigger number is treated as bad input. */
  maxWorkMs: 10_000,
  name: "taskworker",
};
export type TaskworkerOptions = typeof taskworkerDefaults & RoleControl;

/** Works until stopped; returns how many tasks it did. */
export async function runTaskworker(options: TaskworkerOptions): Promise<number> {
  const log = roleLog(options.name);
  const tasks = new Pull({ linger: 0 });
  const results = new Push({ linger: 0 });
  tasks.events.on("handshake", ({ address }) => log.info(`connected to ${address}`));
  closeOnAbort(options.signal, tasks, results);
  const [tasksEndpoint] = await attach(tasks, { bind: [], connect: options.connect }, log);
  const [resultsEndpoint] = await attach(results, { bind: [], connect: options.results }, log);
  options.onReady?.([tasksEndpoint!, resultsEndpoint!]);

  let done = 0;
  for await (const [task, ...extra] of tasks) {
    const workMs = Number(String(task));
    if (extra.length > 0 || !/^\d+$/.test(String(task)) || workMs > options.maxWorkMs) {
      log.warn(`not a task (a workload in ms): ${describeFrame(task!)}; dropped`);
      continue;
    }
    log.info(`working ${workMs} ms`);
    await sleep(workMs);
    try {
      await results.send(`${options.name} ${workMs}`); // waits while the ventilator is not there
    } catch (error) {
      if (results.closed) break; // stopped while waiting
      throw error;
    }
    done += 1;
  }

  log.info(`stopped after ${done} tasks`);
  return done;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(taskworkerDefaults);
  await runTaskworker({ ...options, signal: stopOnSignals(options.name) });
}
