import {
  ask,
  EPHEMERAL,
  freeEndpoint,
  handshakes,
  plainRequest,
  type RoleChild,
  runRoleProcess,
  startRole,
  unusedEndpoint,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request, Router } from "zeromq";
import { client2Defaults, runClient2 } from "./client2.ts";
import { MAX_FRAME_BYTES, OK } from "./protocol.ts";
import { runServer2, server2Defaults } from "./server2.ts";

const shotgunServer = () =>
  startRole(runServer2, { ...server2Defaults, bind: [EPHEMERAL], connect: [] });
const client = (connect: string[], more: Partial<typeof client2Defaults> = {}) => ({
  ...client2Defaults,
  connect,
  ...more,
});
const answeredIn = (output: string) =>
  [...output.matchAll(/\[client\] reply (\d+) OK/g)].map((match) => Number(match[1]));
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("model 2: the shotgun (DEALER to every server, first reply wins)", () => {
  const sockets: { close(): void }[] = [];
  const children: RoleChild[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) socket.close();
    await Promise.all(children.splice(0).map((child) => child.kill()));
  });

  it("every server answers every request; the client takes the first and discards the rest", async () => {
    const servers = [shotgunServer(), shotgunServer(), shotgunServer()];
    const endpoints = (await Promise.all(servers.map((each) => each.ready))).flat();
    const result = await runClient2(client(endpoints, { requests: 20 }));
    expect(result.answered).toBe(20);
    expect(result.failed).toBe(false);
    const counts = await Promise.all(servers.map((each) => each.stop()));
    // Each request went to all three: the work is done three times, used once.
    expect(counts.map((count) => count.answered)).toEqual([20, 20, 20]);
    // The other two replies to requests 1..19 arrive while the client waits for later ones.
    expect(result.discarded).toBeGreaterThanOrEqual(2 * 19 - 2);
  });

  it("a dead server costs nothing while another lives; with none, the client gives up after its deadline", async () => {
    const errors = vi.spyOn(console, "error");
    const server = shotgunServer();
    const [live] = await server.ready;
    expect(await runClient2(client([unusedEndpoint(), live!], { requests: 5 }))).toEqual({
      answered: 5,
      discarded: 0,
      failed: false,
    });
    await server.stop();
    const none = await runClient2(client([unusedEndpoint()], { requests: 3, timeoutMs: 300 }));
    expect(none).toEqual({ answered: 0, discarded: 0, failed: true });
    expect(errors.mock.calls.flat()).toContain(
      "[client] E: no reply to request 1 in 300 ms: name service not available",
    );
  });

  it("a server whose reply has a frame over the limit is connected again, and its answers count", async () => {
    const log = watchLog();
    const [first, second] = [new Router({ linger: 0 }), new Router({ linger: 0 })];
    sockets.push(first, second);
    for (const server of [first, second]) await server.bind(EPHEMERAL);
    const firstBack = handshakes(first, 2); // the client's first connection, then a new one
    // The first server's reply to request 1 is over the limit: libzmq drops that connection.
    // Then it answers every request it gets.
    void (async () => {
      let replies = 0;
      for await (const [id, , sequence] of first) {
        const reply = replies++ === 0 ? [Buffer.alloc(MAX_FRAME_BYTES + 1)] : [sequence!, OK];
        await first.send([id!, "", ...reply]);
      }
    })();
    // The second answers request 1 only, and only once the first has its new connection: so
    // request 2 can only be answered by the first server, and only if the client came back to it.
    void (async () => {
      const [id, , sequence] = await second.receive();
      await firstBack; // without our reconnect, never: request 1 times out
      await second.send([id!, "", sequence!, OK]);
    })();
    const endpoints = [first.lastEndpoint!, second.lastEndpoint!];
    const result = await runClient2(client(endpoints, { requests: 2 }));
    expect(result).toEqual({ answered: 2, discarded: 0, failed: false });
    expect(log.text()).toMatch(
      /\[client\] W: libzmq dropped the connection to tcp:\/\/\S+ \(a frame over 65536 bytes, or another protocol error\) and will not reconnect it: connecting again/,
    );
  });

  it("a hung server (connected, reads, never answers) changes nothing while another answers", async () => {
    const hung = new Router({ linger: 0 });
    sockets.push(hung);
    await hung.bind(EPHEMERAL);
    let copies = 0;
    void (async () => {
      for await (const _request of hung) copies += 1;
    })();
    const server = shotgunServer();
    const [live] = await server.ready;
    const result = await runClient2(client([hung.lastEndpoint!, live!], { requests: 5 }));
    expect(result).toEqual({ answered: 5, discarded: 0, failed: false });
    expect(await server.stop()).toEqual({ answered: 5 });
    expect(copies).toBeGreaterThan(0); // it was asked too, and never answered
  });

  it("bad input to the server: wrong frame counts, an empty sequence, no delimiter, a frame over the limit", async () => {
    const log = watchLog();
    const server = shotgunServer();
    const [endpoint] = await server.ready;
    const asker = plainRequest(endpoint!);
    sockets.push(asker);
    expect(await ask(asker, "1")).toBe("error: expected 2 frames [sequence, body], got 1");
    expect(await ask(asker, "1", "a", "b")).toBe(
      "error: expected 2 frames [sequence, body], got 3",
    );
    expect(await ask(asker, "", "name")).toBe("error: empty sequence frame");
    const careless = new Dealer({ linger: 0 });
    sockets.push(careless);
    careless.connect(endpoint!);
    await careless.send(["7", "name"]);
    await log.waitFor(/\[server\] W: dropped a request without the empty delimiter frame/);
    const flooder = new Request({ linger: 0 });
    sockets.push(flooder);
    const dropped = new Promise<void>((resolve) =>
      flooder.events.on("disconnect", () => resolve()),
    );
    flooder.connect(endpoint!);
    await flooder.send(["1", Buffer.alloc(MAX_FRAME_BYTES + 1)]);
    await dropped;
    expect(await ask(asker, "42", "name")).toBe(`42,${OK}`);
    expect(log.text().match(/\[server\] W: bad request:/g)).toHaveLength(3);
    expect(await server.stop()).toEqual({ answered: 1 });
  });

  it("bad replies to the client: each a W: line and ignored; the good one still counts", async () => {
    const log = watchLog();
    const fake = new Router({ linger: 0 }); // a server that answers whatever the test says
    sockets.push(fake);
    await fake.bind(EPHEMERAL);
    const result = runClient2(client([fake.lastEndpoint!], { requests: 1 }));
    const [id, , sequence] = await fake.receive();
    await fake.send([id!, "", sequence!]); // two frames
    await fake.send([id!, "", "x", OK]); // not a number
    await fake.send([id!, "no delimiter", sequence!, OK]);
    await fake.send([id!, "", sequence!, "NOT OK"]);
    await fake.send([id!, "", sequence!, OK]);
    expect(await result).toEqual({ answered: 1, discarded: 0, failed: false });
    expect(log.text().match(/\[client\] W: invalid reply, ignored:/g)).toHaveLength(4);
  });

  it("three servers killed one after another: every request answered while one lives, then the client fails clearly", async () => {
    const endpoints = [await freeEndpoint(), await freeEndpoint(), await freeEndpoint()];
    const servers = endpoints.map((endpoint) =>
      runRoleProcess("src/server2.ts", ["--bind", endpoint, "--verbose"]),
    );
    children.push(...servers);
    await Promise.all(servers.map((each) => each.waitForLine(/service is ready/)));
    const clientProcess = runRoleProcess("src/client2.ts", [
      ...["--connect", endpoints.join(","), "--requests", "100000", "--pause-ms", "20"],
      ...["--timeout-ms", "1000"],
    ]);
    children.push(clientProcess);
    for (const [i, victim] of servers.entries()) {
      await clientProcess.waitForLine(/reply \d+ OK/, { since: clientProcess.lines.length });
      await victim.kill();
      // Every server still alive keeps answering (each gets every request).
      for (const survivor of servers.slice(i + 1))
        await survivor.waitForLine(/request/, { since: survivor.lines.length });
    }
    const result = await clientProcess.exited;
    expect(result.code).toBe(1);
    const answered = answeredIn(result.stdout);
    expect(answered).toEqual(oneTo(answered.length)); // none lost
    expect(result.stderr).toContain(
      `[client] E: no reply to request ${answered.length + 1} in 1000 ms: name service not available`,
    );
  });
});
