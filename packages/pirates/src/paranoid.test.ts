import {
  createTestNetwork,
  networkNamespacesUnavailable,
  type RoleChild,
  type TestNetwork,
} from "@zmq-patterns/helpers";
import {
  EPHEMERAL,
  freeEndpoint,
  runRoleProcess,
  startRole,
  unusedEndpoint,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Router } from "zeromq";
import { lazyClientDefaults, runLazyClient } from "./lazy-client.ts";
import { paranoidQueueDefaults, runParanoidQueue } from "./paranoid-queue.ts";
import { paranoidWorkerDefaults, runParanoidWorker } from "./paranoid-worker.ts";
import { HEARTBEAT, MAX_FRAME_BYTES, READY } from "./protocol.ts";
import { sendBadClientRequests } from "./queue-test-support.ts";

// Heartbeats 2x faster than the Guide's, so a test waits ~1.5 s for a peer to be declared dead
// instead of 3 s. What is asserted is the same: who is forgotten, who reconnects, who serves.
const HEARTBEAT_MS = "500";
const timing = ["--heartbeat-ms", HEARTBEAT_MS, "--liveness", "3"];
const workerTiming = [...timing, "--reconnect-ms", "100", "--reconnect-max-ms", "400"];
const quickQueue = {
  ...paranoidQueueDefaults,
  frontend: [EPHEMERAL],
  backend: [EPHEMERAL],
  heartbeatMs: Number(HEARTBEAT_MS),
};
const quickWorker = (backend: string, name: string) => ({
  ...paranoidWorkerDefaults,
  connect: [backend],
  bind: [],
  heartbeatMs: Number(HEARTBEAT_MS),
  reconnectMs: 100,
  reconnectMaxMs: 400,
  workMs: 0,
  name,
});
const client = (frontend: string, requests: number) => ({
  ...lazyClientDefaults,
  connect: [frontend],
  bind: [],
  requests,
  timeoutMs: 1500,
  retries: 5,
});
const numbers = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
const workerProcess = (backend: string, name: string, more: string[] = []) =>
  runRoleProcess("src/paranoid-worker.ts", [
    "--connect",
    backend,
    "--name",
    name,
    ...workerTiming,
    "--work-ms",
    "0",
    ...more,
  ]);
/** Lines of a child process from `since` on, for "did it happen after that point?" checks. */
const linesSince = (role: RoleChild, since: number) => role.lines.slice(since).join("\n");

