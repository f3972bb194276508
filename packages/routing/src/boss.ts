// The boss of rtreq and rtdealer: a ROUTER that hands a task to whichever worker asks, so each task
// goes to the worker that has waited longest (least recently used); after a deadline it answers
// every worker "Fired!", and prints how many tasks each one did.
// Talks to: req-worker.ts (REQ, the Guide's rtreq) or dealer-worker.ts (DEALER, rtdealer); the same frames.
// Run: pnpm --filter routing boss [--bind tcp://*:5671] [--run-ms 5000] [--workers 10]
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  Poller,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Router } from "zeromq";
import {
  BOSS_PORT,
  BOSS_RUN_MS,
  FIRED,
  isDelimiter,
  isUnreachable,
  MAX_FRAME_BYTES,
  WORK_HARDER,
} from "./protocol.ts";

export const bossDefaults = {
  bind: [`tcp://*:${BOSS_PORT}`],
  connect: [] as string[],
  /** Hands out work this long, counted from the first worker's first request. */
  runMs: BOSS_RUN_MS,
  /** Ends once this many workers are fired (the Guide's NBR_WORKERS); 0: every worker it has seen. */
  workers: 0,
  /** After the deadline, how long the workers still out may take to come back and be fired. */
  graceMs: 2000,
  name: "boss",
};
export type BossOptions = typeof bossDefaults & RoleControl;

/** Tasks handed to each worker, by its routing id as printed (text, or hex for a made-up id). */
export type Tally = Map<string, number>;

export async function runBoss(options: BossOptions): Promise<Tally> {
  const log = roleLog(options.name);
  // mandatory + sendTimeout 0: an answer to a worker that has just gone fails instead of vanishing.
  const boss = new Router({
    linger: 0,
    mandatory: true,
    sendTimeout: 0,
    maxMessageSize: MAX_FRAME_BYTES,
  });
  closeOnAbort(options.signal, boss);
  const endpoints = await attach(boss, options, log);
  options.onReady?.(endpoints);

  const tally: Tally = new Map();
  const fired = new Set<string>();
  let deadline: number | undefined;
  const poller = new Poller({ boss });
  // #region loop
  for (;;) {
    // Before the deadline, wait as long as it takes; after it, only for the grace period.
    const timeoutMs =
      deadline === undefined ? undefined : Math.max(0, deadline + options.graceMs - Date.now());
    const event = await poller.next({ timeoutMs });
    if (event.kind === "closed") break; // stopped
    if (event.kind === "timeout") {
      const out = [...tally.keys()].filter((worker) => !fired.has(worker));
      log.warn(
        `${out.length} worker(s) never came back to be fired: ${out.join(", ") || "(none seen)"}`,
      );
      break;
    }
    // A worker asks for work: [worker id, "", anything]. (REQ adds the "", a DEALER writes it.)
    const [worker, delimiter, request, ...extra] = event.frames;
    const name = describeFrame(worker!);
    if (!isDelimiter(delimiter) || request === undefined || extra.length > 0) {
      log.warn(
        `from ${name}: expected [id, "", request], got ${event.frames.length} frame(s); dropped`,
      );
      continue;
    }
    deadline ??= Date.now() + options.runMs;
    const working = Date.now() < deadline && !fired.has(name);
    try {
      await boss.send([worker!, "", working ? WORK_HARDER : FIRED]);
    } catch (error) {
      if (boss.closed) break;
      if (!isUnreachable(error)) throw error;
      log.warn(`${name} left before its answer; it gets nothing`);
      continue;
    }
    if (working) tally.set(name, (tally.get(name) ?? 0) + 1);
    else {
      if (!tally.has(name)) tally.set(name, 0);
      fired.add(name);
      log.info(`fired ${name} after ${tally.get(name)} tasks`);
    }
    const enough = options.workers > 0 ? fired.size >= options.workers : fired.size === tally.size;
    if (deadline <= Date.now() && enough) break;
  }
  // #endregion

  boss.close();
  const total = [...tally.values()].reduce((sum, tasks) => sum + tasks, 0);
  for (const [name, tasks] of tally) log.info(`${name}: ${tasks} tasks`);
  log.info(`${total} tasks over ${tally.size} workers`);
  return tally;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(bossDefaults);
  await runBoss({ ...options, signal: stopOnSignals(options.name) });
}
