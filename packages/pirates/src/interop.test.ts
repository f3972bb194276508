import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { atProcessEnd } from "@zmq-patterns/helpers";
import { EPHEMERAL, freeEndpoint, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { lazyClientDefaults, runLazyClient } from "./lazy-client.ts";
import { lazyServerDefaults, runLazyServer } from "./lazy-server.ts";
import { paranoidQueueDefaults, runParanoidQueue } from "./paranoid-queue.ts";
import { paranoidWorkerDefaults, runParanoidWorker } from "./paranoid-worker.ts";
import { runSimpleQueue, simpleQueueDefaults } from "./simple-queue.ts";
import { runSimpleWorker, simpleWorkerDefaults } from "./simple-worker.ts";

// Interoperability with another ZeroMQ implementation: the Guide's Pirates written in Python with
// pyzmq (its own libzmq build), in interop/. Each of our roles meets the Guide's peer on the wire:
// the same sockets, frames and protocol bytes. CI installs pyzmq (Debian's python3-zmq); on a
// machine without it these tests are skipped and say so.
const python = ["python3", "/usr/bin/python3"].find(
  (candidate) => spawnSync(candidate, ["-c", "import zmq"], { stdio: "ignore" }).status === 0,
);
const interop = (name: string) => `${name} (needs python3 with pyzmq: apt install python3-zmq)`;

// Short heartbeats so that a test sees several liveness windows in a second or two.
const beats = { heartbeatMs: 500, liveness: 3 };
const pyBeats = ["--heartbeat-ms", "500", "--liveness", "3"];

interface Peer {
  /** Every stdout line so far. */
  readonly lines: string[];
  /** The `count`-th line matching `pattern` (1 by default), as soon as it is printed. */
  waitForLine(pattern: RegExp, count?: number): Promise<RegExpMatchArray>;
  /** How many lines so far match `pattern`. */
  count(pattern: RegExp): number;
  /** SIGSTOP: the peer hangs, its connections stay open. */
  hang(): void;
  /** SIGCONT after hang(). */
  resume(): void;
  kill(): Promise<number | null>;
  exited: Promise<number | null>;
}

const peers: ChildProcess[] = [];
afterEach(() => {
  vi.restoreAllMocks(); // watchLog's spy on console.log
  for (const child of peers.splice(0)) {
    child.kill("SIGCONT"); // a hung peer too
    child.kill("SIGKILL");
  }
});

/** Runs one of the Python peers in interop/ and watches its output lines (stderr passes through). */
function runPeer(script: string, args: string[]): Peer {
  const child = spawn(python!, [`interop/${script}`, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  peers.push(child);
  const forget = atProcessEnd(() => child.kill("SIGKILL")); // no peer outlives the test run
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      forget();
      resolve(code);
    }),
  );
  const lines: string[] = [];
  const waiters: (() => boolean)[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    console.log(line); // a failing test shows the peer's side too
    lines.push(line);
    for (const waiter of [...waiters]) if (waiter()) waiters.splice(waiters.indexOf(waiter), 1);
  });
  const matching = (pattern: RegExp) =>
    lines.map((line) => line.match(pattern)).filter((match) => match !== null);
  return {
    lines,
    count: (pattern) => matching(pattern).length,
    waitForLine: (pattern, count = 1) =>
      new Promise((resolve, reject) => {
        const found = () => {
          const match = matching(pattern)[count - 1];
          if (match) resolve(match);
          return match !== undefined;
        };
        if (!found()) waiters.push(found);
        exited.then(() =>
          reject(
            new Error(
              `${script} exited before printing ${pattern} (${count}):\n${lines.join("\n")}`,
            ),
          ),
        );
      }),
    hang: () => child.kill("SIGSTOP"),
    resume: () => child.kill("SIGCONT"),
    kill: () => {
      child.kill("SIGKILL");
      return exited;
    },
    exited,
  };
}

/** Waits for the `count`-th line an in-process role logs that matches `pattern`. */
async function waitForLogLines(log: ReturnType<typeof watchLog>, pattern: RegExp, count: number) {
  let since = 0;
  for (let seen = 0; seen < count; seen++)
    since = (await log.waitFor(pattern, { since })).index + 1;
}

const client = (endpoint: string, more: Partial<typeof lazyClientDefaults> = {}) => ({
  ...lazyClientDefaults,
  connect: [endpoint],
  bind: [],
  ...more,
});
const numbers = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

