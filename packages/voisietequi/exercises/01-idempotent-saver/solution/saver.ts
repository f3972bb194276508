// Exercise 01, reference solution: a saver that stores each result at most once.
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
  // The ids of everything on disk, earlier runs included: the file is the memory, not the process.
  const storedIds = new Set(store.records.map((record) => `${record.computer}#${record.sequence}`));
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
    if (storedIds.has(id)) {
      log.warn(`duplicate result ${id}, already stored`);
      continue;
    }
    await store.append(result);
    storedIds.add(id);
    stored += 1;
    log.info(`stored ${id}`);
  }

  socket.close();
  await store.close();
  return stored;
}
