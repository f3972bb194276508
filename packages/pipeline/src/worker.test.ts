import { runRoleProcess, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { XPublisher } from "zeromq";
import { MAX_MESSAGE_BYTES } from "./protocol.ts";
import { waitForPeers } from "./sockets.ts";
import { collect, fakeVentilatorAndSink } from "./test-support.ts";
import { runWorker, workerDefaults } from "./worker.ts";

/** Resolves once a SUB has subscribed to the XPUB: from then on it hears what is published. */
async function subscribed(kill: XPublisher): Promise<void> {
  const [subscription] = await kill.receive();
  expect(subscription?.[0]).toBe(1); // 1 = subscribe, then the topic ("" = everything)
}

/** Resolves once a SUB that lost its connection has subscribed again, on its new one. */
async function subscribedAgain(kill: XPublisher): Promise<void> {
  // The XPUB first passes on the unsubscription of the dropped connection (a 0 byte).
  for (;;) if ((await kill.receive())[0]?.[0] === 1) return;
}

describe("worker", () => {
  afterEach(() => vi.restoreAllMocks());

  it("does each task, numbered or the Guide's plain kind, and pushes a result naming itself and the task", async () => {
    const peers = await fakeVentilatorAndSink();
    const worker = startRole(runWorker, { ...workerDefaults, ...peers.endpoints, name: "w1" });
    await subscribed(peers.kill);
    for (const task of ["3 1", "1 2", "4"]) await peers.tasks.send(task);
    expect(await collect([peers.results], 3)).toEqual([["w1 3 1", "w1 1 2", "w1 4"]]);
    await peers.kill.send("KILL");
    expect(await worker.done).toEqual({
      tasks: [{ workloadMs: 3, number: 1 }, { workloadMs: 1, number: 2 }, { workloadMs: 4 }],
      killed: true,
    });
    peers.close();
  });

  it("listens for KILL before it takes any task", async () => {
    const log = watchLog();
    const peers = await fakeVentilatorAndSink();
    const worker = startRole(runWorker, { ...workerDefaults, ...peers.endpoints, name: "w1" });
    await worker.ready;
    const order = log.lines.filter((line) => /listening for KILL|tasks: connecting/.test(line));
    expect(order).toEqual([
      "[w1] listening for KILL",
      `[w1] tasks: connecting to ${peers.endpoints.ventilator[0]}`,
    ]);
    await worker.stop();
    peers.close();
  });

  describe("bad input is skipped with a W: line, and the worker keeps working", () => {
    const cases: [string, (string | Buffer)[], string][] = [
      ["a task of several frames", ["5", "1"], "expected 1 frame, got 2"],
      ["a workload that is not a number", ["soon"], 'not a workload in ms: "soon"'],
      ["a negative workload", ["-5"], 'not a workload in ms: "-5"'],
      ["a huge workload", ["99999999"], "a workload of 99999999 ms is over the 10000 ms limit"],
      ["bytes that are not UTF-8", [Buffer.from([0xff, 0xfe, 0x35])], "not UTF-8 text: 0xfffe35"],
      ["a 1000-byte frame", ["7".repeat(1000)], "frame is 1000 bytes; the limit is 256"],
    ];
    for (const [what, frames, problem] of cases) {
      it(what, async () => {
        const log = watchLog();
        const peers = await fakeVentilatorAndSink();
        const worker = startRole(runWorker, { ...workerDefaults, ...peers.endpoints, name: "w1" });
        await subscribed(peers.kill);
        await peers.tasks.send("1 1");
        await peers.tasks.send(frames);
        await peers.tasks.send("2 2");
        expect(await collect([peers.results], 2)).toEqual([["w1 1 1", "w1 2 2"]]);
        expect(log.text()).toContain(`[w1] W: skipped a bad task: ${problem}`);
        await peers.kill.send("KILL");
        expect((await worker.done).tasks).toHaveLength(2);
        peers.close();
      });
    }

    it("a control message other than KILL", async () => {
      const log = watchLog();
      const peers = await fakeVentilatorAndSink();
      const worker = startRole(runWorker, { ...workerDefaults, ...peers.endpoints, name: "w1" });
      await subscribed(peers.kill);
      await peers.kill.send("STOP");
      await log.waitFor(/\[w1\] W: ignored "STOP" on the kill line: only "KILL" stops me/);
      await peers.tasks.send("1 1");
      expect(await collect([peers.results], 1)).toEqual([["w1 1 1"]]);
      await peers.kill.send("KILL");
      expect(await worker.done).toEqual({ tasks: [{ workloadMs: 1, number: 1 }], killed: true });
      peers.close();
    });
  });

  describe("a frame over 64 KiB: libzmq drops that connection for good, and the worker connects again", () => {
    it("on the tasks socket: it still does the task it had received before, and those sent after", async () => {
      const log = watchLog();
      const peers = await fakeVentilatorAndSink();
      const connectedTwice = waitForPeers(peers.tasks, 2, undefined); // its first connection, then a new one
      const worker = startRole(runWorker, { ...workerDefaults, ...peers.endpoints, name: "w1" });
      await subscribed(peers.kill);
      await peers.tasks.send("300 1"); // the worker is busy with this one while the rest arrives:
      await peers.tasks.send("1 2"); // received, not yet read, when the connection is dropped
      await peers.tasks.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1));
      await connectedTwice; // anything sent before this would have gone down the dead connection
      await peers.tasks.send("1 3");
      const [results] = await collect([peers.results], 3);
      expect(results!.sort()).toEqual(["w1 1 2", "w1 1 3", "w1 300 1"]);
      expect(log.text()).toMatch(
        /\[w1\] W: tasks: libzmq dropped the connection to tcp:\/\/\S+ \(a frame over 65536 bytes, or another protocol error\) and will not reconnect it: connecting again/,
      );
      await peers.kill.send("KILL");
      const { tasks } = await worker.done;
      expect(tasks.map((task) => task.number).sort()).toEqual([1, 2, 3]); // each one, once
      peers.close();
    });

    it("on the kill line: it still stops on KILL", async () => {
      const log = watchLog();
      const peers = await fakeVentilatorAndSink();
      const worker = startRole(runWorker, { ...workerDefaults, ...peers.endpoints, name: "w1" });
      await subscribed(peers.kill);
      await peers.kill.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1));
      await subscribedAgain(peers.kill);
      await peers.kill.send("KILL");
      expect(await worker.done).toEqual({ tasks: [], killed: true });
      expect(log.text()).toMatch(
        /\[w1\] W: kill line: libzmq dropped the connection to tcp:\/\/\S+ \(a frame over 65536 bytes, or another protocol error\) and will not reconnect it: connecting again/,
      );
      peers.close();
    });
  });

  it("refuses to start with a name that cannot travel in a result", async () => {
    await expect(runWorker({ ...workerDefaults, name: "two words" })).rejects.toThrow(
      '--name "two words": use letters, digits and . _ : - only',
    );
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal}, at once, even in the middle of a 10 s task`, async () => {
      const peers = await fakeVentilatorAndSink();
      const { ventilator, sink, kill } = peers.endpoints;
      const worker = runRoleProcess("src/worker.ts", [
        ...["--name", "w1", "--ventilator", ventilator[0]!],
        ...["--sink", sink[0]!, "--kill", kill[0]!],
      ]);
      await subscribed(peers.kill);
      await peers.tasks.send("10000 1");
      await worker.waitForLine(/working on task 1 \(10000 ms\)/);
      worker.signal(signal);
      const result = await worker.exited;
      expect(result.stdout).toContain(`[w1] ${signal} received, closing sockets`);
      expect(result.stdout).toContain("[w1] stopped after 0 tasks");
      expect(result.code).toBe(0); // not 1: it did not need the forced exit 3 s after the signal
      peers.close();
    });
  }
});
