import { EPHEMERAL, runRoleProcess, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Push, Subscriber } from "zeromq";
import { MAX_MESSAGE_BYTES } from "./protocol.ts";
import { runSink, sinkDefaults } from "./sink.ts";
import { waitForPeers } from "./sockets.ts";

const quickSink = { ...sinkDefaults, bind: [EPHEMERAL], connect: [], kill: [EPHEMERAL] };

/** The sink's peers, played by the test: PUSH senders and a subscriber to the kill line. */
async function sinkPeers(resultsEndpoint: string, killEndpoint: string) {
  const sender = new Push({ linger: 0 });
  sender.connect(resultsEndpoint);
  const listener = new Subscriber({ linger: 0 });
  listener.subscribe();
  const listening = waitForPeers(listener, 1, undefined);
  listener.connect(killEndpoint);
  await listening; // connected and subscribed before the sink can send KILL
  const send = async (...messages: (string | (string | Buffer)[])[]) => {
    for (const message of messages) await sender.send(message);
  };
  const close = () => {
    sender.close();
    listener.close();
  };
  return { sender, listener, send, close };
}

describe("sink", () => {
  afterEach(() => vi.restoreAllMocks());

  it("counts one batch from its start to its last result, reports it, then publishes KILL", async () => {
    const log = watchLog();
    const sink = startRole(runSink, { ...quickSink, tasks: 4 });
    const [resultsEndpoint, killEndpoint] = await sink.ready;
    const peers = await sinkPeers(resultsEndpoint!, killEndpoint!);
    await peers.send("0", "w1 5 1", "w2 3 2", "w1 1 3", "w2 2 4");
    const [kill] = await peers.listener.receive();
    expect(kill?.toString()).toBe("KILL");
    const report = await sink.done;
    expect(report.results).toEqual([
      { worker: "w1", task: { workloadMs: 5, number: 1 } },
      { worker: "w2", task: { workloadMs: 3, number: 2 } },
      { worker: "w1", task: { workloadMs: 1, number: 3 } },
      { worker: "w2", task: { workloadMs: 2, number: 4 } },
    ]);
    expect(report.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(log.text()).toMatch(/\[sink\] Total elapsed time: \d+ msec/);
    expect(log.text()).toContain("[sink] tasks per worker: w1: 2, w2: 2");
    expect(log.text()).toContain("[sink] every task, 1 to 4, came back exactly once");
    peers.close();
  });

  it("counts the Guide's workers, whose results are empty, and their plain tasks", async () => {
    const log = watchLog();
    const sink = startRole(runSink, { ...quickSink, tasks: 3 });
    const [resultsEndpoint, killEndpoint] = await sink.ready;
    const peers = await sinkPeers(resultsEndpoint!, killEndpoint!);
    await peers.send("0", "", "w1 7", "");
    const report = await sink.done;
    expect(report.results).toEqual([{}, { worker: "w1", task: { workloadMs: 7 } }, {}]);
    expect(log.text()).toContain("[sink] tasks per worker: (Guide workers): 2, w1: 1");
    peers.close();
  });

  describe("anything that is not a result gets a W: line and is not counted", () => {
    const cases: [string, (string | Buffer)[], string][] = [
      ["a message of several frames", ["w1 5 1", "extra"], "expected 1 frame, got 2"],
      ["bytes that are not UTF-8", [Buffer.from([0xc3, 0x28])], "not UTF-8 text: 0xc328"],
      ["a 1000-byte frame", ["x".repeat(1000)], "frame is 1000 bytes; the limit is 256"],
      ["text without a task", ["hello"], 'not "<worker> <task>": "hello"'],
      ["a worker name that is not one", ["? 5 1"], 'not "<worker> <task>": "? 5 1"'],
      ["a task that is not one", ["w1 soon"], 'result from w1: not a workload in ms: "soon"'],
    ];
    for (const [what, frames, problem] of cases) {
      it(what, async () => {
        const log = watchLog();
        const sink = startRole(runSink, { ...quickSink, tasks: 2 });
        const [resultsEndpoint, killEndpoint] = await sink.ready;
        const peers = await sinkPeers(resultsEndpoint!, killEndpoint!);
        await peers.send("0", "w1 5 1", frames, "w2 3 2");
        const report = await sink.done;
        expect(report.results.map((result) => result.worker)).toEqual(["w1", "w2"]);
        expect(log.text()).toContain(
          `[sink] W: ignored a message that is not a result: ${problem}`,
        );
        peers.close();
      });
    }

    it("a task that comes back twice", async () => {
      const log = watchLog();
      const sink = startRole(runSink, { ...quickSink, tasks: 2 });
      const [resultsEndpoint, killEndpoint] = await sink.ready;
      const peers = await sinkPeers(resultsEndpoint!, killEndpoint!);
      await peers.send("0", "w1 5 1", "w2 5 1", "w2 3 2");
      const report = await sink.done;
      expect(report.results.map((result) => result.task?.number)).toEqual([1, 2]);
      expect(log.text()).toContain("[sink] W: task 1 came back twice (from w2): counted once");
      peers.close();
    });
  });

  it("drops a peer that sends more than the hard message limit and keeps counting", async () => {
    const sink = startRole(runSink, { ...quickSink, tasks: 1 });
    const [resultsEndpoint, killEndpoint] = await sink.ready;
    const flooder = new Push({ linger: 0 });
    const dropped = new Promise<void>((resolve) =>
      flooder.events.on("disconnect", () => resolve()),
    );
    flooder.connect(resultsEndpoint!);
    await flooder.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1));
    await dropped; // libzmq closed the connection; the sink's code never saw the message
    flooder.close();
    const peers = await sinkPeers(resultsEndpoint!, killEndpoint!);
    await peers.send("0", "w1 5 1");
    expect((await sink.done).results).toEqual([
      { worker: "w1", task: { workloadMs: 5, number: 1 } },
    ]);
    peers.close();
  });

  it("counts a sender again once libzmq has reconnected it after dropping it for such a frame", async () => {
    // The sink binds: the connection it drops is the sender's, which connects. For that end it
    // is a lost connection, and libzmq reconnects it by itself (as our workers' results socket).
    const sink = startRole(runSink, { ...quickSink, tasks: 1 });
    const [resultsEndpoint] = await sink.ready;
    const sender = new Push({ linger: 0 });
    const connectedTwice = waitForPeers(sender, 2, undefined);
    sender.connect(resultsEndpoint!);
    await sender.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1));
    await connectedTwice; // "disconnect", "connect:retry", then a new handshake
    await sender.send("0");
    await sender.send("w1 5 1");
    expect((await sink.done).results).toEqual([
      { worker: "w1", task: { workloadMs: 5, number: 1 } },
    ]);
    sender.close();
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal} in the middle of a batch`, async () => {
      const sink = runRoleProcess("src/sink.ts", ["--bind", EPHEMERAL, "--kill", EPHEMERAL]);
      const [, resultsEndpoint] = await sink.waitForLine(/results: bound to (tcp:\/\/\S+)/);
      const [, killEndpoint] = await sink.waitForLine(/kill line: bound to (tcp:\/\/\S+)/);
      const peers = await sinkPeers(resultsEndpoint!, killEndpoint!);
      await peers.send("0", ...Array.from({ length: 10 }, (_, index) => `w1 5 ${index + 1}`));
      await sink.waitForLine(/10\/100 results/);
      sink.signal(signal);
      const result = await sink.exited;
      expect(result.stdout).toContain(`[sink] ${signal} received, closing sockets`);
      expect(result.stdout).toContain("[sink] stopped with 10 of 100 results");
      expect(result.code).toBe(0);
      peers.close();
    });
  }
});
