// Majordomo under real faults: workers killed while holding a request, hung (SIGSTOP), cut off
// by a network partition; the broker killed and restarted; every long-running role stopped by
// SIGINT and SIGTERM. Roles run as real child processes (the helpers' fault harness).
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
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { brokerDefaults, runBroker } from "./broker.ts";
import { clientDefaults, runClient } from "./client.ts";
import { MajordomoWorker } from "./worker-api.ts";

// Heartbeats 5x faster than the Guide's (500 ms, silence 1.5 s): what is asserted is the same.
const timing = ["--heartbeat-ms", "500", "--liveness", "3"];
const workerProcess = (broker: string, name: string, more: string[] = []) =>
  runRoleProcess("src/worker.ts", [
    "--connect",
    broker,
    "--name",
    name,
    ...timing,
    "--reconnect-ms",
    "100",
    "--verbose",
    ...more,
  ]);
const client = (broker: string, requests: number) => ({
  ...clientDefaults,
  connect: [broker],
  requests,
  timeoutMs: 1500,
  retries: 5,
});
const hellos = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `hello ${from + i}`);
const linesSince = (role: RoleChild, since: number) => role.lines.slice(since).join("\n");

describe("Majordomo under faults", () => {
  const children: RoleChild[] = [];
  const closing: { close(): void }[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const thing of closing.splice(0)) thing.close();
    await Promise.all(children.splice(0).map((child) => child.kill()));
  });
  const inProcessWorker = (broker: string, name: string) => {
    const worker = new MajordomoWorker({
      broker,
      service: "echo",
      name,
      heartbeatMs: 500,
      reconnectMs: 100,
    });
    closing.push(worker);
    void worker.serve((body) => body);
    return worker;
  };

  it("a worker killed holding a request: the client's retry is served by another; a hung worker is expired by heartbeat alone, gets no work, and comes back on SIGCONT", async () => {
    const log = watchLog();
    const broker = startRole(runBroker, { ...brokerDefaults, bind: [EPHEMERAL], heartbeatMs: 500 });
    const [endpoint] = await broker.ready;
    // "slow" is ready first, so it gets the first request; it would take a minute.
    const slow = workerProcess(endpoint!, "slow", ["--work-ms", "60000"]);
    children.push(slow);
    await log.waitFor(/\[broker\] worker "slow-\w+" ready/);
    const good = inProcessWorker(endpoint!, "good");
    await log.waitFor(/\[broker\] worker "good-\w+" ready/);

    const asked = runClient(client(endpoint!, 1));
    await slow.waitForLine(/request: hello 1/);
    expect((await slow.kill()).signal).toBe("SIGKILL");
    expect(await asked).toEqual({ replies: ["hello 1"], gaveUp: false });
    expect(log.text()).toMatch(/\[client\] W: no reply from "echo" in 1500 ms/); // the retry...
    expect(good.stats.replies).toBe(1); // ...went to the other worker
    await log.waitFor(/worker "slow-\w+" forgotten: silent for 1500 ms/);

    const hung = workerProcess(endpoint!, "hung");
    children.push(hung);
    await log.waitFor(/\[broker\] worker "hung-\w+" ready/);
    const hungAt = log.lines.length;
    hung.hang();
    const forgotten = await log.waitFor(
      /worker "hung-\w+" forgotten: silent for 1500 ms \(3 heartbeats missed\)/,
      {
        since: hungAt,
      },
    );
    // A hung process closes nothing: the broker saw no connection close, only silence.
    expect(log.lines.slice(hungAt, forgotten.index).join("\n")).not.toContain(
      "a connection closed",
    );
    const before = log.lines.length;
    expect(await runClient(client(endpoint!, 4))).toEqual({ replies: hellos(4), gaveUp: false });
    expect(log.lines.slice(before).join("\n")).not.toContain("no reply"); // none was sent to it
    expect(good.stats.replies).toBe(5);

    const resumedAt = hung.lines.length;
    hung.resume();
    await log.waitFor(/\[broker\] worker "hung-\w+" ready/, { since: forgotten.index + 1 });
    // Least recently used first: of two sequential requests, the newcomer takes one.
    expect(await runClient(client(endpoint!, 2))).toEqual({ replies: hellos(2), gaveUp: false });
    expect(linesSince(hung, resumedAt)).toMatch(/request: hello \d/);
    await broker.stop();
  });

  it("the broker killed and restarted on the same port: workers register again by themselves, and the client's retries succeed", async () => {
    const log = watchLog();
    const endpoint = await freeEndpoint();
    let broker = runRoleProcess("src/broker.ts", ["--bind", endpoint, ...timing]);
    children.push(broker);
    inProcessWorker(endpoint, "w1");
    inProcessWorker(endpoint, "w2");
    await broker.waitForLine(/worker "w1-\w+" ready/);
    await broker.waitForLine(/worker "w2-\w+" ready/);
    expect(await runClient(client(endpoint, 2))).toEqual({ replies: hellos(2), gaveUp: false });

    expect((await broker.kill()).signal).toBe("SIGKILL");
    const killedAt = log.lines.length;
    const asked = runClient(client(endpoint, 3)); // while there is no broker at all
    await log.waitFor(/\[client\] W: no reply from "echo"/, { since: killedAt });
    broker = await broker.restart();
    children.push(broker);
    expect(await asked).toEqual({ replies: hellos(3), gaveUp: false });
    await broker.waitForLine(/worker "w1-\w+" ready/);
    await broker.waitForLine(/worker "w2-\w+" ready/);
    expect(log.lines.slice(killedAt).join("\n")).toMatch(
      /\[w\d\] W: (the broker said DISCONNECT|heartbeat failure)/,
    );
  });

  for (const [first, second] of [
    ["SIGINT", "SIGTERM"],
    ["SIGTERM", "SIGINT"],
  ] as const) {
    it(`broker and async client exit 0 on ${first}, worker and client on ${second}, each closing its sockets`, async () => {
      const endpoint = await freeEndpoint();
      const broker = runRoleProcess("src/broker.ts", ["--bind", endpoint, ...timing]);
      const worker = workerProcess(endpoint, "w");
      const waiting = ["--connect", endpoint, "--service", "nobody", "--timeout-ms", "60000"];
      const syncClient = runRoleProcess("src/client.ts", waiting);
      const asyncClient = runRoleProcess("src/async-client.ts", waiting);
      children.push(broker, worker, syncClient, asyncClient);
      await broker.waitForLine(/worker "w-\w+" ready/);
      await broker.waitForLine(/service "nobody" created/);
      await syncClient.waitForLine(/sending requests/);
      await asyncClient.waitForLine(/sending 100 requests/);
      for (const [role, signal] of [
        [syncClient, second],
        [asyncClient, first],
        [broker, first],
        [worker, second],
      ] as const) {
        role.signal(signal);
        const result = await role.exited;
        expect(result.stdout).toContain(`${signal} received, closing sockets`);
        expect(result.code).toBe(0);
      }
    });
  }
});

