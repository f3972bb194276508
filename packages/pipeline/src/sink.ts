// Sink: collects one batch of results (PULL), reports how long the batch took, then publishes
// KILL (PUB) so the workers stop. Talks to: ventilator.ts and worker.ts, or the Guide's.
// Run: pnpm --filter pipeline sink [--tasks 100] [--bind tcp://*:5558] [--kill tcp://*:5559]
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
import { Publisher, Pull } from "zeromq";
import {
  KILL,
  KILL_PORT,
  MAX_MESSAGE_BYTES,
  parseSinkMessage,
  type Result,
  SINK_PORT,
} from "./protocol.ts";
import { socketLog } from "./sockets.ts";

export const sinkDefaults = {
  bind: [`tcp://*:${SINK_PORT}`],
  connect: [] as string[],
  /** Where KILL is published once the batch is done (PUB binds). */
  kill: [`tcp://*:${KILL_PORT}`],
  /** Results in a batch: must be the ventilator's --tasks. */
  tasks: 100,
  name: "sink",
};
export type SinkOptions = typeof sinkDefaults & RoleControl;

export interface SinkReport {
  /** The results counted, in the order they came. */
  results: Result[];
  /** From the start of the batch to its last result. */
  elapsedMs: number;
}

/** Keep the kill line open this long after closing, so KILL reaches every worker. */
const KILL_LINGER_MS = 1000;
/** A progress line every so many results (the Guide prints ":" every 10). */
const PROGRESS_EVERY = 10;

/** Who did how much, and what one worker alone would have needed. */
function summary(results: Result[], elapsedMs: number): string[] {
  const perWorker = new Map<string, number>();
  for (const { worker = "(Guide workers)" } of results) {
    perWorker.set(worker, (perWorker.get(worker) ?? 0) + 1);
  }
  const tally = [...perWorker]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([worker, count]) => `${worker}: ${count}`);
  const lines = [`tasks per worker: ${tally.join(", ")}`];
  const workMs = results.reduce((sum, result) => sum + (result.task?.workloadMs ?? 0), 0);
  if (results.every((result) => result.task) && elapsedMs > 0) {
    const speedUp = (workMs / elapsedMs).toFixed(1);
    lines.push(`one worker alone would need ${workMs} ms: a speed-up of ${speedUp}x`);
  }
  // The sink counts each task number once, so N numbers all <= N are exactly 1 to N.
  if (results.every(({ task }) => task?.number !== undefined && task.number <= results.length)) {
    lines.push(`every task, 1 to ${results.length}, came back exactly once`);
  }
  return lines;
}

/** Collects one batch; returns it (incomplete if stopped first). */
export async function runSink(options: SinkOptions): Promise<SinkReport> {
  const log = roleLog(options.name);
  const results = new Pull({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  const control = new Publisher({ linger: KILL_LINGER_MS });
  closeOnAbort(options.signal, results, control);
  const endpoints = await attach(results, options, socketLog(log, "results"));
  const killLine = { bind: options.kill, connect: [] };
  endpoints.push(...(await attach(control, killLine, socketLog(log, "kill line"))));
  options.onReady?.(endpoints); // tests learn the real ports here
  log.info(`waiting for the start of a batch of ${options.tasks} tasks`);

  const batch: Result[] = [];
  const numbersSeen = new Set<number>();
  let startedAt: number | undefined;
  for await (const frames of results) {
    const message = parseSinkMessage(frames);
    switch (message.kind) {
      case "start":
        if (startedAt === undefined) log.info("the batch has started: clock running");
        startedAt ??= performance.now();
        break;
      case "bad":
        log.warn(`ignored a message that is not a result: ${message.problem}`);
        break;
      case "result": {
        const number = message.result.task?.number;
        if (number !== undefined && numbersSeen.has(number)) {
          log.warn(`task ${number} came back twice (from ${message.result.worker}): counted once`);
          break;
        }
        if (number !== undefined) numbersSeen.add(number);
        startedAt ??= performance.now(); // a result that overtook the start of batch
        batch.push(message.result);
        if (batch.length % PROGRESS_EVERY === 0)
          log.info(`${batch.length}/${options.tasks} results`);
      }
    }
    if (batch.length === options.tasks) break;
  }

  const elapsedMs = startedAt === undefined ? 0 : Math.round(performance.now() - startedAt);
  if (batch.length < options.tasks) {
    log.info(`stopped with ${batch.length} of ${options.tasks} results`);
    return { results: batch, elapsedMs };
  }
  log.info(`Total elapsed time: ${elapsedMs} msec`);
  for (const line of summary(batch, elapsedMs)) log.info(line);

  // The batch is done: tell every worker to stop. PUB reaches every subscriber connected now.
  await control.send(KILL);
  log.info(`sent "${KILL}" to the workers`);
  results.close();
  await closeAndDrain(control); // KILL still goes out (KILL_LINGER_MS); Ctrl-C meanwhile exits 0
  return { results: batch, elapsedMs };
}

if (isMain(import.meta.url)) {
  const options = parseFlags(sinkDefaults);
  await runSink({ ...options, signal: stopOnSignals(options.name) });
}
