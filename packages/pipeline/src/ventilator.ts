// Ventilator: deals one batch of tasks out to the workers (PUSH), after telling the sink it started.
// Talks to: worker.ts (PULL, :5557) and sink.ts (PULL, :5558), or the Guide's taskwork and tasksink.
// Run: pnpm --filter pipeline ventilator [--wait-workers 3] [--tasks 100] [--number-tasks]
import { randomInt } from "node:crypto";
import {
  attach,
  closeAndDrain,
  closeOnAbort,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Push } from "zeromq";
import { BATCH_START, formatTask, SINK_PORT, type Task, VENTILATOR_PORT } from "./protocol.ts";
import { socketLog, waitForPeers } from "./sockets.ts";

export const ventilatorDefaults = {
  bind: [`tcp://*:${VENTILATOR_PORT}`],
  connect: [] as string[],
  /** The sink, which hears "0" from us when the batch starts. */
  sink: [`tcp://localhost:${SINK_PORT}`],
  tasks: 100,
  /** Each task's workload is random in this range, in ms (the Guide's: 1 to 100). */
  minMs: 1,
  maxMs: 100,
  /** Send nothing until this many workers have connected (the Guide waits for Enter instead). */
  waitWorkers: 1,
  /** Add each task's number ("37 12"): our sink then checks every task came back once. */
  numberTasks: false,
  name: "ventilator",
};
export type VentilatorOptions = typeof ventilatorDefaults & RoleControl;

/**
 * How long the sockets stay open after we close them, to deliver the tasks still queued: a PUSH
 * closed with linger 0 right after a burst throws its tail away. The Guide sleeps 1 s instead.
 */
const DELIVERY_LINGER_MS = 1000;

/** Sends one batch; returns the tasks it sent (none if stopped before the workers came). */
export async function runVentilator(options: VentilatorOptions): Promise<Task[]> {
  const log = roleLog(options.name);
  const workers = new Push({ linger: DELIVERY_LINGER_MS });
  const sink = new Push({ linger: DELIVERY_LINGER_MS });
  closeOnAbort(options.signal, workers, sink);
  const workersReady = waitForPeers(workers, options.waitWorkers, options.signal, (peers) =>
    log.info(`worker ${peers} of ${options.waitWorkers} connected`),
  );
  const endpoints = await attach(workers, options, socketLog(log, "tasks"));
  await attach(sink, { bind: [], connect: options.sink }, socketLog(log, "start of batch"));
  options.onReady?.(endpoints); // tests learn the real port here

  // #region wait-for-workers
  // PUSH deals messages round robin over the workers connected *now*. Send at once, and the
  // first worker to connect gets the whole batch before the others are even there (the "early
  // connector"). The Guide asks you to press Enter once the workers are up; we count handshakes.
  const workersWanted = `${options.waitWorkers} worker${options.waitWorkers === 1 ? "" : "s"}`;
  log.info(`waiting for ${workersWanted} to connect`);
  if (!(await workersReady)) return []; // stopped while waiting
  // #endregion

  const sent: Task[] = [];
  try {
    // This PUSH connects, so it has its queue from connect() on: the send resolves at once, and
    // "0" waits in the queue until the sink is there.
    await sink.send(BATCH_START);
    log.info(`told the sink the batch starts; sending ${options.tasks} tasks`);
    for (let number = 1; number <= options.tasks; number++) {
      const workloadMs = randomInt(options.minMs, options.maxMs + 1);
      const task: Task = options.numberTasks ? { workloadMs, number } : { workloadMs };
      await workers.send(formatTask(task));
      sent.push(task);
    }
  } catch (error) {
    if (!workers.closed) throw error;
    log.info(`stopped after sending ${sent.length} tasks`);
    return sent;
  }

  const totalMs = sent.reduce((sum, task) => sum + task.workloadMs, 0);
  log.info(`sent ${sent.length} tasks; total expected cost: ${totalMs} ms`);
  // The queued tasks still go out (DELIVERY_LINGER_MS); a Ctrl-C meanwhile ends it with exit 0.
  await closeAndDrain(workers, sink);
  return sent;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(ventilatorDefaults);
  await runVentilator({ ...options, signal: stopOnSignals(options.name) });
}