// A cut network: no FIN, no RST, the TCP connection stays "up" and packets vanish. Only the
// heartbeats can tell. Each role is a process on its own host (a network namespace).
const noNetns = networkNamespacesUnavailable();
describe.skipIf(noNetns)(
  `Majordomo across a network partition${noNetns ? ` (skipped: needs root and Linux network namespaces: ${noNetns})` : ""}`,
  () => {
    let network: TestNetwork | undefined;
    afterEach(async () => {
      await network?.remove();
    });

    it("the broker expires a cut-off worker by heartbeat alone and routes to the other; healed, it registers again and serves", async () => {
      network = await createTestNetwork(["broker", "worker-1", "worker-2"]);
      const { hosts } = network;
      const endpoint = `tcp://${hosts.broker!.address}:5555`;
      const broker = runRoleProcess("src/broker.ts", ["--bind", endpoint, ...timing], {
        host: hosts.broker!,
      });
      const [cut, other] = ["worker-1", "worker-2"].map((name) =>
        runRoleProcess(
          "src/worker.ts",
          ["--connect", endpoint, "--name", name, ...timing, "--reconnect-ms", "100", "--verbose"],
          { host: hosts[name]! },
        ),
      ) as [RoleChild, RoleChild];
      await broker.waitForLine(/worker "worker-1-\w+" ready/);
      await broker.waitForLine(/worker "worker-2-\w+" ready/);
      // The client lives on the broker's host and keeps asking until the test ends.
      const asker = runRoleProcess(
        "src/client.ts",
        ["--connect", endpoint, "--requests", "1000000", "--timeout-ms", "1500", "--retries", "5"],
        { host: hosts.broker! },
      );
      await asker.waitForLine(/reply 5 from "echo"/);

      const cutAt = { broker: broker.lines.length, worker: cut.lines.length };
      await network.cut("worker-1");
      const forgotten = await broker.waitForLine(
        /worker "worker-1-\w+" forgotten: silent for 1500 ms \(3 heartbeats missed\)/,
        { since: cutAt.broker },
      );
      expect(forgotten).toBeTruthy();
      await cut.waitForLine(/W: heartbeat failure: the broker was silent for 1500 ms/, {
        since: cutAt.worker,
      });
      const duringCut = { asker: asker.lines.length, other: other.lines.length };
      await asker.waitForLine(/reply \d+ from "echo"/, { since: duringCut.asker });
      await other.waitForLine(/request: hello/, { since: duringCut.other }); // worker-2 serves

      const healedAt = { broker: broker.lines.length, cut: cut.lines.length };
      await network.heal("worker-1");
      await broker.waitForLine(/worker "worker-1-\w+" ready/, { since: healedAt.broker });
      await cut.waitForLine(/request: hello/, { since: healedAt.cut }); // back in rotation
      expect(linesSince(asker, 0)).not.toMatch(/giving up/);
    });
  },
);
