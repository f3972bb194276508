// Worker: pulls tasks (PULL), sleeps each one's workload, pushes a result (PUSH); stops on KILL (SUB).
// Talks to: ventilator.ts on :5557, sink.ts on :5558 and :5559; or the Guide's taskvent and tasksink2.
// Run: pnpm --filter pipeline worker [--name worker-1] [--ventilator tcp://host:5557] [--sink ...] [--kill ...]
import { setTimeout as sleep } from "node:timers/promises";
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  type Logger,
  parseFlags,
  type RoleControl,
  reconnectWhenDropped,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Pull, Push, Subscriber } from "zeromq";
import {
  describeTask,
  formatResult,
  KILL,
  KILL_PORT,
  MAX_MESSAGE_BYTES,
  parseTask,
  SINK_PORT,
  type Task,
  VENTILATOR_PORT,
  WORKER_NAME,
} from "./protocol.ts";
import { socketLog, waitForPeers } from "./sockets.ts";

export const workerDefaults = {
  /** Where tasks come from (PULL connects). */
  ventilator: [`tcp://localhost:${VENTILATOR_PORT}`],
  /** Where results go (PUSH connects). */
  sink: [`tcp://localhost:${SINK_PORT}`],
  /** Where KILL comes from (SUB connects). */
  kill: [`tcp://localhost:${KILL_PORT}`],
  /** Goes into every result, so the sink can tell who did what. */
  name: `worker-${process.pid}`,
};
export type WorkerOptions = typeof workerDefaults & RoleControl;

export interface WorkerReport {
  /** The tasks this worker did, in order. */
  tasks: Task[];
  /** True when the sink's KILL stopped it (false: Ctrl-C, SIGTERM or a test). */
  killed: boolean;
}

/** Reads the kill line until KILL comes (then calls `kill`) or the socket closes. */
async function watchForKill(control: Subscriber, log: Logger, kill: () => void): Promise<void> {
  for await (const frames of control) {
    if (frames.length === 1 && frames[0]!.toString() === KILL) return kill();
    log.warn(
      `ignored ${frames.map(describeFrame).join(" ")} on the kill line: only "KILL" stops me`,
    );
  }
}

/** Works until KILL or stopped; returns what it did. */
export async function runWorker(options: WorkerOptions): Promise<WorkerReport> {
  if (!WORKER_NAME.test(options.name)) {
    throw new Error(`--name ${JSON.stringify(options.name)}: use letters, digits and . _ : - only`);
  }
  const log = roleLog(options.name);
  const tasks = new Pull({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  const results = new Push({ linger: 0 });
  const control = new Subscriber({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  // One way to stop for all three sockets: KILL from the sink, or our own signal.
  const killSwitch = new AbortController();
  const stopped = AbortSignal.any([killSwitch.signal, ...(options.signal ? [options.signal] : [])]);
  closeOnAbort(stopped, tasks, results, control);
  const done: Task[] = [];
  const report = () => ({ tasks: done, killed: killSwitch.signal.aborted });

  // libzmq drops a connection that brings a frame over MAX_MESSAGE_BYTES, and never connects it
  // again: one bad message would leave us deaf to tasks, or to KILL, for good. So we do.
  reconnectWhenDropped(control, socketLog(log, "kill line"));
  reconnectWhenDropped(tasks, socketLog(log, "tasks"));

  // Connect the kill line first, and take no work until it is up: a worker that cannot hear
  // KILL would wait for tasks for ever. (PUB/SUB drops what a subscriber is not there to hear.)
  control.subscribe(); // everything, as the Guide's taskwork2 does; we act only on "KILL"
  const killLineUp = waitForPeers(control, 1, stopped);
  await attach(control, { bind: [], connect: options.kill }, socketLog(log, "kill line"));
  if (!(await killLineUp)) return report(); // stopped before the sink came up
  log.info("listening for KILL");
  await attach(results, { bind: [], connect: options.sink }, socketLog(log, "results"));
  await attach(tasks, { bind: [], connect: options.ventilator }, socketLog(log, "tasks"));
  options.onReady?.([...options.ventilator, ...options.sink, ...options.kill]);

  // The Guide polls both sockets in one loop (zmq_poll). In Node each socket gets its own
  // loop: this one waits for KILL while the one below works.
  const killWatch = watchForKill(control, log, () => killSwitch.abort());

  for await (const frames of tasks) {
    const task = parseTask(frames);
    if ("problem" in task) {
      log.warn(`skipped a bad task: ${task.problem}`); // bad input never kills a worker
      continue;
    }
    log.info(`working on ${describeTask(task)}`);
    try {
      await sleep(task.workloadMs, undefined, { signal: stopped }); // "do the work"
      await results.send(formatResult(options.name, task));
    } catch (error) {
      if (stopped.aborted) break; // KILL or Ctrl-C mid-task: this task is dropped
      throw error;
    }
    done.push(task);
  }
  await killWatch;

  log.info(`${killSwitch.signal.aborted ? "KILL received" : "stopped"} after ${done.length} tasks`);
  return report();
}

if (isMain(import.meta.url)) {
  const options = parseFlags(workerDefaults);
  await runWorker({ ...options, signal: stopOnSignals(options.name) });
}
