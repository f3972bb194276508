import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exerciseModule, exerciseSubject, openJsonLinesStore } from "@zmq-patterns/helpers";
import { EPHEMERAL, type LogWatch, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it } from "vitest";
import { Push, Request } from "zeromq";
import { fakePost, seededRandom } from "#src/faker.ts";
import type { Post } from "#src/protocol.ts";

const { runPolledBin }: typeof import("./solution/bin.ts") = await import(
  exerciseModule(import.meta.url, "bin.ts")
);

const random = seededRandom("exercise 01");
const post = (id: string) => fakePost(random, id, 0).body;

async function startPolledBin() {
  const store = join(await mkdtemp(join(tmpdir(), "mailbin-01-")), "mailbin.jsonl");
  const bin = startRole(runPolledBin, { bind: [EPHEMERAL], statsBind: [EPHEMERAL], store });
  // Fail at once (not after a time-out) when the bin returns or throws before it is stopped.
  const alive = <T>(promise: Promise<T>) =>
    Promise.race([
      promise,
      bin.done.then((): never => {
        throw new Error("runPolledBin returned before it was stopped");
      }),
    ]);
  const [mail, stats] = await alive(bin.ready);
  return { bin, store, mail: mail!, stats: stats!, alive };
}

async function ask(endpoint: string, command: string): Promise<string> {
  const socket = new Request({ linger: 0, receiveTimeout: 5000 });
  socket.connect(endpoint);
  try {
    await socket.send(command);
    return (await socket.receive()).toString();
  } catch (error) {
    if ((error as { code?: string }).code !== "EAGAIN") throw error;
    throw new Error(
      `no answer to "${command}" in 5 s: does the loop wait on the mail socket only?`,
    );
  } finally {
    socket.close();
  }
}

describe(`exercise 01, one loop for two sockets (${exerciseSubject()})`, () => {
  let log: LogWatch | undefined;
  const pushers: Push[] = [];
  const pusher = (endpoint: string) => {
    const socket = new Push({ linger: 0 });
    socket.connect(endpoint);
    pushers.push(socket);
    return socket;
  };
  afterEach(() => {
    for (const socket of pushers.splice(0)) socket.close();
    log?.stop();
  });

  it("answers stats before any post has come", async () => {
    const { bin, stats, alive } = await startPolledBin();
    expect(JSON.parse(await alive(ask(stats, "stats")))).toEqual({
      received: 0,
      stored: 0,
      duplicates: 0,
      rejected: 0,
      in_store: 0,
    });
    await bin.stop();
  });

  it("takes posts while nobody asks for stats", async () => {
    log = watchLog();
    const { bin, store, mail, alive } = await startPolledBin();
    const faker = pusher(mail);
    for (const id of ["p-1", "p-2", "p-3"]) await faker.send(post(id));
    await alive(
      log.waitFor(/stored post p-3 /, { timeoutMs: 5000 }).catch(() => {
        throw new Error("post p-3 was not stored in 5 s: does the loop wait on stats only?");
      }),
    );
    await bin.stop();
    const stored = await openJsonLinesStore<Post>(store);
    await stored.close();
    expect(stored.records.map((record) => record.id)).toEqual(["p-1", "p-2", "p-3"]);
  });

  it("serves both, interleaved, and its answers match what it took", async () => {
    log = watchLog();
    const { bin, mail, stats, alive } = await startPolledBin();
    const faker = pusher(mail);
    await faker.send(post("q-1"));
    await faker.send("not a post");
    await faker.send(post("q-2"));
    await alive(log.waitFor(/stored post q-2 /, { timeoutMs: 5000 }));
    expect(await alive(ask(stats, "has q-1"))).toBe("yes");
    expect(await alive(ask(stats, "has q-3"))).toBe("no");
    await faker.send(post("q-3"));
    await alive(log.waitFor(/stored post q-3 /, { timeoutMs: 5000 }));
    expect(JSON.parse(await alive(ask(stats, "stats")))).toEqual({
      received: 4,
      stored: 3,
      duplicates: 0,
      rejected: 1,
      in_store: 3,
    });
    expect(await bin.stop()).toEqual({ received: 4, stored: 3, duplicates: 0, rejected: 1 });
  });

  it("stops cleanly while both sockets wait, and returns its counts", async () => {
    const { bin } = await startPolledBin();
    // An unhandled rejection from a receive left pending would fail this run.
    expect(await bin.stop()).toEqual({ received: 0, stored: 0, duplicates: 0, rejected: 0 });
  });
});
