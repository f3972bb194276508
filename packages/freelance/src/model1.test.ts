import {
  ask,
  EPHEMERAL,
  freeEndpoint,
  plainRequest,
  type RoleChild,
  runRoleProcess,
  startRole,
  unusedEndpoint,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Reply, Request, Router } from "zeromq";
import { client1Defaults, runClient1 } from "./client1.ts";
import { MAX_FRAME_BYTES } from "./protocol.ts";
import { runServer1, server1Defaults } from "./server1.ts";

const echo = () => startRole(runServer1, { ...server1Defaults, bind: [EPHEMERAL], connect: [] });
const client = (connect: string[], more: Partial<typeof client1Defaults> = {}) => ({
  ...client1Defaults,
  connect,
  ...more,
});
const repliesIn = (output: string) =>
  [...output.matchAll(/\[client\] reply (\d+) from (\S+)/g)].map((match) => ({
    number: Number(match[1]),
    server: match[2]!,
  }));
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("model 1: simple retry and failover (REQ client, REP echo servers)", () => {
  const sockets: { close(): void }[] = [];
  const children: RoleChild[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) socket.close();
    await Promise.all(children.splice(0).map((child) => child.kill()));
  });

  it("tries each server in turn: a dead first one costs one time-out, then the next answers every request", async () => {
    const log = watchLog();
    const server = echo();
    const [live] = await server.ready;
    const dead = unusedEndpoint();
    const result = await runClient1(client([dead, live!], { requests: 4, timeoutMs: 300 }));
    expect(result).toEqual({ answeredBy: [live, live, live, live], failed: false });
    // It stays with the server that answered: only request 1 waited for the dead one.
    expect(log.text().match(/W: no response from/g)).toHaveLength(1);
    expect(await server.stop()).toEqual({ echoed: 4 });
  });

  it("a hung server (connected, reads, never answers) costs one time-out, then the client stays with the next", async () => {
    const log = watchLog();
    const hung = new Router({ linger: 0 }); // accepts every connection, answers nothing
    sockets.push(hung);
    await hung.bind(EPHEMERAL);
    const server = echo();
    const [live] = await server.ready;
    const result = await runClient1(
      client([hung.lastEndpoint!, live!], { requests: 3, timeoutMs: 300 }),
    );
    expect(result).toEqual({ answeredBy: [live, live, live], failed: false });
    expect(
      log.text().match(new RegExp(`W: no response from ${hung.lastEndpoint}`, "g")),
    ).toHaveLength(1);
    await server.stop();
  });

  it("with one server, asks it again on a new socket up to its retries, then says the service is not available", async () => {
    const log = watchLog();
    const errors = vi.spyOn(console, "error");
    const result = await runClient1(
      client([unusedEndpoint()], { requests: 2, timeoutMs: 200, retries: 3 }),
    );
    expect(result).toEqual({ answeredBy: [], failed: true });
    expect(log.text().match(/W: no response from .* in 200 ms, retrying/g)).toHaveLength(3);
    expect(errors.mock.calls.flat()).toContain(
      "[client] E: no server answered request 1; service is not available",
    );
    expect(log.text()).not.toContain("request 2");
  });

  it("refuses a reply that is not its request, and asks the next server", async () => {
    const errors = vi.spyOn(console, "error");
    const liar = new Reply({ linger: 0 });
    sockets.push(liar);
    await liar.bind(EPHEMERAL);
    void (async () => {
      for await (const _request of liar) await liar.send("999");
    })();
    const server = echo();
    const [honest] = await server.ready;
    const result = await runClient1(client([liar.lastEndpoint!, honest!], { requests: 1 }));
    expect(result).toEqual({ answeredBy: [honest], failed: false });
    expect(errors.mock.calls.flat()).toContain(
      `[client] E: malformed reply from ${liar.lastEndpoint}: "999"`,
    );
    await server.stop();
  });

  it("bad input to the server: a DEALER without the delimiter, too many frames, a frame over the limit; it echoes on", async () => {
    const log = watchLog();
    const server = echo();
    const [endpoint] = await server.ready;
    const careless = new Dealer({ linger: 0 });
    sockets.push(careless);
    careless.connect(endpoint!);
    await careless.send("1");
    await log.waitFor(/\[server\] W: dropped a request without the empty delimiter frame/);
    const asker = plainRequest(endpoint!);
    sockets.push(asker);
    expect(await ask(asker, ...Array.from({ length: 17 }, () => "x"))).toBe(
      "error: at most 16 frames",
    );
    expect(log.text()).toContain("[server] W: bad request: 17 frames (at most 16)");
    const flooder = new Request({ linger: 0 });
    sockets.push(flooder);
    const dropped = new Promise<void>((resolve) =>
      flooder.events.on("disconnect", () => resolve()),
    );
    flooder.connect(endpoint!);
    await flooder.send(Buffer.alloc(MAX_FRAME_BYTES + 1));
    await dropped; // libzmq closed that connection; the server's code never saw the frame
    const garbage = Buffer.from([0xff, 0x00, 0xc3]);
    await asker.send([garbage, "two"]);
    expect(await asker.receive()).toEqual([garbage, Buffer.from("two")]); // echoed unchanged
    expect(await server.stop()).toEqual({ echoed: 1 });
  });

  it("three servers killed one after another: every request answered while one lives, then the client fails clearly", async () => {
    const endpoints = [await freeEndpoint(), await freeEndpoint(), await freeEndpoint()];
    const servers = endpoints.map((endpoint) =>
      runRoleProcess("src/server1.ts", ["--bind", endpoint]),
    );
    children.push(...servers);
    await Promise.all(servers.map((each) => each.waitForLine(/echo service is ready/)));
    const clientProcess = runRoleProcess("src/client1.ts", [
      ...["--connect", endpoints.join(","), "--requests", "100000", "--pause-ms", "20"],
      ...["--timeout-ms", "500"],
    ]);
    children.push(clientProcess);
    // The client stays with the server that answered last: kill that one each time.
    for (const [i, endpoint] of endpoints.entries()) {
      const since = clientProcess.lines.length;
      await clientProcess.waitForLine(new RegExp(`reply \\d+ from ${endpoint}`), { since });
      await servers[i]!.kill();
    }
    const result = await clientProcess.exited;
    expect(result.code).toBe(1);
    const replies = repliesIn(result.stdout);
    expect(replies.map((reply) => reply.number)).toEqual(oneTo(replies.length)); // none lost
    for (const endpoint of endpoints)
      expect(replies.some((reply) => reply.server === endpoint)).toBe(true); // each took over
    const failed = replies.length + 1;
    for (const endpoint of endpoints)
      expect(result.stdout).toContain(`W: no response from ${endpoint} in 500 ms`);
    expect(result.stderr).toContain(
      `[client] E: no server answered request ${failed}; service is not available`,
    );
    expect(result.stdout).toContain(
      `[client] gave up: ${replies.length} of 100000 requests answered`,
    );
  });
});