describe.skipIf(!python)("interoperability with the Guide's Pirates in Python (pyzmq)", () => {
  describe("Lazy Pirate", () => {
    it(
      interop(
        "our lazy client outlives a crash of the Python lpserver: every request answered once, in order",
      ),
      async () => {
        const log = watchLog();
        const endpoint = await freeEndpoint(); // the restarted server binds it again
        const first = runPeer("lpserver.py", [
          endpoint,
          "4",
          "--work-ms",
          "0",
          "--crash-after",
          "3",
        ]);
        await first.waitForLine(/bound to/);
        const replies = runLazyClient(client(endpoint, { requests: 6, timeoutMs: 1000 }));
        expect(await first.exited).toBe(0); // crashed on request 4, never answered it
        expect(first.lines).toContain(
          "[py-lpserver] W: simulating a crash: request (4) is never answered",
        );
        await log.waitFor(/\[client\] W: no reply in 1000 ms/);
        const second = runPeer("lpserver.py", [endpoint, "100", "--work-ms", "0"]);
        expect(await replies).toEqual({ replies: numbers(1, 6), gaveUp: false });
        expect(log.text()).toContain("[client] reconnected; resending 4");
        // The restarted server answered the resent 4 and everything after it.
        expect(second.lines.filter((line) => line.includes("normal request"))[0]).toBe(
          "[py-lpserver] normal request (4)",
        );
        await second.kill();
      },
    );

    it(
      interop(
        "the Python lpclient gets every request answered by our lazy server, retrying through an overload",
      ),
      async () => {
        // Request 3 stalls longer than the client waits: the client resends it on a new socket.
        const server = startRole(runLazyServer, {
          ...lazyServerDefaults,
          bind: [EPHEMERAL],
          connect: [],
          workMs: 0,
          overloadAfter: 2,
          overloadMs: 700,
        });
        const [endpoint] = await server.ready;
        const pyClient = runPeer("lpclient.py", [endpoint!, "5", "--timeout-ms", "500"]);
        expect(await pyClient.exited).toBe(0);
        const answered = pyClient.lines.flatMap(
          (line) => line.match(/server replied OK \((\d+)\)/)?.[1] ?? [],
        );
        expect(answered).toEqual(numbers(1, 5));
        expect(pyClient.lines).toContain("[py-lpclient] W: no response from server, retrying...");
        expect(pyClient.lines).toContain("[py-lpclient] reconnected; resending 3");
        expect(pyClient.count(/E: malformed reply/)).toBe(0);
        // At least once, not exactly once: the stalled copy was answered too, to a closed socket.
        expect((await server.stop()).answered).toBeGreaterThan(5);
      },
    );
  });

  describe("Simple Pirate", () => {
    it(
      interop(
        "Python spworkers behind our simple queue take turns; one crashes, the client's retry goes to the other",
      ),
      async () => {
        const log = watchLog();
        const queue = startRole(runSimpleQueue, {
          ...simpleQueueDefaults,
          frontend: [EPHEMERAL],
          backend: [EPHEMERAL],
        });
        const [frontend, backend] = await queue.ready;
        // Worker A answers one request and crashes holding its second; B answers everything else.
        const a = runPeer("spworker.py", [backend!, "5", "--work-ms", "0", "--crash-after", "1"]);
        await log.waitFor(/\[queue\] worker "[0-9A-F]{4}-[0-9A-F]{4}" ready \(1 idle\)/);
        const b = runPeer("spworker.py", [backend!, "5", "--work-ms", "0"]);
        await log.waitFor(/\[queue\] worker "[0-9A-F]{4}-[0-9A-F]{4}" ready \(2 idle\)/);
        const result = await runLazyClient(client(frontend!, { requests: 6, timeoutMs: 500 }));
        expect(result).toEqual({ replies: numbers(1, 6), gaveUp: false });
        // Least recently ready first: 1 to A, 2 to B, 3 to A (which crashes with it), then B.
        expect(a.lines.filter((line) => line.includes("normal reply"))).toHaveLength(1);
        expect(a.lines.at(-2)).toMatch(/W: simulating a crash while holding request 3$/);
        const bReplies = b.lines.flatMap((line) => line.match(/normal reply \((\d+)\)/)?.[1] ?? []);
        expect(bReplies).toEqual(["2", "3", "4", "5", "6"]);
        expect(log.text()).toContain("[client] reconnected; resending 3");
        expect([await a.exited, await b.exited]).toEqual([0, 0]);
        expect(await queue.stop()).toEqual({ requests: 7, replies: 6, dropped: 0 });
      },
    );

    it(
      interop("our simple worker behind the Python spqueue answers every request once, in order"),
      async () => {
        const log = watchLog();
        const pyQueue = runPeer("spqueue.py", [EPHEMERAL, EPHEMERAL, "5"]);
        const [, frontend] = await pyQueue.waitForLine(/frontend bound to (\S+)/);
        const [, backend] = await pyQueue.waitForLine(/backend bound to (\S+)/);
        const worker = startRole(runSimpleWorker, {
          ...simpleWorkerDefaults,
          connect: [backend!],
          bind: [],
          workMs: 0,
        });
        await pyQueue.waitForLine(/worker worker-[0-9A-F]{4} ready/);
        const result = await runLazyClient(client(frontend!, { requests: 5 }));
        expect(result).toEqual({ replies: numbers(1, 5), gaveUp: false });
        expect(await pyQueue.exited).toBe(0); // it passed on its 5 replies
        expect(pyQueue.count(/reply \d\/5 from worker worker-/)).toBe(5);
        expect(log.text()).not.toContain("[worker] W:");
        expect(await worker.stop()).toEqual({ answered: 5, crashed: false });
      },
    );
  });

  describe("Paranoid Pirate", () => {
    it(
      interop(
        "a Python ppworker and our paranoid queue keep each other alive; hung, it is forgotten, then it comes back",
      ),
      async () => {
        const log = watchLog();
        const queue = startRole(runParanoidQueue, {
          ...paranoidQueueDefaults,
          ...beats,
          frontend: [EPHEMERAL],
          backend: [EPHEMERAL],
          showHeartbeats: true,
        });
        const [frontend, backend] = await queue.ready;
        const pyWorker = runPeer("ppworker.py", [
          ...[backend!, "3", ...pyBeats, "--reconnect-ms", "100", "--work-ms", "0"],
        ]);
        const [, first] = await pyWorker.waitForLine(/worker (\S+) ready/);
        // Two liveness windows (1500 ms each) of heartbeats both ways, unless one side gives up first.
        await Promise.race([
          Promise.all([
            waitForLogLines(log, new RegExp(`\\[queue\\] heartbeat from worker "${first}"`), 6),
            pyWorker.waitForLine(/queue heartbeat/, 6),
          ]),
          log.waitFor(/\[queue\] W: worker .* silent for/),
          pyWorker.waitForLine(/heartbeat failure/),
        ]);
        expect(log.text()).not.toMatch(/\[queue\] W: .*(silent for|forgotten)/);
        expect(pyWorker.count(/heartbeat failure/)).toBe(0);
        const before = await runLazyClient(client(frontend!, { requests: 1 }));
        expect(before.replies).toEqual(["1"]);

        // A hung worker says nothing: the queue forgets it. Resumed, it hears nothing from the
        // queue, gives up on it, and comes back on a new socket with a new READY.
        pyWorker.hang();
        await log.waitFor(new RegExp(`worker "${first}" silent for 1500 ms`));
        pyWorker.resume();
        await pyWorker.waitForLine(/W: heartbeat failure, can't reach queue/);
        const [, second] = await pyWorker.waitForLine(/worker (\S+) ready/, 2);
        expect(second).not.toBe(first);
        await log.waitFor(new RegExp(`worker "${second}" ready`));
        const after = await runLazyClient(client(frontend!, { requests: 2 }));
        expect(after.replies).toEqual(["1", "2"]);
        expect(await pyWorker.exited).toBe(0); // it answered its 3 requests
        const counts = await queue.stop();
        expect(counts).toMatchObject({ requests: 3, replies: 3, dropped: 0 });
        expect(counts.expired).toBeGreaterThanOrEqual(1);
      },
    );

    it(
      interop(
        "our paranoid worker and the Python ppqueue keep each other alive; the queue goes, it reconnects to the next one",
      ),
      async () => {
        const log = watchLog();
        const [frontend, backend] = [await freeEndpoint(), await freeEndpoint()]; // bound again later
        let pyQueue = runPeer("ppqueue.py", [frontend, backend, "2", ...pyBeats]);
        await pyQueue.waitForLine(/backend bound to/);
        const worker = startRole(runParanoidWorker, {
          ...paranoidWorkerDefaults,
          ...beats,
          connect: [backend],
          bind: [],
          reconnectMs: 100,
          workMs: 0,
          showHeartbeats: true,
        });
        const [, first] = await pyQueue.waitForLine(/worker (worker-[0-9A-F]{4}) ready/);
        // Two liveness windows (1500 ms each) of heartbeats both ways, unless one side gives up first.
        await Promise.race([
          Promise.all([
            pyQueue.waitForLine(new RegExp(`heartbeat from ${first}`), 6),
            waitForLogLines(log, /\[worker\] heartbeat from the queue/, 6),
          ]),
          pyQueue.waitForLine(/expired/),
          log.waitFor(/\[worker\] W: heartbeat failure/),
        ]);
        expect(pyQueue.count(/expired/)).toBe(0);
        expect(log.text()).not.toContain("[worker] W: heartbeat failure");
        expect((await runLazyClient(client(frontend, { requests: 2 }))).replies).toEqual([
          "1",
          "2",
        ]);
        expect(await pyQueue.exited).toBe(0); // it passed on its 2 replies, and is gone

        // No more heartbeats: the worker gives the queue up and starts over on a new socket.
        await log.waitFor(/\[worker\] W: heartbeat failure: the queue was silent for 1500 ms/);
        pyQueue = runPeer("ppqueue.py", [frontend, backend, "2", ...pyBeats]);
        const [, second] = await pyQueue.waitForLine(/worker (worker-[0-9A-F]{4}) ready/);
        expect(second).not.toBe(first);
        expect((await runLazyClient(client(frontend, { requests: 2 }))).replies).toEqual([
          "1",
          "2",
        ]);
        expect(await pyQueue.exited).toBe(0);
        const result = await worker.stop();
        expect(result).toMatchObject({ answered: 4, crashed: false });
        expect(result.reconnects).toBeGreaterThanOrEqual(1);
      },
    );
  });
});
