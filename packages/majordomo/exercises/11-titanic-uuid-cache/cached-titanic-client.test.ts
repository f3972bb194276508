import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exerciseModule, exerciseSubject, openJsonLinesStore } from "@zmq-patterns/helpers";
import { EPHEMERAL, runRoleProcess, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { brokerDefaults, runBroker } from "#src/broker.ts";
import { runTitanic, titanicDefaults } from "#src/titanic.ts";
import { MajordomoWorker } from "#src/worker-api.ts";

const file = exerciseModule(import.meta.url, "cached-titanic-client.ts");
type CacheRecord = { uuid: string; body: string } | { closed: string };

afterEach(() => {
  vi.restoreAllMocks();
});

describe(`exercise 11, a Titanic client that caches its uuids (${exerciseSubject()})`, () => {
  it("after a SIGKILL, the restarted client asks for what Titanic accepted instead of sending it again", async () => {
    const log = watchLog();
    const broker = startRole(runBroker, { ...brokerDefaults, bind: [EPHEMERAL], heartbeatMs: 500 });
    const [endpoint] = (await broker.ready) as [string];
    const scratch = mkdtempSync(join(tmpdir(), "ex11-"));
    const dir = join(scratch, "titanic");
    const titanic = startRole(runTitanic, {
      ...titanicDefaults,
      connect: [endpoint],
      dir,
      heartbeatMs: 500,
      dispatchIntervalMs: 200,
    });
    await log.waitFor(/\[broker\] worker "titanic\.close-\w+" ready/);

    // 1. Three requests accepted while no worker exists; then the client crashes (SIGKILL).
    const cache = join(scratch, "client-cache.jsonl");
    const args = ["--connect", endpoint, "--requests", "3", "--body", "job", "--poll-ms", "50"];
    const client = runRoleProcess(fileURLToPath(file), [...args, "--cache", cache]);
    await client.waitForLine(/accepted \w{32} for "job 3"/);
    await client.kill();
    const accepted = log.lines.filter((line) => /\[titanic\] accepted/.test(line)).length;
    expect(accepted).toBe(3);

    // 2. A worker comes, and the client is started again with the same cache.
    const executed: string[] = [];
    const worker = new MajordomoWorker({ broker: endpoint, service: "echo", heartbeatMs: 500 });
    const serving = worker.serve((body) => {
      executed.push(body.map(String).join(" "));
      return body;
    });
    const again = await client.restart();
    for (const body of ["job 1", "job 2", "job 3"]) {
      await again.waitForLine(new RegExp(`resuming \\w{32} for "${body}" \\(cached\\)`));
    }
    const finished = await again.exited;
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/all 3 replies received/);
    for (const body of ["job 1", "job 2", "job 3"]) {
      expect(finished.stdout).toMatch(new RegExp(`reply to \\w{32}: "${body}"`));
    }

    // Titanic accepted each request once, the worker ran each once, nothing is left open.
    const acceptedInAll = log.lines.filter((line) => /\[titanic\] accepted/.test(line)).length;
    expect(acceptedInAll).toBe(3);
    expect(executed.sort()).toEqual(["job 1", "job 2", "job 3"]);
    expect(readdirSync(dir)).toEqual(["damaged"]); // every request closed
    const records = (await openJsonLinesStore<CacheRecord>(cache)).records;
    const open = new Set<string>();
    for (const record of records) {
      if ("closed" in record) open.delete(record.closed);
      else open.add(record.uuid);
    }
    expect(records.length).toBe(6); // three accepted, three closed
    expect(open.size).toBe(0);

    worker.close();
    await serving;
    await titanic.stop();
    await broker.stop();
  });
});
