import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { atProcessEnd } from "@zmq-patterns/helpers";
import { EPHEMERAL, freeEndpoint, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { asyncClientDefaults, runAsyncClient } from "./async-client.ts";
import { brokerDefaults, runBroker } from "./broker.ts";
import { clientDefaults, runClient } from "./client.ts";
import { mmiDefaults, runMmi } from "./mmi.ts";
import { runWorker, workerDefaults } from "./worker.ts";

// Interoperability with another ZeroMQ implementation: Majordomo peers written in Python with
// pyzmq (its own libzmq build), in interop/, frame for frame as the Guide's mdbroker, mdclient,
// mdworker and mmiecho. Each of our roles meets a Python peer on the wire. Without pyzmq these
// tests are skipped and say so.
const python = ["python3", "/usr/bin/python3"].find(
  (candidate) => spawnSync(candidate, ["-c", "import zmq"], { stdio: "ignore" }).status === 0,
);
const why = python ? "" : " (skipped: needs python3 with pyzmq: apt install python3-zmq)";

interface Peer {
  lines: string[];
  waitForLine(pattern: RegExp): Promise<string>;
  exited: Promise<number | null>;
}
const peers: ChildProcess[] = [];

/** Runs one of the Python peers in interop/ and watches its output lines. */
function runPeer(script: string, args: string[]): Peer {
  const child = spawn(python!, [`interop/${script}`, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  peers.push(child);
  const forget = atProcessEnd(() => child.kill("SIGKILL")); // no peer outlives the test run
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on("line", (line) => {
    console.log(line); // a failing test shows the peer's side too
    lines.push(line);
    for (const waiter of [...waiters]) waiter();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      forget();
      for (const waiter of [...waiters]) waiter();
      resolve(code);
    }),
  );
  return {
    lines,
    exited,
    waitForLine: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.find((candidate) => pattern.test(candidate));
          if (line !== undefined) {
            waiters.delete(check);
            resolve(line);
          } else if (child.exitCode !== null) {
            waiters.delete(check);
            reject(new Error(`${script} exited before printing ${pattern}`));
          }
        };
        waiters.add(check);
        check();
      }),
  };
}

const beats = ["--heartbeat-ms", "500"];

describe.skipIf(!python)(`Majordomo with Python peers (pyzmq)${why}`, () => {
  afterEach(() => {
    vi.restoreAllMocks();
    for (const child of peers.splice(0)) child.kill("SIGKILL");
  });

  it("our broker serves the Python client and MMI query through the Python worker, next to ours", async () => {
    const log = watchLog();
    const broker = startRole(runBroker, { ...brokerDefaults, bind: [EPHEMERAL], heartbeatMs: 500 });
    const [endpoint] = await broker.ready;
    const worker = runPeer("mdworker.py", [endpoint!, "py-echo", "--requests", "5", ...beats]);
    await log.waitFor(/\[broker\] worker \S+ ready for "py-echo"/);

    const client = runPeer("mdclient.py", [endpoint!, "py-echo", "--requests", "5"]);
    expect(await client.exited).toBe(0);
    expect(client.lines.filter((line) => /reply \d: hello \d/.test(line))).toEqual(
      [1, 2, 3, 4, 5].map((n) => `[py-mdclient] reply ${n}: hello ${n}`),
    );
    expect(await worker.exited).toBe(0);

    // Our worker, their client and MMI query; their MMI query about a service nobody offers.
    const ours = startRole(runWorker, {
      ...workerDefaults,
      connect: [endpoint!],
      heartbeatMs: 500,
    });
    await log.waitFor(/\[broker\] worker "echo-\w+" ready for "echo"/);
    const theirs = runPeer("mdclient.py", [endpoint!, "echo", "--requests", "3"]);
    expect(await theirs.exited).toBe(0);
    expect(theirs.lines).toContain("[py-mdclient] 3 requests/replies processed");
    const found = runPeer("mdclient.py", [endpoint!, "echo", "--mmi"]);
    expect(await found.waitForLine(/lookup/)).toBe("[py-mdclient] lookup echo service: 200");
    const missing = runPeer("mdclient.py", [endpoint!, "nobody", "--mmi"]);
    expect(await missing.waitForLine(/lookup/)).toBe("[py-mdclient] lookup nobody service: 404");
    expect(await ours.stop()).toEqual({ answered: 3 });
    expect(await broker.stop()).toMatchObject({ rejected: 0 });
  });

  it("the Python broker serves our client, async client and MMI query through our worker, heartbeats and all", async () => {
    const log = watchLog();
    const endpoint = await freeEndpoint();
    const broker = runPeer("mdbroker.py", [endpoint, ...beats]);
    await broker.waitForLine(/MDP broker is active/);
    const worker = startRole(runWorker, {
      ...workerDefaults,
      connect: [endpoint],
      heartbeatMs: 500,
      showHeartbeats: true,
    });
    await broker.waitForLine(/worker ready for echo/);

    const quick = { connect: [endpoint], timeoutMs: 5000 };
    expect(await runClient({ ...clientDefaults, ...quick, requests: 5 })).toEqual({
      replies: [1, 2, 3, 4, 5].map((n) => `hello ${n}`),
      gaveUp: false,
    });
    expect(
      await runAsyncClient({
        ...asyncClientDefaults,
        ...quick,
        requests: 50,
        window: 20,
        quiet: true,
      }),
    ).toEqual({ answered: 50, duplicates: 0, gaveUp: false });
    expect(await runMmi({ ...mmiDefaults, ...quick, service: "echo" })).toBe("200");
    expect(await runMmi({ ...mmiDefaults, ...quick, service: "nobody" })).toBe("404");
    expect(await runMmi({ ...mmiDefaults, ...quick, query: "mmi.nothing" })).toBe("501");
    // Several liveness windows of idle time: its heartbeats keep our worker from reconnecting.
    let seen = await log.waitFor(/heartbeat from the broker/);
    for (let beat = 2; beat <= 4; beat++)
      seen = await log.waitFor(/heartbeat from the broker/, { since: seen.index + 1 });
    expect(log.text()).not.toContain("heartbeat failure");
    expect((await worker.stop()).answered).toBe(55);
  });
});
