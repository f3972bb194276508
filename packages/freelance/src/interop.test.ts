import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { atProcessEnd } from "@zmq-patterns/helpers";
import { freeEndpoint, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it } from "vitest";
import { client1Defaults, runClient1 } from "./client1.ts";
import { client2Defaults, runClient2 } from "./client2.ts";
import { client3Defaults, runClient3 } from "./client3.ts";
import { runServer1, server1Defaults } from "./server1.ts";
import { runServer2, server2Defaults } from "./server2.ts";
import { runServer3, server3Defaults } from "./server3.ts";

// Interoperability with another ZeroMQ implementation: the Guide's Freelance servers and clients
// written in Python with pyzmq (its own libzmq build), in interop/. Each of our roles meets the
// Python peer on the wire: the same sockets, frames and routing ids. CI installs pyzmq (Debian's
// python3-zmq); on a machine without it these tests are skipped and say so.
const python = ["python3", "/usr/bin/python3"].find(
  (candidate) => spawnSync(candidate, ["-c", "import zmq"], { stdio: "ignore" }).status === 0,
);
const interop = (name: string) => `${name} (needs python3 with pyzmq: apt install python3-zmq)`;

const peers: ChildProcess[] = [];
afterEach(() => {
  for (const child of peers.splice(0)) child.kill("SIGKILL");
});

/** Runs a Python peer from interop/; resolves `ready` on its first line, `exited` with its code and output. */
function runPeer(script: string, args: string[]) {
  const child = spawn(python!, [`interop/${script}`, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  peers.push(child);
  const forget = atProcessEnd(() => child.kill("SIGKILL")); // no peer outlives the test run
  const lines: string[] = [];
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  createInterface({ input: child.stdout! }).on("line", (line) => {
    console.log(line); // a failing test shows the peer's side too
    lines.push(line);
    markReady();
  });
  const exited = new Promise<{ code: number | null; lines: string[] }>((resolve) =>
    child.on("close", (code) => {
      forget();
      resolve({ code, lines });
    }),
  );
  return { ready, exited };
}

const replyServers = (lines: string[]) =>
  lines.flatMap((line) => line.match(/reply \d+ from (\S+)/)?.[1] ?? []);

describe.skipIf(!python)(
  "interoperability with the Guide's Freelance roles in Python (pyzmq)",
  () => {
    it(interop("our clients against Python servers, models 1, 2 and 3"), async () => {
      const endpoints = [await freeEndpoint(), await freeEndpoint(), await freeEndpoint()];
      const [one, two, three] = endpoints as [string, string, string];
      const servers = [
        runPeer("flserver.py", ["1", one, "--requests", "3"]),
        runPeer("flserver.py", ["2", two, "--requests", "3"]),
        runPeer("flserver.py", ["3", three, "--requests", "3"]),
      ];
      await Promise.all(servers.map((server) => server.ready));
      const first = await runClient1({ ...client1Defaults, connect: [one], requests: 3 });
      expect(first).toEqual({ answeredBy: [one, one, one], failed: false });
      const second = await runClient2({ ...client2Defaults, connect: [two], requests: 3 });
      expect(second).toMatchObject({ answered: 3, failed: false });
      const third = await runClient3({ ...client3Defaults, connect: [three], requests: 3 });
      expect(third).toMatchObject({ answeredBy: [three, three, three], failed: false });
      // Each Python server answered exactly its 3 requests and exited by itself.
      for (const server of servers) expect((await server.exited).code).toBe(0);
    });

    it(
      interop("Python clients against our servers, models 1, 2 and 3 (model 3 over two servers)"),
      async () => {
        const started = [
          startRole(runServer1, { ...server1Defaults, bind: [await freeEndpoint()] }),
          startRole(runServer2, { ...server2Defaults, bind: [await freeEndpoint()] }),
        ];
        const [one, two] = (await Promise.all(started.map((role) => role.ready))).flat();
        const threes = [await freeEndpoint(), await freeEndpoint()];
        const routers = threes.map((endpoint) =>
          startRole(runServer3, { ...server3Defaults, bind: [endpoint], endpoint }),
        );
        await Promise.all(routers.map((role) => role.ready));

        const model1 = await runPeer("flclient.py", ["1", "3", one!]).exited;
        expect(model1.code).toBe(0);
        expect(replyServers(model1.lines)).toEqual([one, one, one]);
        const model2 = await runPeer("flclient.py", ["2", "3", two!]).exited;
        expect(model2.code).toBe(0);
        expect(model2.lines).toContain("[py-flclient2] done: 3 requests answered");
        const model3 = await runPeer("flclient.py", ["3", "4", ...threes]).exited;
        expect(model3.code).toBe(0);
        expect(new Set(replyServers(model3.lines))).toEqual(new Set(threes)); // both reached by endpoint

        expect(await started[0]!.stop()).toEqual({ echoed: 3 });
        expect(await started[1]!.stop()).toEqual({ answered: 3 });
        const counts = await Promise.all(routers.map((role) => role.stop()));
        expect(counts.map((count) => count.requests)).toEqual([2, 2]);
        for (const count of counts) expect(count.refused).toBe(0);
      },
    );
  },
);
