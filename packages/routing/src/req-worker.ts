// rtreq's worker: a REQ that says "Hi Boss", does the task it is given, and asks again, until the
// boss answers "Fired!"; then it prints how many tasks it completed. Several run side by side with --workers.
// Talks to: boss.ts (ROUTER). The Guide's rtreq worker_task.
// Run: pnpm --filter routing req-worker [--connect tcp://localhost:5671] [--workers 1] [--max-work-ms 500]
import { setTimeout as sleep } from "node:timers/promises";
import {
  closeOnAbort,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Request } from "zeromq";
import { BOSS_PORT, FIRED, HI_BOSS, WORKER_MAX_WORK_MS } from "./protocol.ts";

export const reqWorkerDefaults = {
  connect: [`tcp://localhost:${BOSS_PORT}`],
  /** How many workers this process runs, each its own REQ socket (the Guide runs 10 threads). */
  workers: 1,
  /** Each task takes a random 1..maxWorkMs (the Guide: 1..500 ms). */
  maxWorkMs: WORKER_MAX_WORK_MS,
  name: "req-worker",
};
export type ReqWorkerOptions = typeof reqWorkerDefaults & RoleControl;

/** A printable routing id like the Guide's s_set_id ("%04X-%04X"), so the boss's tally is readable. */
export const randomId = () =>
  Array.from({ length: 2 }, () =>
    Math.floor(Math.random() * 0x10000)
      .toString(16)
      .toUpperCase()
      .padStart(4, "0"),
  ).join("-");

/** Works until fired (or stopped); returns the tasks each worker completed, by routing id. */
export async function runReqWorker(options: ReqWorkerOptions): Promise<Map<string, number>> {
  const done = new Map<string, number>();
  await Promise.all(
    Array.from({ length: options.workers }, async () => {
      const id = randomId();
      done.set(id, await work(id));
    }),
  );
  return done;

  async function work(id: string): Promise<number> {
    const log = roleLog(`${options.name} ${id}`);
    // The id is set before connecting: the boss's ROUTER learns it in the handshake.
    const worker = new Request({ linger: 0, routingId: id });
    closeOnAbort(options.signal, worker);
    for (const endpoint of options.connect) worker.connect(endpoint);
    log.info(`connecting to ${options.connect.join(", ")}`);
    let total = 0;
    try {
      // #region loop
      for (;;) {
        await worker.send(HI_BOSS); // "ready for work": REQ puts the "" in front
        const [workload, ...extra] = await worker.receive();
        if (extra.length > 0)
          log.warn(`expected one frame, got ${extra.length + 1}; taken as a task`);
        if (String(workload) === FIRED) break;
        total += 1;
        await sleep(1 + Math.floor(Math.random() * options.maxWorkMs), undefined, {
          signal: options.signal,
        });
      }
      // #endregion
      log.info(`Completed: ${total} tasks`);
    } catch (error) {
      if (!worker.closed && !options.signal?.aborted) throw error;
      log.info(`stopped after ${total} tasks`);
    } finally {
      worker.close();
    }
    return total;
  }
}

if (isMain(import.meta.url)) {
  const options = parseFlags(reqWorkerDefaults);
  await runReqWorker({ ...options, signal: stopOnSignals(options.name) });
}