describe("Paranoid Pirate", () => {
  const sockets: { close(): void }[] = [];
  const children: RoleChild[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) socket.close();
    await Promise.all(children.splice(0).map((child) => child.kill()));
  });

  it("serves every request once, in order, over workers that heartbeat the queue", async () => {
    const log = watchLog();
    const queue = startRole(runParanoidQueue, quickQueue);
    const [frontend, backend] = await queue.ready;
    const workers = ["worker-1", "worker-2"].map((name) =>
      startRole(runParanoidWorker, quickWorker(backend!, name)),
    );
    await log.waitFor(/\[queue\] worker .* ready \(2 idle, 2 live\)/);
    expect(await runLazyClient(client(frontend!, 6))).toEqual({
      replies: numbers(6),
      gaveUp: false,
    });
    const results = await Promise.all(workers.map((worker) => worker.stop()));
    expect(results.map((result) => result.answered)).toEqual([3, 3]);
    expect(await queue.stop()).toMatchObject({ requests: 6, replies: 6, dropped: 0 });
  });

  it("forgets a hung worker (SIGSTOP, connection still open) and sends it no work; after SIGCONT it says READY again and serves", async () => {
    const log = watchLog();
    const queue = startRole(runParanoidQueue, quickQueue);
    const [frontend, backend] = await queue.ready;
    const hung = workerProcess(backend!, "hung");
    const healthy = workerProcess(backend!, "healthy");
    children.push(hung, healthy);
    await log.waitFor(/\[queue\] worker .* ready \(2 idle, 2 live\)/);

    const hungAt = log.lines.length;
    hung.hang();
    const forgotten = await log.waitFor(
      /worker "hung-\w+" silent for 1500 ms \(3 heartbeats missed\); forgotten/,
      { since: hungAt },
    );
    // A hung process closes nothing: the queue saw no disconnect, only silence.
    const whileHung = log.lines.slice(hungAt, forgotten.index).join("\n");
    expect(whileHung).not.toContain("a worker connection closed");
    expect(await runLazyClient(client(frontend!, 4))).toEqual({
      replies: numbers(4),
      gaveUp: false,
    });
    expect(healthy.lines.filter((line) => line.includes("normal reply"))).toHaveLength(4); // all of them

    const resumedAt = hung.lines.length;
    hung.resume();
    await hung.waitForLine(/W: heartbeat failure: the queue was silent for 1500 ms/, {
      since: resumedAt,
    });
    await log.waitFor(/\[queue\] worker "hung-\w+" ready/, { since: forgotten.index + 1 });
    expect(await runLazyClient(client(frontend!, 2))).toEqual({
      replies: numbers(2),
      gaveUp: false,
    });
    expect(linesSince(hung, resumedAt)).toMatch(/normal reply to "\d"/); // back in rotation
    // A killed worker, unlike a hung one, closes its connection at once (which one, only silence tells).
    const killedAt = log.lines.length;
    await healthy.kill();
    await log.waitFor(/\[queue\] a worker connection closed/, { since: killedAt });
    await queue.stop();
  });

  it("when the queue is killed, workers notice by heartbeat, back off, and serve the queue that restarts on the same port", async () => {
    const [frontend, backend] = [await freeEndpoint(), await freeEndpoint()];
    let queue = runRoleProcess("src/paranoid-queue.ts", [
      "--frontend",
      frontend,
      "--backend",
      backend,
      ...timing,
    ]);
    children.push(queue);
    const workers = ["worker-1", "worker-2"].map((name) => workerProcess(backend, name));
    children.push(...workers);
    await queue.waitForLine(/ready \(2 idle, 2 live\)/);

    const killedAt = workers.map((worker) => worker.lines.length);
    expect((await queue.kill()).signal).toBe("SIGKILL");
    for (const [i, worker] of workers.entries()) {
      await worker.waitForLine(
        /W: heartbeat failure: the queue was silent for 1500 ms; reconnecting in 100 ms/,
        {
          since: killedAt[i],
        },
      );
    }
    queue = await queue.restart();
    children.push(queue);
    for (const name of ["worker-1", "worker-2"])
      await queue.waitForLine(new RegExp(`worker "${name}-\\w+" ready`), { since: 0 });
    expect(await runLazyClient(client(frontend, 4))).toEqual({
      replies: numbers(4),
      gaveUp: false,
    });
    // Each worker serves the new queue. (On a busy machine a worker may give up on a socket that
    // connected while the queue was still starting, and say READY once more before it settles:
    // ask until each has served, the test's time limit bounding it.)
    for (const worker of workers) {
      while (!worker.lines.some((line) => line.includes("normal reply to")))
        expect((await runLazyClient(client(frontend, 1))).gaveUp).toBe(false);
    }
  });

  it("a worker with no queue backs off, doubling the wait up to the maximum, each time on a new socket", async () => {
    const log = watchLog();
    const worker = startRole(runParanoidWorker, {
      ...quickWorker(unusedEndpoint(), "lonely"),
      heartbeatMs: 50,
      liveness: 2,
      reconnectMs: 20,
      reconnectMaxMs: 80,
    });
    await log.waitFor(/reconnecting in 80 ms/);
    const fourth = await log.waitFor(/reconnecting in 80 ms/, { since: log.lines.length });
    const waits = log.lines
      .slice(0, fourth.index + 1)
      .flatMap((line) => line.match(/silent for 100 ms; reconnecting in (\d+) ms/)?.[1] ?? [])
      .map(Number);
    expect(waits).toEqual([20, 40, 80, 80]);
    const identities = log.lines.flatMap(
      (line) => line.match(/\[lonely\] (lonely-\w+) ready/)?.[1] ?? [],
    );
    expect(new Set(identities).size).toBe(identities.length); // a new routing id every time
    expect((await worker.stop()).reconnects).toBeGreaterThanOrEqual(3);
  });

  describe("bad input to the queue: a W: line, nothing crashes, other clients are still served", () => {
    const fromWorker: [string, (string | Buffer)[], RegExp][] = [
      [
        "an unknown command byte",
        [Buffer.from([0x07])],
        /invalid message from worker "bad": 1 frame\(s\), neither READY, HEARTBEAT nor a reply; dropped/,
      ],
      [
        "a heartbeat before READY",
        [HEARTBEAT],
        /heartbeat from worker "bad", which is not ready \(forgotten\?\); ignored/,
      ],
      [
        "a reply with no delimiter",
        ["client", "reply"],
        /invalid message from worker "bad": 2 frame\(s\)/,
      ],
      [
        "garbage bytes in many frames",
        [Buffer.from([0xff, 0xfe]), Buffer.alloc(3), Buffer.from("x")],
        /invalid message from worker "bad": 3 frame\(s\)/,
      ],
      [
        "a reply for a client that has left",
        ["gone-client", "", "reply"],
        /for client "gone-client", which has left; dropped/,
      ],
    ];
    for (const [what, frames, expected] of fromWorker) {
      it(`from a worker: ${what}`, async () => {
        const log = watchLog();
        const queue = startRole(runParanoidQueue, quickQueue);
        const [frontend, backend] = await queue.ready;
        const bad = new Dealer({ linger: 0, routingId: "bad" });
        sockets.push(bad);
        bad.connect(backend!);
        await bad.send(frames);
        await log.waitFor(expected);
        startRole(runParanoidWorker, quickWorker(backend!, "good"));
        await log.waitFor(/worker "good-\w+" ready \(1 idle, 1 live\)/);
        expect(await runLazyClient(client(frontend!, 2))).toEqual({
          replies: numbers(2),
          gaveUp: false,
        });
        await queue.stop();
      });
    }

    it("from clients: no delimiter, no body, and a frame over the limit (that peer dropped)", async () => {
      const log = watchLog();
      const queue = startRole(runParanoidQueue, quickQueue);
      const [frontend, backend] = await queue.ready;
      startRole(runParanoidWorker, quickWorker(backend!, "good"));
      await log.waitFor(/worker "good-\w+" ready/);
      sockets.push(...(await sendBadClientRequests(frontend!, log)));
      expect(await runLazyClient(client(frontend!, 2))).toEqual({
        replies: numbers(2),
        gaveUp: false,
      });
      expect(await queue.stop()).toMatchObject({ requests: 2, replies: 2, dropped: 2 });
    });
  });

  it("the worker survives garbage from its queue: a W: line, and it keeps serving", async () => {
    const log = watchLog();
    const queue = new Router({ linger: 0 }); // a fake queue the test drives by hand
    sockets.push(queue);
    await queue.bind(EPHEMERAL);
    const worker = startRole(runParanoidWorker, quickWorker(queue.lastEndpoint!, "w"));
    const [identity, ready] = await queue.receive();
    expect(ready).toEqual(READY);
    await queue.send([identity!, Buffer.from([0x07])]); // unknown command
    await queue.send([identity!, "", "no address before the delimiter"]);
    await queue.send([identity!, "client", ""]); // an envelope with no body
    await log.waitFor(/\[w\] W: invalid message from the queue: "client" ""; ignored/);
    await queue.send([identity!, "client", "", "42"]);
    for (;;) {
      const [, ...reply] = await queue.receive();
      if (reply.length === 1 && reply[0]!.equals(HEARTBEAT)) continue; // its heartbeats go on
      expect(reply.map(String)).toEqual(["client", "", "42"]);
      break;
    }
    expect(log.text()).toContain("[w] W: invalid message from the queue: 0x07; ignored");
    expect((await worker.stop()).answered).toBe(1);
  });

  it("a frame over the limit from its queue costs the worker its connection, and heartbeats bring it back", async () => {
    const log = watchLog();
    const queue = new Router({ linger: 0 }); // a fake queue that sends what ours never would
    sockets.push(queue);
    await queue.bind(EPHEMERAL);
    const worker = startRole(runParanoidWorker, quickWorker(queue.lastEndpoint!, "w"));
    const [first] = await queue.receive(); // READY
    await queue.send([first!, "client", "", Buffer.alloc(MAX_FRAME_BYTES + 1)]);
    // libzmq dropped that connection before the worker's code saw the frame, and does not
    // reconnect it; the silence that follows is what tells the worker to start over.
    await log.waitFor(/\[w\] W: heartbeat failure: the queue was silent for 1500 ms/);
    for (;;) {
      const [identity, ...body] = await queue.receive();
      if (body.length === 1 && body[0]!.equals(READY) && !identity!.equals(first!)) break;
    }
    expect(log.text()).not.toContain("normal reply"); // the oversized request never reached it
    expect((await worker.stop()).reconnects).toBeGreaterThanOrEqual(1);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`queue and worker close their sockets and exit 0 on ${signal}, also while the worker backs off`, async () => {
      const [frontend, backend] = [await freeEndpoint(), await freeEndpoint()];
      const queue = runRoleProcess("src/paranoid-queue.ts", [
        "--frontend",
        frontend,
        "--backend",
        backend,
        ...timing,
      ]);
      const worker = workerProcess(backend, "w", ["--reconnect-ms", "60000"]);
      children.push(worker);
      await queue.waitForLine(/worker "w-\w+" ready/);
      queue.signal(signal);
      const queueResult = await queue.exited;
      expect(queueResult.stdout).toContain(`[queue] ${signal} received, closing sockets`);
      expect(queueResult.code).toBe(0);
      await worker.waitForLine(/reconnecting in 60000 ms/); // the queue is gone: it waits a minute
      worker.signal(signal);
      const workerResult = await worker.exited;
      expect(workerResult.stdout).toContain(
        "[w] stopped after answering 0 requests (0 reconnects)",
      );
      expect(workerResult.code).toBe(0);
    });
  }
});

