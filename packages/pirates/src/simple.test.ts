import { EPHEMERAL, runRoleProcess, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer } from "zeromq";
import { lazyClientDefaults, runLazyClient } from "./lazy-client.ts";
import { READY } from "./protocol.ts";
import { sendBadClientRequests } from "./queue-test-support.ts";
import { runSimpleQueue, simpleQueueDefaults } from "./simple-queue.ts";
import { runSimpleWorker, simpleWorkerDefaults } from "./simple-worker.ts";

const quickQueue = { ...simpleQueueDefaults, frontend: [EPHEMERAL], backend: [EPHEMERAL] };
const quickWorker = (backend: string, name: string) => ({
  ...simpleWorkerDefaults,
  connect: [backend],
  bind: [],
  workMs: 0,
  name,
});
const client = (frontend: string, requests: number, timeoutMs = 2500) => ({
  ...lazyClientDefaults,
  connect: [frontend],
  bind: [],
  requests,
  timeoutMs,
});
const numbers = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));

describe("Simple Pirate", () => {
  const sockets: { close(): void }[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) socket.close();
  });

  it("balances requests over the workers, idle longest first, and answers each once, in order", async () => {
    const log = watchLog();
    const queue = startRole(runSimpleQueue, quickQueue);
    const [frontend, backend] = await queue.ready;
    const workers = ["worker-1", "worker-2"].map((name) =>
      startRole(runSimpleWorker, quickWorker(backend!, name)),
    );
    await log.waitFor(/\[queue\] worker .* ready \(2 idle\)/);
    const result = await runLazyClient(client(frontend!, 6));
    expect(result).toEqual({ replies: numbers(6), gaveUp: false });
    const answered = await Promise.all(workers.map((worker) => worker.stop()));
    expect(answered.map((worker) => worker.answered)).toEqual([3, 3]); // a sequential client alternates
    expect(await queue.stop()).toEqual({ requests: 6, replies: 6, dropped: 0 });
  });

  it("when a worker is killed holding a request, the client's retry is served by the other", async () => {
    const log = watchLog();
    const queue = startRole(runSimpleQueue, quickQueue);
    const [frontend, backend] = await queue.ready;
    // The doomed worker joins first, so it gets the first request, and holds it (work for ever).
    const doomed = runRoleProcess("src/simple-worker.ts", [
      ...["--connect", backend!, "--name", "doomed", "--work-ms", "600000"],
    ]);
    await log.waitFor(/\[queue\] worker "doomed-\w+" ready \(1 idle\)/);
    const survivor = runRoleProcess("src/simple-worker.ts", [
      ...["--connect", backend!, "--name", "survivor", "--work-ms", "0"],
    ]);
    await log.waitFor(/\[queue\] worker "survivor-\w+" ready \(2 idle\)/);

    const asking = runLazyClient(client(frontend!, 3, 1000));
    await doomed.waitForLine(/normal reply to "1"/); // it has the request...
    expect((await doomed.kill()).signal).toBe("SIGKILL"); // ...and dies with it
    expect(await asking).toEqual({ replies: numbers(3), gaveUp: false });
    expect(log.text()).toContain("[client] reconnected; resending 1 (2 retries left)");
    await survivor.waitForLine(/normal reply to "3"/);
    expect(survivor.lines.join("\n")).toMatch(/normal reply to "1"[\s\S]*"2"[\s\S]*"3"/);
    survivor.signal("SIGTERM");
    expect((await survivor.exited).code).toBe(0);
    await queue.stop();
  });

  it("skips an idle worker whose connection has closed (mandatory ROUTER: EHOSTUNREACH) and serves the request", async () => {
    const log = watchLog();
    const queue = startRole(runSimpleQueue, quickQueue);
    const [frontend, backend] = await queue.ready;
    const gone = runRoleProcess("src/simple-worker.ts", ["--connect", backend!, "--name", "gone"]);
    await log.waitFor(/\[queue\] worker "gone-\w+" ready \(1 idle\)/);
    startRole(runSimpleWorker, quickWorker(backend!, "alive"));
    await log.waitFor(/\[queue\] worker "alive-\w+" ready \(2 idle\)/);
    await gone.kill(); // idle, first in line, and its connection is now closed
    expect(await runLazyClient(client(frontend!, 2))).toEqual({
      replies: numbers(2),
      gaveUp: false,
    });
    expect(log.text()).toMatch(/W: worker "gone-\w+" has gone; trying the next one/);
    expect(log.text()).not.toContain("reconnected; resending"); // no time-out was needed
    await queue.stop();
  });

  describe("bad input to the queue: a W: line, nothing crashes, other clients are still served", () => {
    const fromWorker: [string, (string | Buffer)[], RegExp][] = [
      [
        "no delimiter",
        ["hello"],
        /message from worker "bad" without an empty delimiter and a body; dropped/,
      ],
      ["a delimiter and nothing else", [""], /without an empty delimiter and a body; dropped/],
      [
        "an unknown command byte",
        ["", Buffer.from([0x07])],
        /is neither READY nor \[client, "", reply\]; dropped/,
      ],
      ["a reply without the client's delimiter", ["", "client", "x", "y"], /is neither READY nor/],
      [
        "a reply for a client that has left",
        ["", "gone-client", "", "reply"],
        /for client "gone-client", which has left; dropped/,
      ],
    ];
    for (const [what, frames, expected] of fromWorker) {
      it(`from a worker: ${what}`, async () => {
        const log = watchLog();
        const queue = startRole(runSimpleQueue, quickQueue);
        const [frontend, backend] = await queue.ready;
        const bad = new Dealer({ linger: 0, routingId: "bad" }); // a worker that speaks nonsense
        sockets.push(bad);
        bad.connect(backend!);
        await bad.send(frames);
        await log.waitFor(expected);
        startRole(runSimpleWorker, quickWorker(backend!, "good"));
        expect(await runLazyClient(client(frontend!, 2))).toEqual({
          replies: numbers(2),
          gaveUp: false,
        });
        await queue.stop();
      });
    }

    it("from a worker: READY twice is refused the second time, and it gets one request at a time", async () => {
      const log = watchLog();
      const queue = startRole(runSimpleQueue, quickQueue);
      const [, backend] = await queue.ready;
      const twice = new Dealer({ linger: 0, routingId: "twice" });
      sockets.push(twice);
      twice.connect(backend!);
      await twice.send(["", READY]);
      await twice.send(["", READY]);
      await log.waitFor(/READY from worker "twice", which is already idle; dropped/);
      expect((await queue.stop()).dropped).toBe(1);
    });

    it("from a client: no delimiter, no body, and a frame over the limit (that peer dropped)", async () => {
      const log = watchLog();
      const queue = startRole(runSimpleQueue, quickQueue);
      const [frontend, backend] = await queue.ready;
      startRole(runSimpleWorker, quickWorker(backend!, "good"));
      await log.waitFor(/worker "good-\w+" ready/);
      sockets.push(...(await sendBadClientRequests(frontend!, log)));
      expect(await runLazyClient(client(frontend!, 2))).toEqual({
        replies: numbers(2),
        gaveUp: false,
      });
      expect(await queue.stop()).toMatchObject({ requests: 2, replies: 2, dropped: 2 });
    });
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`queue and worker close their sockets and exit 0 on ${signal}`, async () => {
      const queue = runRoleProcess("src/simple-queue.ts", [
        "--frontend",
        EPHEMERAL,
        "--backend",
        EPHEMERAL,
      ]);
      const [, backend] = await queue
        .waitForLine(/bound to (tcp:\/\/\S+)\n[\s\S]*bound to (tcp:\/\/\S+)/)
        .then((match) => [match[1], match[2]]);
      const worker = runRoleProcess("src/simple-worker.ts", ["--connect", backend!, "--name", "w"]);
      await queue.waitForLine(/worker "w-\w+" ready/);
      for (const role of [queue, worker]) role.signal(signal);
      const [queueResult, workerResult] = await Promise.all([queue.exited, worker.exited]);
      expect(queueResult.stdout).toContain(`[queue] ${signal} received, closing sockets`);
      expect(queueResult.stdout).toContain(
        "[queue] stopped after 0 requests, 0 replies, 0 dropped",
      );
      expect(workerResult.stdout).toContain("[w] stopped after answering 0 requests");
      expect([queueResult.code, workerResult.code]).toEqual([0, 0]);
    });
  }
});
