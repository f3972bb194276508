// A durable record store for roles that must keep what they accepted across a restart (a mail
// bin, a result saver): one JSON object per line in a real file, appended and flushed to disk
// (fsync) before `append` resolves, so "stored" means stored. On open it reads back every
// complete line; a torn last line from a crash mid-write is reported and skipped.
import { mkdir, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Logger } from "./log.ts";

export interface JsonLinesStore<T> {
  /** Every record stored so far, including those from earlier runs. */
  readonly records: readonly T[];
  /** Appends one record; resolves once it is on disk. */
  append(record: T): Promise<void>;
  close(): Promise<void>;
}

export async function openJsonLinesStore<T>(
  path: string,
  log?: Logger,
): Promise<JsonLinesStore<T>> {
  await mkdir(dirname(path), { recursive: true });
  const records: T[] = [];
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    try {
      records.push(JSON.parse(line) as T);
    } catch {
      log?.warn(`${path}:${index + 1}: skipping a damaged line (${line.length} bytes)`);
    }
  });
  // A torn last line (no newline at the end) must not glue itself to the next record.
  const file = await open(path, "a");
  if (text.length > 0 && !text.endsWith("\n")) await file.appendFile("\n");

  let queue = Promise.resolve(); // appends happen one at a time, in call order
  return {
    records,
    append(record) {
      const write = queue.then(async () => {
        await file.appendFile(`${JSON.stringify(record)}\n`);
        await file.sync();
        records.push(record);
      });
      queue = write.catch(() => {});
      return write;
    },
    async close() {
      await queue;
      await file.close();
    },
  };
}