// A cut network: no FIN, no RST, the TCP connection stays "up" and packets vanish. Only the
// heartbeats can tell. Each role is a process on its own host (a network namespace).
const noNetns = networkNamespacesUnavailable();
describe.skipIf(noNetns)(
  `Paranoid Pirate across a network partition${noNetns ? ` (skipped: needs root and Linux network namespaces: ${noNetns})` : ""}`,
  () => {
    let network: TestNetwork | undefined;
    afterEach(async () => {
      await network?.remove();
    });

    it("both sides detect a cut link by heartbeat alone, requests go to the other worker, and the healed worker is back in rotation", async () => {
      network = await createTestNetwork(["queue", "worker-1", "worker-2"]);
      const { hosts } = network;
      const queue = runRoleProcess(
        "src/paranoid-queue.ts",
        [
          "--frontend",
          "tcp://127.0.0.1:5555",
          "--backend",
          `tcp://${hosts.queue!.address}:5556`,
          ...timing,
        ],
        { host: hosts.queue! },
      );
      const toQueue = `tcp://${hosts.queue!.address}:5556`;
      const workers = ["worker-1", "worker-2"].map((name) =>
        runRoleProcess(
          "src/paranoid-worker.ts",
          ["--connect", toQueue, "--name", name, ...workerTiming, "--work-ms", "20"],
          {
            host: hosts[name]!,
          },
        ),
      );
      const [cutWorker] = workers as [RoleChild, RoleChild];
      await queue.waitForLine(/ready \(2 idle, 2 live\)/);
      // The client lives on the queue's host and keeps asking until the test stops it.
      const asker = runRoleProcess(
        "src/lazy-client.ts",
        [
          "--connect",
          "tcp://127.0.0.1:5555",
          "--requests",
          "1000000",
          "--timeout-ms",
          "1500",
          "--retries",
          "5",
        ],
        { host: hosts.queue! },
      );
      await asker.waitForLine(/server replied OK \(5\)/);

      const cutAt = { queue: queue.lines.length, worker: cutWorker.lines.length };
      await network.cut("worker-1");
      await queue.waitForLine(
        /worker "worker-1-\w+" silent for 1500 ms \(3 heartbeats missed\); forgotten/,
        {
          since: cutAt.queue,
        },
      );
      await cutWorker.waitForLine(/W: heartbeat failure/, { since: cutAt.worker });
      // Unlike a kill, the cut closed no connection: the queue saw no disconnect at all.
      expect(linesSince(queue, cutAt.queue)).not.toContain("a worker connection closed");
      const answeredDuringCut = asker.lines.length;
      await asker.waitForLine(/server replied OK/, { since: answeredDuringCut }); // worker-2 serves

      const healedAt = { queue: queue.lines.length, worker: cutWorker.lines.length };
      await network.heal("worker-1");
      await queue.waitForLine(/worker "worker-1-\w+" ready/, { since: healedAt.queue });
      await cutWorker.waitForLine(/normal reply to/, { since: healedAt.worker }); // back in rotation

      asker.signal("SIGTERM");
      const result = await asker.exited;
      expect(result.code).toBe(0);
      const answered = [...result.stdout.matchAll(/server replied OK \((\d+)\)/g)].map((m) =>
        Number(m[1]),
      );
      expect(answered).toEqual(answered.map((_, i) => i + 1)); // none lost, none twice, in order
      expect(result.stderr).not.toContain("abandoning");
      for (const role of [queue, ...workers]) role.signal("SIGTERM");
      const exits = await Promise.all([queue, ...workers].map((role) => role.exited));
      expect(exits.map((exit) => exit.code)).toEqual([0, 0, 0]);
    });
  },
);
