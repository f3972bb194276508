import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exerciseModule, exerciseSubject, openJsonLinesStore } from "@zmq-patterns/helpers";
import { EPHEMERAL, type LogWatch, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Push, Request } from "zeromq";
import { fakePost, seededRandom } from "#src/faker.ts";
import type { Post } from "#src/protocol.ts";

/**
 * takePost, with a gate the test can close: while `gate.held` is pending, a post waits (as it
 * would for a slow disk). `gate.taking` resolves when a post reaches takePost.
 */
const gate = vi.hoisted(() => ({
  held: Promise.resolve(),
  taking: Promise.resolve(),
  reached: () => {},
}));
vi.mock("#src/bin.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("#src/bin.ts")>();
  return {
    ...actual,
    takePost: async (...args: Parameters<typeof actual.takePost>) => {
      gate.reached();
      await gate.held;
      return actual.takePost(...args);
    },
  };
});

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

  it("is one loop: while it handles a post, stats wait (as with a poller)", async () => {
    log = watchLog();
    const { bin, mail, stats, alive } = await startPolledBin();
    let release = () => {};
    gate.held = new Promise((resolve) => {
      release = resolve;
    });
    gate.taking = new Promise((resolve) => {
      gate.reached = resolve;
    });
    await pusher(mail).send(post("h-1"));
    await alive(gate.taking); // the loop is inside takePost now, held at the gate
    const events: string[] = [];
    const answer = ask(stats, "has h-1").then((text) => {
      events.push(`answered ${text}`);
      return text;
    });
    // Two for-await loops (the lesson's bin) answer at once, "no": the post is still held.
    // One loop cannot: it is busy with the post until the gate opens.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    events.push("post released");
    release();
    await alive(answer);
    expect(events).toEqual(["post released", "answered yes"]);
    gate.held = Promise.resolve();
    await bin.stop();
  });

  it("stops cleanly while both sockets wait, and returns its counts", async () => {
    const { bin } = await startPolledBin();
    // An unhandled rejection from a receive left pending would fail this run.
    expect(await bin.stop()).toEqual({ received: 0, stored: 0, duplicates: 0, rejected: 0 });
  });
});
