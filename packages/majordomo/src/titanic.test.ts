import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Request } from "zeromq";
import { brokerDefaults, runBroker } from "./broker.ts";
import { MajordomoClient } from "./client-api.ts";
import { MAX_FRAME_BYTES, MDPC01 } from "./protocol.ts";
import { runTitanic, titanicDefaults } from "./titanic.ts";
import { runTitanicClient, titanicClientDefaults } from "./titanic-client.ts";
import { MajordomoWorker } from "./worker-api.ts";

// Titanic in process, with our broker and an echo worker that counts what it executes.
const quick = { heartbeatMs: 500, reconnectMs: 100 };
const closing: { close(): void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const thing of closing.splice(0)) thing.close();
});

async function titanicWithBroker(extra: Partial<typeof titanicDefaults> = {}) {
  const log = watchLog();
  const errors: string[] = [];
  vi.spyOn(console, "error").mockImplementation((line: string) => errors.push(line));
  const broker = startRole(runBroker, { ...brokerDefaults, bind: [EPHEMERAL], ...quick });
  const [endpoint] = (await broker.ready) as [string];
  const dir = join(mkdtempSync(join(tmpdir(), "titanic-")), "store");
  const titanic = startRole(runTitanic, {
    ...titanicDefaults,
    ...quick,
    connect: [endpoint],
    dir,
    dispatchIntervalMs: 200,
    ...extra,
  });
  for (const service of ["titanic.request", "titanic.reply", "titanic.close"]) {
    await log.waitFor(new RegExp(`\\[broker\\] worker "${service}-\\w+" ready`));
  }
  const client = new MajordomoClient({ broker: endpoint, timeoutMs: 5000 });
  closing.push(client);
  const ask = async (service: string, ...body: string[]) =>
    (await client.request(service, ...body))?.map(String);
  /** An echo worker that records every request it executes. */
  const echoWorker = () => {
    const executed: string[] = [];
    const worker = new MajordomoWorker({ broker: endpoint, service: "echo", ...quick });
    closing.push(worker);
    void worker.serve((body) => {
      executed.push(body.map(String).join(" "));
      return body;
    });
    return executed;
  };
  const stop = async () => {
    await titanic.stop();
    await broker.stop();
  };
  return { log, errors, endpoint, dir, ask, echoWorker, titanic, stop };
}

describe("Titanic", () => {
  it("stores a request while no worker exists, sends it once one comes, keeps its one reply until closed", async () => {
    const { log, dir, ask, echoWorker, stop } = await titanicWithBroker();
    const [status, uuid] = (await ask("titanic.request", "echo", "Hello", "world")) ?? [];
    expect(status).toBe("200");
    expect(uuid).toMatch(/^[0-9a-f]{32}$/);
    expect(existsSync(join(dir, `${uuid}.request`))).toBe(true); // on disk before the "200"
    expect(await ask("titanic.reply", uuid!)).toEqual(["300"]); // no echo worker yet

    const executed = echoWorker();
    await log.waitFor(new RegExp(`answered ${uuid}`));
    expect(await ask("titanic.reply", uuid!)).toEqual(["200", "Hello", "world"]);
    expect(await ask("titanic.reply", uuid!)).toEqual(["200", "Hello", "world"]); // stored once
    expect(readdirSync(dir).sort()).toEqual([`${uuid}.reply`, `${uuid}.request`, "damaged"].sort());

    expect(await ask("titanic.close", uuid!)).toEqual(["200"]);
    expect(readdirSync(dir)).toEqual(["damaged"]);
    expect(await ask("titanic.reply", uuid!)).toEqual(["400"]); // unknown now
    expect(await ask("titanic.close", uuid!)).toEqual(["200"]); // idempotent
    expect(executed).toEqual(["Hello world"]);
    await stop();
  });

  it("with no fault, the Titanic client gets every reply and each request is executed once", async () => {
    const { endpoint, echoWorker, stop } = await titanicWithBroker();
    const executed = echoWorker();
    const { replies, ok } = await runTitanicClient({
      ...titanicClientDefaults,
      connect: [endpoint],
      requests: 20,
      pollMs: 50,
    });
    expect(ok).toBe(true);
    expect(replies.size).toBe(20);
    for (const [body, reply] of replies) expect(reply).toBe(body);
    expect(executed.sort()).toEqual([...replies.keys()].sort());
    await stop();
  });

  it("answers bad input with 400 and a W: line, and goes on", async () => {
    const { log, endpoint, ask, echoWorker, stop } = await titanicWithBroker({
      maxRequestBytes: 1000,
    });
    const refusals = [
      await ask("titanic.request"), // no service frame
      await ask("titanic.request", ""), // empty service name
      await ask("titanic.request", "x".repeat(300)),
      await ask("titanic.request", "mmi.service", "echo"),
      await ask("titanic.request", "titanic.reply", "echo"),
      await ask("titanic.request", "echo", "y".repeat(600), "z".repeat(600)), // 1200 bytes
      await ask("titanic.reply"), // no uuid
      await ask("titanic.reply", "not-a-uuid"),
      await ask("titanic.reply", "0".repeat(32), "extra"),
      await ask("titanic.close", "../../etc/passwd"),
    ];
    expect(refusals).toEqual(refusals.map(() => ["400"]));
    const warnings = log.lines.filter((line) => /\[titanic\] W: titanic\.\w+ .*"400"/.test(line));
    expect(warnings).toHaveLength(refusals.length);

    // A frame over the limit never reaches Titanic: the broker's socket drops that connection.
    const rogue = new Request({ linger: 0, sendTimeout: 1000 });
    rogue.connect(endpoint);
    await rogue.send([MDPC01, "titanic.request", "echo", Buffer.alloc(MAX_FRAME_BYTES + 1)]);
    rogue.close();

    // An unknown uuid is simply unknown; and Titanic still does its work.
    expect(await ask("titanic.reply", "f".repeat(32))).toEqual(["400"]);
    expect(await ask("titanic.close", "F".repeat(32))).toEqual(["200"]);
    echoWorker();
    const [status, uuid] = (await ask("titanic.request", "echo", "still here")) ?? [];
    expect(status).toBe("200");
    await log.waitFor(new RegExp(`answered ${uuid}`));
    expect(await ask("titanic.reply", uuid!)).toEqual(["200", "still here"]);
    await stop();
  });

  it('says "500" when its disk fails, and "200" again once it works', async () => {
    const { errors, dir, ask, stop } = await titanicWithBroker();
    rmSync(dir, { recursive: true }); // the store's directory vanishes under it
    expect(await ask("titanic.request", "echo", "lost disk")).toEqual(["500"]);
    expect(errors.join("\n")).toMatch(/\[titanic\] E: could not store a request for "echo"/);
    mkdirSync(dir);
    const [status] = (await ask("titanic.request", "echo", "disk back")) ?? [];
    expect(status).toBe("200");
    await stop();
  });
});
