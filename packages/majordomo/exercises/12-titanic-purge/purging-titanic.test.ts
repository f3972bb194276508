import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { brokerDefaults, runBroker } from "#src/broker.ts";
import { MajordomoClient } from "#src/client-api.ts";
import { MajordomoWorker } from "#src/worker-api.ts";

const file = exerciseModule(import.meta.url, "purging-titanic.ts");
const { runPurgingTitanic, purgingTitanicDefaults } = (await import(
  file
)) as typeof import("./solution/purging-titanic.ts");

const closing: { close(): void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const thing of closing.splice(0)) thing.close();
});

describe(`exercise 12, Titanic purges answered requests nobody closed (${exerciseSubject()})`, () => {
  it("closes an abandoned answered request after purgeAfterMs, never a pending one nor a fresh one", async () => {
    const log = watchLog();
    const broker = startRole(runBroker, { ...brokerDefaults, bind: [EPHEMERAL], heartbeatMs: 500 });
    const [endpoint] = (await broker.ready) as [string];
    const dir = join(mkdtempSync(join(tmpdir(), "ex12-")), "titanic");
    const titanic = startRole(runPurgingTitanic, {
      ...purgingTitanicDefaults,
      connect: [endpoint],
      dir,
      heartbeatMs: 500,
      dispatchIntervalMs: 100,
      purgeAfterMs: 1500,
    });
    await log.waitFor(/\[broker\] worker "titanic\.close-\w+" ready/);
    const worker = new MajordomoWorker({ broker: endpoint, service: "echo", heartbeatMs: 500 });
    closing.push(worker);
    void worker.serve((body) => body);
    const client = new MajordomoClient({ broker: endpoint, timeoutMs: 5000 });
    closing.push(client);
    const ask = async (service: string, ...body: string[]) =>
      (await client.request(service, ...body))?.map(String) ?? [];

    // One request to a service nobody offers (stays pending), one to echo that nobody closes.
    const [, waiting] = await ask("titanic.request", "nobody", "wait for me");
    const [, abandoned] = await ask("titanic.request", "echo", "forget me");
    await log.waitFor(new RegExp(`answered ${abandoned}`));
    const answeredAt = Date.now();
    expect(await ask("titanic.reply", abandoned!)).toEqual(["200", "forget me"]); // not purged yet

    const purged = await log.waitFor(new RegExp(`purged ${abandoned} \\(answered \\d+ ms ago`), {
      timeoutMs: 15_000,
    });
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(1000); // not before its time
    expect(purged.line).toMatch(/never closed/);
    expect(await ask("titanic.reply", abandoned!)).toEqual(["400"]);
    expect(existsSync(join(dir, `${abandoned}.request`))).toBe(false);
    expect(existsSync(join(dir, `${abandoned}.reply`))).toBe(false);

    // The pending request is kept: it has no reply yet, whatever its age.
    expect(await ask("titanic.reply", waiting!)).toEqual(["300"]);
    expect(existsSync(join(dir, `${waiting}.request`))).toBe(true);
    expect(log.lines.filter((line) => line.includes(`purged ${waiting}`))).toEqual([]);

    // Purged means closed in the store too (store.close, not deleting its files behind the
    // store's back): no later pass purges it again. The second of two requests answered one
    // after the other is dispatched in a pass that began after the first one's pass, purge
    // step included, had ended.
    for (const body of ["later 1", "later 2"]) {
      const [, later] = await ask("titanic.request", "echo", body);
      await log.waitFor(new RegExp(`answered ${later}`));
      expect(await ask("titanic.close", later!)).toEqual(["200"]);
    }
    expect(log.lines.filter((line) => line.includes(`purged ${abandoned}`))).toHaveLength(1);

    const counts = await titanic.stop();
    expect(counts.purged).toBe(1);
    await broker.stop();
  });
});
