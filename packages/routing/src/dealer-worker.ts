// rtdealer's worker: rtreq's worker with a DEALER, so it writes and reads the REQ envelope itself:
// ["", "Hi Boss"] out, ["", task] in. Anywhere a REQ goes, a DEALER can, given the empty delimiter.
// Talks to: boss.ts (ROUTER). The Guide's rtdealer worker_task.
// Run: pnpm --filter routing dealer-worker [--connect tcp://localhost:5671] [--workers 1] [--max-work-ms 500]
import { setTimeout as sleep } from "node:timers/promises";
import {
  closeOnAbort,
  describeFrame,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer } from "zeromq";
import { BOSS_PORT, FIRED, HI_BOSS, isDelimiter, WORKER_MAX_WORK_MS } from "./protocol.ts";
import { randomId } from "./req-worker.ts";

export const dealerWorkerDefaults = {
  connect: [`tcp://localhost:${BOSS_PORT}`],
  workers: 1,
  maxWorkMs: WORKER_MAX_WORK_MS,
  name: "dealer-worker",
};
export type DealerWorkerOptions = typeof dealerWorkerDefaults & RoleControl;

/** Works until fired (or stopped); returns the tasks each worker completed, by routing id. */
export async function runDealerWorker(options: DealerWorkerOptions): Promise<Map<string, number>> {
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
    const worker = new Dealer({ linger: 0, routingId: id });
    closeOnAbort(options.signal, worker);
    for (const endpoint of options.connect) worker.connect(endpoint);
    log.info(`connecting to ${options.connect.join(", ")}`);
    let total = 0;
    try {
      // #region loop
      for (;;) {
        await worker.send(["", HI_BOSS]); // the envelope a REQ would have written
        const [delimiter, workload, ...extra] = await worker.receive();
        if (!isDelimiter(delimiter) || workload === undefined || extra.length > 0) {
          const got = [delimiter, workload, ...extra].filter((f) => f !== undefined);
          log.warn(`not ["", task]: ${got.map((f) => describeFrame(f!)).join(", ")}; asking again`);
          continue;
        }
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
  const options = parseFlags(dealerWorkerDefaults);
  await runDealerWorker({ ...options, signal: stopOnSignals(options.name) });
}
