import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exerciseModule, exerciseSubject, openJsonLinesStore } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole, unusedEndpoint } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { Pull } from "zeromq";
import { binDefaults, runBin } from "#src/bin.ts";
import type { Post } from "#src/protocol.ts";

const { runConfirmingFaker }: typeof import("./solution/faker.ts") = await import(
  exerciseModule(import.meta.url, "faker.ts")
);

// Enough rounds for a bin whose disk is slow on a busy machine: a correct faker stops as soon
// as every post is confirmed, so only a broken one uses them all.
const patient = { timeoutMs: 2000, pauseMs: 50, rounds: 200 };

async function startBin() {
  const store = join(await mkdtemp(join(tmpdir(), "mailbin-02-")), "mailbin.jsonl");
  const bin = startRole(runBin, {
    ...binDefaults,
    bind: [EPHEMERAL],
    statsBind: [EPHEMERAL],
    store,
  });
  const [mail, stats] = await bin.ready;
  const storedIds = async () => {
    await bin.stop();
    const stored = await openJsonLinesStore<Post>(store);
    await stored.close();
    return stored.records.map((post) => post.id);
  };
  return { mail: mail!, stats: stats!, storedIds };
}

const ids = (name: string, count: number) =>
  Array.from({ length: count }, (_, n) => `${name}-${n + 1}`);

describe(`exercise 02, confirmed delivery (${exerciseSubject()})`, () => {
  it("sends its posts to a healthy bin and has each confirmed", async () => {
    const bin = await startBin();
    const result = await runConfirmingFaker({
      ...patient,
      connect: [bin.mail],
      statsConnect: bin.stats,
      posts: 5,
      name: "healthy",
    });
    expect(result.confirmed).toBe(true);
    expect(result.sent).toBe(5 + result.resent);
    expect(await bin.storedIds()).toEqual(ids("healthy", 5));
  });

  it("sends again what a lossy path swallowed, until the bin has every post, stored once", async () => {
    const bin = await startBin();
    // A second peer that takes posts and drops them, as a bin that dies with posts in its
    // queue would: PUSH deals posts to both in turn, so about half go nowhere.
    const blackHole = new Pull({ linger: 0 });
    await blackHole.bind(EPHEMERAL);
    let swallowed = 0;
    const swallowing = (async () => {
      for await (const _post of blackHole) swallowed += 1;
    })();

    const result = await runConfirmingFaker({
      ...patient,
      connect: [bin.mail, blackHole.lastEndpoint!],
      statsConnect: bin.stats,
      posts: 10,
      name: "lossy",
    });
    blackHole.close();
    await swallowing;
    expect(swallowed).toBeGreaterThan(0);
    expect(result.confirmed).toBe(true);
    expect(result.resent).toBeGreaterThanOrEqual(swallowed); // each swallowed copy was made good
    const stored = await bin.storedIds();
    expect(stored.toSorted()).toEqual(ids("lossy", 10).toSorted()); // each once, none missing
  });

  it("gives up, unconfirmed, when the bin never answers", async () => {
    const endpoint = unusedEndpoint(); // posts and questions find nobody
    const result = await runConfirmingFaker({
      connect: [endpoint],
      statsConnect: endpoint,
      posts: 3,
      name: "alone",
      timeoutMs: 100,
      pauseMs: 0,
      rounds: 2,
    });
    expect(result.confirmed).toBe(false);
  });
});
