// Stats client: a REQ socket that asks the mail bin's stats socket for its counts, once or until
// the bin has received a given number of posts. Talks to: bin.ts (REP on the stats port).
// Run: pnpm --filter mailbin stats [--connect tcp://localhost:5564] [--expect 0] [--every-ms 500]
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
import { Request } from "zeromq";
import { type BinStats, STATS_COMMAND, STATS_PORT } from "./protocol.ts";

export const statsDefaults = {
  connect: [`tcp://localhost:${STATS_PORT}`],
  bind: [] as string[],
  /** Keep asking until the bin has received this many posts in this run (0: ask once). */
  expect: 0,
  everyMs: 500,
  /** Give up when an answer takes longer than this (the Guide's Lazy Pirate waits 2500 ms). */
  timeoutMs: 2500,
  name: "stats",
};
export type StatsOptions = typeof statsDefaults & RoleControl;

/** The counts in a `stats` answer, or undefined when the answer is not one. */
export function parseStats(reply: Buffer): BinStats | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.toString("utf8"));
  } catch (error) {
    if (error instanceof SyntaxError) return undefined; // an error line, or not a mail bin at all
    throw error;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const stats = parsed as Record<string, unknown>;
  const names = ["received", "stored", "duplicates", "rejected", "in_store"];
  return names.every((name) => typeof stats[name] === "number")
    ? (stats as unknown as BinStats)
    : undefined;
}

/** Asks for the counts; returns the last ones received, or undefined if the bin did not answer. */
export async function runStats(options: StatsOptions): Promise<BinStats | undefined> {
  const log = roleLog(options.name);
  const socket = new Request({ linger: 0, receiveTimeout: options.timeoutMs });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints); // tests learn the real port here

  // #region ask-loop
  let last: BinStats | undefined;
  for (;;) {
    let reply: Buffer[];
    try {
      await socket.send(STATS_COMMAND);
      reply = await socket.receive();
    } catch (error) {
      if (socket.closed) break; // stopped (Ctrl-C) while waiting
      if ((error as { code?: string }).code !== "EAGAIN") throw error;
      // A plain REQ socket that timed out is stuck waiting for that reply (relaxed + correlate
      // would free it, see docs/reqrep.md): we stop here.
      log.warn(`no answer in ${options.timeoutMs} ms; giving up`);
      break;
    }
    const stats = parseStats(reply[0] ?? Buffer.alloc(0));
    if (!stats) {
      log.warn(`not a stats answer: ${reply.map(describeFrame).join(" ")}`);
      break;
    }
    last = stats;
    const { received, stored, duplicates, rejected, in_store } = stats;
    log.info(
      `received ${received}: stored ${stored}, duplicates ${duplicates}, rejected ${rejected}; ${in_store} posts in the store`,
    );
    if (received >= options.expect) break;
    await sleep(options.everyMs);
    if (socket.closed) break;
  }
  // #endregion

  socket.close();
  return last;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(statsDefaults);
  const signal = stopOnSignals(options.name);
  const stats = await runStats({ ...options, signal });
  // No answer is a failure, unless we were told to stop.
  if (!stats && !signal.aborted) process.exitCode = 1;
}
