import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  EPHEMERAL,
  type LogWatch,
  runRoleProcess,
  startRole,
  unusedEndpoint,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it } from "vitest";
import { Reply } from "zeromq";
import { binDefaults, runBin } from "./bin.ts";
import { fakerDefaults, runFaker } from "./faker.ts";
import { runStats, statsDefaults } from "./stats.ts";

async function startBin() {
  const store = join(await mkdtemp(join(tmpdir(), "mailbin-")), "mailbin.jsonl");
  const bin = startRole(runBin, {
    ...binDefaults,
    bind: [EPHEMERAL],
    statsBind: [EPHEMERAL],
    store,
  });
  const [mail, stats] = await bin.ready;
  return { bin, mail: mail!, stats: stats! };
}

describe("stats client", () => {
  let log: LogWatch | undefined;
  afterEach(() => log?.stop());

  it("asks once and prints the bin's counts", async () => {
    log = watchLog();
    const { bin, stats } = await startBin();
    expect(await runStats({ ...statsDefaults, connect: [stats] })).toEqual({
      received: 0,
      stored: 0,
      duplicates: 0,
      rejected: 0,
      in_store: 0,
    });
    expect(log.lines).toContain(
      "[stats] received 0: stored 0, duplicates 0, rejected 0; 0 posts in the store",
    );
    await bin.stop();
  });

  it("keeps asking until the bin has received the posts it expects", async () => {
    const { bin, mail, stats } = await startBin();
    const client = startRole(runStats, {
      ...statsDefaults,
      connect: [stats],
      expect: 4,
      everyMs: 20,
    });
    await client.ready;
    const faker = { ...fakerDefaults, connect: [mail], posts: 4, intervalMs: 0 };
    await runFaker({ ...faker, invalidFraction: 1, name: "broken" });
    expect(await client.done).toMatchObject({ received: 4, rejected: 4, stored: 0 });
    await bin.stop();
  });

  it("gives up with a warning when no bin answers", async () => {
    log = watchLog();
    const endpoint = unusedEndpoint(); // the request finds nobody
    const options = { ...statsDefaults, connect: [endpoint], timeoutMs: 200 };
    expect(await runStats(options)).toBeUndefined();
    expect(log.lines).toContain("[stats] W: no answer in 200 ms; giving up");
  });

  it("does not trust an answer that is not a stats answer", async () => {
    log = watchLog();
    const impostor = new Reply({ linger: 0 });
    await impostor.bind(EPHEMERAL);
    void (async () => {
      for await (const _request of impostor) await impostor.send("World");
    })();
    expect(await runStats({ ...statsDefaults, connect: [impostor.lastEndpoint!] })).toBeUndefined();
    expect(log.lines).toContain('[stats] W: not a stats answer: "World"');
    impostor.close();
  });

  it("exits 1 when no bin answers", async () => {
    const client = runRoleProcess("src/stats.ts", [
      ...["--connect", "tcp://127.0.0.1:1", "--timeout-ms", "200"],
    ]);
    const result = await client.exited;
    expect(result.stdout).toContain("[stats] W: no answer in 200 ms; giving up");
    expect(result.code).toBe(1);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal} while waiting for an answer`, async () => {
      const client = runRoleProcess("src/stats.ts", [
        ...["--connect", "tcp://127.0.0.1:1", "--timeout-ms", "60000"],
      ]);
      await client.waitForLine(/\[stats\] connecting to tcp:/);
      client.signal(signal);
      const result = await client.exited;
      expect(result.stdout).toContain(`[stats] ${signal} received, closing sockets`);
      expect(result.code).toBe(0);
    });
  }
});
