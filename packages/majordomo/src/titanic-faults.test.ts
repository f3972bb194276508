import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { roleLog } from "@zmq-patterns/helpers";
import { freeEndpoint, type RoleChild, runRoleProcess } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it } from "vitest";
import { DAMAGED_DIR, openTitanicStore } from "./titanic-store.ts";
import { MajordomoWorker } from "./worker-api.ts";

// Titanic, its broker and its client as real processes, crashed with SIGKILL while requests are
// pending; the echo worker runs in this process so that the test sees every execution.
// What docs/titanic.md promises, and this asserts:
//  - every request the client was told was accepted ("200" + uuid) is answered, with its own reply;
//  - a request is executed again only if Titanic (or the broker) died between the worker
//    executing it and the reply reaching Titanic's disk: here exactly the one in flight;
//  - the store survives torn files at start-up, and is consistent after SIGTERM.
const beats = ["--heartbeat-ms", "500"];
const REQUESTS = 8;

const closing: { close(): void }[] = [];
afterEach(() => {
  for (const thing of closing.splice(0)) thing.close();
});

const readyAt = (broker: RoleChild, service: string, since = 0) =>
  broker.waitForLine(new RegExp(`worker "${service.replace(".", "\\.")}-\\w+" ready`), { since });
const titanicServicesReady = async (broker: RoleChild, since: number) => {
  for (const service of ["titanic.request", "titanic.reply", "titanic.close"]) {
    await readyAt(broker, service, since);
  }
};

describe("Titanic through crashes (real processes)", () => {
  it("answers every accepted request after SIGKILLs of Titanic and the broker, and re-executes only the request in flight", async () => {
    const endpoint = await freeEndpoint();
    const dir = join(mkdtempSync(join(tmpdir(), "titanic-faults-")), "store");
    let broker = runRoleProcess("src/broker.ts", ["--bind", endpoint, ...beats]);
    await broker.waitForLine(/bound to/);
    const titanicArgs = [
      ...["--connect", endpoint, "--dir", dir, ...beats, "--reconnect-ms", "200"],
      // A generous dispatch time-out: on a loaded machine an echo must never look lost.
      ...["--dispatch-timeout-ms", "5000", "--dispatch-interval-ms", "200"],
    ];
    let titanic = runRoleProcess("src/titanic.ts", titanicArgs);
    await titanicServicesReady(broker, 0);

    // 1. The client's requests are accepted while no echo worker exists: all pending.
    const client = runRoleProcess("src/titanic-client.ts", [
      ...["--connect", endpoint, "--requests", String(REQUESTS), "--poll-ms", "100"],
      ...["--timeout-ms", "1000"], // its retries on a new socket find the restarted broker sooner
    ]);
    await client.waitForLine(new RegExp(`accepted \\w+ for "Hello world ${REQUESTS}"`));

    // 2. Crash both (SIGKILL), leave torn files in the store, and restart both.
    await titanic.kill();
    await broker.kill();
    writeFileSync(join(dir, `${"a".repeat(32)}.request.tmp`), '{"seq":99,"ser'); // died mid-write
    writeFileSync(join(dir, `${"b".repeat(32)}.request`), '{"seq":100,"service":"ec'); // torn
    broker = await broker.restart();
    await broker.waitForLine(/bound to/);
    titanic = await titanic.restart();
    await titanic.waitForLine(/W: store: a+\.request\.tmp is a write that never finished/);
    await titanic.waitForLine(/W: store: b+\.request is damaged/);
    await titanic.waitForLine(new RegExp(`${REQUESTS} request\\(s\\), ${REQUESTS} pending`));
    await titanicServicesReady(broker, 0);

    // 3. The worker comes; while it executes the third request, Titanic is killed again.
    const executions: string[] = [];
    let inFlight = "";
    const worker = new MajordomoWorker({
      broker: endpoint,
      service: "echo",
      heartbeatMs: 500,
      reconnectMs: 200,
      log: roleLog("echo"),
    });
    closing.push(worker);
    let titanicKilled: (crash: Promise<unknown>) => void = () => {};
    const crashed = new Promise<Promise<unknown>>((resolve) => {
      titanicKilled = resolve;
    });
    void worker.serve(async (body) => {
      const text = body.map(String).join(" ");
      executions.push(text);
      if (executions.length === 3) {
        inFlight = text;
        const crash = titanic.kill(); // before its reply can reach Titanic's disk
        titanicKilled(crash);
        await crash;
      }
      return body;
    });
    await readyAt(broker, "echo");
    await await crashed; // the third execution happened, and Titanic is dead
    titanic = await titanic.restart();

    // 4. Every request the client was told was accepted is answered, with its own reply.
    const finished = await client.exited;
    expect(finished.code).toBe(0);
    const accepted = new Map(
      [...finished.stdout.matchAll(/accepted (\w{32}) for "([^"]+)"/g)].map(([, uuid, body]) => [
        uuid!,
        body!,
      ]),
    );
    const replies = new Map(
      [...finished.stdout.matchAll(/reply to (\w{32}): "([^"]+)"/g)].map(([, uuid, reply]) => [
        uuid!,
        reply!,
      ]),
    );
    expect(accepted.size).toBe(REQUESTS);
    expect(replies).toEqual(accepted);
    expect(finished.stdout).toMatch(`all ${REQUESTS} replies received`);

    // At least once: the request in flight at the crash twice, every other one once.
    const counts = new Map<string, number>();
    for (const text of executions) counts.set(text, (counts.get(text) ?? 0) + 1);
    expect(counts.get(inFlight)).toBe(2);
    for (const [text, count] of counts) if (text !== inFlight) expect(count).toBe(1);
    expect([...counts.keys()].sort()).toEqual([...accepted.values()].sort());

    // 5. SIGTERM: Titanic exits 0 and leaves a consistent store (all closed, torn files aside).
    titanic.signal("SIGTERM");
    expect((await titanic.exited).code).toBe(0);
    broker.signal("SIGINT");
    expect((await broker.exited).code).toBe(0);
    const reopened = await openTitanicStore(dir, roleLog("check"));
    expect(reopened.pending()).toEqual([]);
    expect(readdirSync(dir)).toEqual([DAMAGED_DIR]);
    expect(readdirSync(join(dir, DAMAGED_DIR)).sort()).toEqual([
      `${"a".repeat(32)}.request.tmp`,
      `${"b".repeat(32)}.request`,
    ]);
  });

  it("the Titanic client keeps asking while Titanic is away and exits 0 on SIGINT, and so does Titanic", async () => {
    const endpoint = await freeEndpoint();
    const dir = join(mkdtempSync(join(tmpdir(), "titanic-signal-")), "store");
    const titanic = runRoleProcess("src/titanic.ts", ["--connect", endpoint, "--dir", dir]);
    const client = runRoleProcess("src/titanic-client.ts", [
      ...["--connect", endpoint, "--timeout-ms", "500", "--retries", "1"],
    ]);
    // No broker at all: each try gives up, and the next one (on a new client) still goes out.
    const notAccepted = /not accepted \(no answer\); asking again/;
    await client.waitForLine(notAccepted);
    await client.waitForLine(notAccepted, { since: client.lines.length });
    await titanic.waitForLine(/store: .*0 pending/);
    client.signal("SIGINT");
    titanic.signal("SIGINT");
    expect((await client.exited).code).toBe(0);
    expect((await titanic.exited).code).toBe(0);
  });
});
