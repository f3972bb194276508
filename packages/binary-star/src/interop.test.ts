import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { atProcessEnd } from "@zmq-patterns/helpers";
import { EPHEMERAL, freeEndpoint, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bstarServerDefaults, runBstarServer } from "./bstar-server.ts";
import { clientDefaults, runClient } from "./client.ts";
import { runServer, serverDefaults } from "./server.ts";

// Interoperability with another ZeroMQ implementation: a Binary Star server and client written in
// Python with pyzmq (its own libzmq build), in interop/, as the Guide's bstarsrv and bstarcli.
// CI installs pyzmq (Debian's python3-zmq); without it these tests are skipped and say so.
const python = ["python3", "/usr/bin/python3"].find(
  (candidate) => spawnSync(candidate, ["-c", "import zmq"], { stdio: "ignore" }).status === 0,
);
const interop = (name: string) => `${name} (needs python3 with pyzmq: apt install python3-zmq)`;
const quick = { heartbeatMs: 500, peerExpiryMs: 1000 };

const peers: ChildProcess[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const child of peers.splice(0)) child.kill("SIGKILL");
});

/** Runs a Python peer from interop/; resolves `line(pattern)` when it prints a matching line. */
function runPeer(script: string, args: string[]) {
  const child = spawn(python!, [`interop/${script}`, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  peers.push(child);
  const forget = atProcessEnd(() => child.kill("SIGKILL"));
  const lines: string[] = [];
  const waiters: (() => boolean)[] = [];
  let rest = "";
  child.stdout!.setEncoding("utf8").on("data", (text: string) => {
    const pieces = (rest + text).split("\n");
    rest = pieces.pop()!;
    lines.push(...pieces);
    for (const waiter of [...waiters]) if (waiter()) waiters.splice(waiters.indexOf(waiter), 1);
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      forget();
      resolve(code);
    }),
  );
  return {
    lines,
    exited,
    line: (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const found = () => {
          const seen = lines.some((line) => pattern.test(line));
          if (seen) resolve();
          return seen;
        };
        if (!found()) waiters.push(found);
        exited.then(() =>
          reject(new Error(`${script} exited before ${pattern}:\n${lines.join("\n")}`)),
        );
      }),
  };
}

describe.skipIf(!python)("interoperability with a Binary Star in Python (pyzmq)", () => {
  it(
    interop(
      "a mixed pair: our primary and a Python backup pair up; our primary stops, the Python backup takes over our client's requests",
    ),
    async () => {
      const log = watchLog();
      const [primaryState, backupState, backupFront] = [
        await freeEndpoint(),
        await freeEndpoint(),
        await freeEndpoint(),
      ];
      const primary = startRole(runServer, {
        ...serverDefaults,
        ...quick,
        frontend: [EPHEMERAL],
        statePub: [primaryState],
        stateSub: [backupState],
      });
      const [primaryFront] = await primary.ready;
      const pyBackup = runPeer("bstarsrv.py", [
        ...[
          "backup",
          "--frontend",
          backupFront,
          "--state-pub",
          backupState,
          "--state-sub",
          primaryState,
        ],
        ...["--heartbeat-ms", "500", "--peer-expiry-ms", "1000"],
      ]);
      await pyBackup.line(/state BACKUP -> PASSIVE/);
      await log.waitFor(/\[primary\] state PRIMARY -> ACTIVE: connected to backup \(passive\)/);
      const client = runClient({
        ...clientDefaults,
        connect: [primaryFront!, backupFront],
        requests: 8,
        intervalMs: 50,
        settleMs: 1000,
      });
      await log.waitFor(/\[client\] server replied OK \(3\)/);
      await primary.stop(); // its sockets close: to the backup, as silent as a crash
      await pyBackup.line(/state PASSIVE -> ACTIVE/);
      const result = await client;
      expect(result).toMatchObject({
        replies: ["1", "2", "3", "4", "5", "6", "7", "8"],
        gaveUp: false,
      });
      expect(result.failovers).toBeGreaterThanOrEqual(1);
      expect(pyBackup.lines.join("\n")).not.toMatch(/bad state message|E: fatal/);
    },
  );

  it(
    interop(
      "the Python client is answered by our pair (server.ts primary, bstar-server.ts backup), every request once, in order",
    ),
    async () => {
      const log = watchLog();
      const [primaryState, backupState] = [await freeEndpoint(), await freeEndpoint()];
      const primary = startRole(runServer, {
        ...serverDefaults,
        ...quick,
        frontend: [EPHEMERAL],
        statePub: [primaryState],
        stateSub: [backupState],
      });
      const backup = startRole(runBstarServer, {
        ...bstarServerDefaults,
        ...quick,
        role: "backup",
        name: "backup",
        frontend: [EPHEMERAL],
        statePub: [backupState],
        stateSub: [primaryState],
      });
      const [[primaryFront], [backupFront]] = await Promise.all([primary.ready, backup.ready]);
      await log.waitFor(/\[backup\] state BACKUP -> PASSIVE/);
      const pyClient = runPeer("bstarcli.py", [
        primaryFront!,
        backupFront!,
        "6",
        "--interval-ms",
        "0",
      ]);
      expect(await pyClient.exited).toBe(0);
      const answered = pyClient.lines.flatMap(
        (line) => line.match(/server replied OK \((\d+)\)/)?.[1] ?? [],
      );
      expect(answered).toEqual(["1", "2", "3", "4", "5", "6"]);
      expect(pyClient.lines.join("\n")).not.toMatch(/failing over|bad reply/);
      expect((await primary.stop()).served).toBe(6);
      expect((await backup.stop()).refused).toBe(0);
    },
  );
});
