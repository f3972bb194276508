import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openJsonLinesStore } from "@zmq-patterns/helpers";
import {
  EPHEMERAL,
  type LogWatch,
  runRoleProcess,
  startRole,
  unusedEndpoint,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it } from "vitest";
import { Pull } from "zeromq";
import { binDefaults, checkPost, runBin } from "./bin.ts";
import { fakePost, fakerDefaults, runFaker, seededRandom } from "./faker.ts";
import type { Post } from "./protocol.ts";

const quickFaker = { ...fakerDefaults, intervalMs: 0, invalidFraction: 0 };

async function boundPull(endpoint = EPHEMERAL): Promise<{ pull: Pull; endpoint: string }> {
  const pull = new Pull({ linger: 0 });
  await pull.bind(endpoint);
  return { pull, endpoint: pull.lastEndpoint! };
}

async function receiveBodies(pull: Pull, count: number): Promise<string[]> {
  const bodies: string[] = [];
  while (bodies.length < count) bodies.push((await pull.receive()).toString());
  return bodies;
}

describe("faker", () => {
  let log: LogWatch | undefined;
  const pulls: Pull[] = [];
  afterEach(() => {
    for (const pull of pulls.splice(0)) pull.close();
    log?.stop();
  });

  it("sends the same posts under the same name, and other posts under another", async () => {
    const { pull, endpoint } = await boundPull();
    pulls.push(pull);
    const run = async (name: string) => {
      const options = { ...quickFaker, connect: [endpoint], name, posts: 5, invalidFraction: 0.3 };
      expect(await runFaker(options)).toBe(5);
      return receiveBodies(pull, 5);
    };
    const first = await run("same");
    expect(await run("same")).toEqual(first);
    // Every post, broken or not, starts with its id.
    expect(first.map((body) => body.match(/^\{"id":"([^"]+)"/)?.[1])).toEqual([
      "same-1",
      "same-2",
      "same-3",
      "same-4",
      "same-5",
    ]);
    expect(await run("other")).not.toEqual(first);
  });

  it("breaks about the share of posts it is told to, and the bin rejects exactly those", () => {
    const random = seededRandom("fraction");
    const posts = Array.from({ length: 400 }, (_, n) => fakePost(random, `f-${n + 1}`, 0.25));
    const broken = posts.filter((post) => post.flaw);
    expect(broken.length).toBeGreaterThan(60); // 25 % of 400 is 100
    expect(broken.length).toBeLessThan(140);
    expect(new Set(broken.map((post) => post.flaw))).toEqual(
      new Set(["not JSON", "missing a field", "a bad email", "a bad date", "too big"]),
    );
    for (const post of posts) {
      const checked = checkPost([Buffer.from(post.body)]);
      expect("problem" in checked, `${post.id} (${post.flaw ?? "valid"})`).toBe(!!post.flaw);
    }
    const none = Array.from({ length: 50 }, (_, n) => fakePost(random, `n-${n}`, 0));
    expect(none.filter((post) => post.flaw)).toEqual([]);
    const all = Array.from({ length: 50 }, (_, n) => fakePost(random, `a-${n}`, 1));
    expect(all.every((post) => post.flaw)).toBe(true);
  });

  it("keeps sending while no bin is there; the bin gets the queued posts, in order, once it is up", async () => {
    log = watchLog();
    const endpoint = unusedEndpoint(); // nothing listens there yet
    const faker = startRole(runFaker, {
      ...quickFaker,
      connect: [endpoint],
      name: "early",
      posts: 100_000,
      intervalMs: 5,
    });
    await log.waitFor(/\[early\] sent post early-3 /);
    expect(log.lines.filter((line) => line.includes("connected to the mail bin"))).toEqual([]);

    const { pull } = await boundPull(endpoint); // the bin comes up
    pulls.push(pull);
    const bodies = await receiveBodies(pull, 3);
    expect(bodies.map((body) => (JSON.parse(body) as Post).id)).toEqual([
      "early-1",
      "early-2",
      "early-3",
    ]);
    await log.waitFor(/\[early\] connected to the mail bin at ipc:/);
    expect(await faker.stop()).toBeGreaterThanOrEqual(3);
  });

  it("runs three at once against one bin: every post is stored once", async () => {
    log = watchLog();
    const store = join(await mkdtemp(join(tmpdir(), "mailbin-")), "mailbin.jsonl");
    const bin = startRole(runBin, {
      ...binDefaults,
      bind: [EPHEMERAL],
      statsBind: [EPHEMERAL],
      store,
    });
    const [mail] = await bin.ready;
    const names = ["one", "two", "three"];
    const sent = await Promise.all(
      names.map((name) => runFaker({ ...quickFaker, connect: [mail!], name, posts: 10 })),
    );
    expect(sent).toEqual([10, 10, 10]);
    // Posts from one faker arrive in the order sent, so its last one comes last.
    for (const name of names) await log.waitFor(new RegExp(`stored post ${name}-10 `));
    expect(await bin.stop()).toEqual({ received: 30, stored: 30, duplicates: 0, rejected: 0 });
    const stored = await openJsonLinesStore<Post>(store);
    await stored.close();
    const ids = stored.records.map((post) => post.id);
    expect(new Set(ids).size).toBe(30);
    expect(ids.toSorted()).toEqual(
      names.flatMap((name) => Array.from({ length: 10 }, (_, n) => `${name}-${n + 1}`)).toSorted(),
    );
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal} while no bin is there to take its posts`, async () => {
      const faker = runRoleProcess("src/faker.ts", ["--connect", "tcp://127.0.0.1:1"]);
      await faker.waitForLine(/sent post faker-2 \(2\/20\)/);
      faker.signal(signal);
      const result = await faker.exited;
      expect(result.stdout).toContain(`[faker] ${signal} received, closing sockets`);
      expect(result.stdout).toMatch(/\[faker\] stopped: sent \d+ of 20 posts/);
      expect(result.code).toBe(0);
    });
  }
});
