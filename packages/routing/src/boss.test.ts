import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer } from "zeromq";
import { bossDefaults, runBoss } from "./boss.ts";
import { dealerWorkerDefaults, runDealerWorker } from "./dealer-worker.ts";
import { FIRED, MAX_FRAME_BYTES, WORK_HARDER } from "./protocol.ts";
import { reqWorkerDefaults, runReqWorker } from "./req-worker.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

const quick = { maxWorkMs: 20 };

describe("the boss (rtreq, rtdealer)", () => {
  it("hands work to whichever worker asks, fires every worker after the deadline, and its tally matches what each worker did", async () => {
    const boss = startRole(runBoss, {
      ...bossDefaults,
      bind: [EPHEMERAL],
      runMs: 1000,
      workers: 6,
    });
    const [endpoint] = await boss.ready;
    const [reqDone, dealerDone] = await Promise.all([
      runReqWorker({ ...reqWorkerDefaults, ...quick, connect: [endpoint!], workers: 3 }),
      runDealerWorker({ ...dealerWorkerDefaults, ...quick, connect: [endpoint!], workers: 3 }),
    ]);
    const tally = await boss.done;
    const workers = new Map([...reqDone, ...dealerDone]);
    expect(workers.size).toBe(6);
    // Every worker was fired (its run returned) and did exactly the tasks the boss counted for it.
    expect(new Map([...tally].map(([name, tasks]) => [JSON.parse(name) as string, tasks]))).toEqual(
      workers,
    );
    // Both kinds of worker got work: the boss cannot tell a REQ from a DEALER that writes the "".
    for (const tasks of workers.values()) expect(tasks).toBeGreaterThan(0);
  });

  it("drops malformed requests (no delimiter, too many frames, an oversized frame) and keeps serving", async () => {
    const log = watchLog();
    const boss = startRole(runBoss, {
      ...bossDefaults,
      bind: [EPHEMERAL],
      runMs: 60_000,
      workers: 1,
    });
    const [endpoint] = await boss.ready;
    const rogue = new Dealer({ linger: 0, routingId: "rogue" });
    rogue.connect(endpoint!);
    await rogue.send("Hi Boss"); // no delimiter
    await log.waitFor(/W: from "rogue": expected \[id, "", request\], got 2 frame\(s\); dropped/);
    await rogue.send(["", "Hi", "Boss"]);
    await log.waitFor(/W: from "rogue": expected \[id, "", request\], got 4 frame\(s\); dropped/);
    const cutOff = new Promise((resolve) => rogue.events.on("disconnect", resolve));
    await rogue.send(["", Buffer.alloc(MAX_FRAME_BYTES + 1)]);
    await cutOff; // libzmq drops the connection; the boss never sees the frame
    rogue.close();

    const worker = new Dealer({ linger: 0, routingId: "honest" });
    worker.connect(endpoint!);
    await worker.send(["", "Hi Boss"]);
    expect((await worker.receive()).map(String)).toEqual(["", WORK_HARDER]);
    worker.close();
    const tally = await boss.stop();
    expect([...tally]).toEqual([['"honest"', 1]]);
  });

  it("fires a worker that turns up after the deadline at its first request", async () => {
    const boss = startRole(runBoss, { ...bossDefaults, bind: [EPHEMERAL], runMs: 0, workers: 1 });
    const [endpoint] = await boss.ready;
    const late = new Dealer({ linger: 0, routingId: "late" });
    late.connect(endpoint!);
    await late.send(["", "Hi Boss"]);
    expect((await late.receive()).map(String)).toEqual(["", FIRED]);
    late.close();
    expect([...(await boss.done)]).toEqual([['"late"', 0]]);
  });
});
