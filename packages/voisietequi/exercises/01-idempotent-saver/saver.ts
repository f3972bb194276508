// Exercise 01: a saver that stores each result at most once, across restarts too.
// The task is in TASK.md. Check your work: pnpm --filter voisietequi exercise 01
import {
  attach,
  closeOnAbort,
  openJsonLinesStore,
  type RoleControl,
  roleLog,
} from "@zmq-patterns/helpers";
import { Pull } from "zeromq";
import { readResult, type StoredResult } from "#src/saver.ts";

export interface IdempotentSaverOptions extends RoleControl {
  bind: string[];
  /** The results file (JSON lines). */
  store: string;
}

export async function runIdempotentSaver(options: IdempotentSaverOptions): Promise<number> {
  const log = roleLog("idempotent-saver");
  const store = await openJsonLinesStore<StoredResult>(options.store, log);
  const socket = new Pull({ linger: 0 });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, { bind: options.bind, connect: [] }, log);
  options.onReady?.(endpoints);

  let stored = 0;
  for await (const frames of socket) {
    const result = readResult(frames);
    if (typeof result === "string") {
      log.warn(`bad result: ${result}`);
      continue;
    }
    const id = `${result.computer}#${result.sequence}`;
    // TODO: skip (and log) a result whose id is already stored, by this run or an earlier one.
    await store.append(result);
    stored += 1;
    log.info(`stored ${id}`);
  }

  socket.close();
  await store.close();
  return stored;
}
