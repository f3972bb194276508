import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exerciseModule, exerciseSubject, openJsonLinesStore } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Push } from "zeromq";
import type { StoredResult } from "#src/saver.ts";

const { runIdempotentSaver }: typeof import("./solution/saver.ts") = await import(
  exerciseModule(import.meta.url, "saver.ts")
);

const freshStore = async () => join(await mkdtemp(join(tmpdir(), "exercise-01-")), "results.jsonl");

async function storedIds(path: string): Promise<string[]> {
  const store = await openJsonLinesStore<StoredResult>(path);
  await store.close();
  return store.records.map((record) => `${record.computer}#${record.sequence}`);
}

/** A computer's result socket; results sent on one socket arrive in the order sent. */
function computer(endpoint: string) {
  const socket = new Push({ linger: 0 });
  socket.connect(endpoint);
  return {
    async send(...ids: string[]) {
      for (const id of ids) {
        const [name, sequence] = id.split("#");
        await socket.send([name!, sequence!, JSON.stringify({ input: Number(sequence) })]);
      }
    },
    // Only once the saver has logged the last result: linger 0 drops what is still queued.
    close: () => socket.close(),
  };
}

describe(`exercise 01, idempotent saver (${exerciseSubject()})`, () => {
  afterEach(() => vi.restoreAllMocks());

  it("stores a result that arrives twice only once, and says so", async () => {
    const log = watchLog();
    const path = await freshStore();
    const saver = startRole(runIdempotentSaver, { bind: [EPHEMERAL], store: path });
    const [endpoint] = await saver.ready;
    const sender = computer(endpoint!);
    await sender.send("computer-1#1", "computer-1#2", "computer-1#1", "computer-1#3");
    await log.waitFor(/\[idempotent-saver\] stored computer-1#3$/); // so #1's repeat came through too
    sender.close();
    expect(await saver.stop()).toBe(3);
    expect(await storedIds(path)).toEqual(["computer-1#1", "computer-1#2", "computer-1#3"]);
    expect(log.lines).toContain(
      "[idempotent-saver] W: duplicate result computer-1#1, already stored",
    );
  });

  it("recognises the results of an earlier run after a restart on the same file", async () => {
    const log = watchLog();
    const path = await freshStore();
    const first = startRole(runIdempotentSaver, { bind: [EPHEMERAL], store: path });
    const before = computer((await first.ready)[0]!);
    await before.send("computer-1#1", "computer-1#2");
    await log.waitFor(/\[idempotent-saver\] stored computer-1#2$/);
    before.close();
    expect(await first.stop()).toBe(2);

    const again = startRole(runIdempotentSaver, { bind: [EPHEMERAL], store: path });
    const after = computer((await again.ready)[0]!);
    await after.send("computer-1#2", "computer-1#3");
    await log.waitFor(/\[idempotent-saver\] stored computer-1#3$/);
    after.close();
    expect(await again.stop()).toBe(1);
    expect(await storedIds(path)).toEqual(["computer-1#1", "computer-1#2", "computer-1#3"]);
    expect(log.lines).toContain(
      "[idempotent-saver] W: duplicate result computer-1#2, already stored",
    );
  });

  it("keeps results of different computers apart, even with the same sequence", async () => {
    const log = watchLog();
    const path = await freshStore();
    const saver = startRole(runIdempotentSaver, { bind: [EPHEMERAL], store: path });
    const sender = computer((await saver.ready)[0]!);
    await sender.send("computer-1#1", "computer-2#1", "computer-1#1", "computer-2#2");
    await log.waitFor(/\[idempotent-saver\] stored computer-2#2$/);
    sender.close();
    expect(await saver.stop()).toBe(3);
    expect((await storedIds(path)).sort()).toEqual([
      "computer-1#1",
      "computer-2#1",
      "computer-2#2",
    ]);
  });
});
