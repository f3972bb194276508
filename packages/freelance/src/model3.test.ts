import {
  createTestNetwork,
  networkNamespacesUnavailable,
  type RoleChild,
} from "@zmq-patterns/helpers";
import { freeEndpoint, runRoleProcess, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, type TestContext, vi } from "vitest";
import { Dealer, Router } from "zeromq";
import { client3Defaults, runClient3 } from "./client3.ts";
import { FreelanceClient, freelanceDefaults } from "./flcliapi.ts";
import { MAX_FRAME_BYTES, OK, PING, PONG } from "./protocol.ts";
import { runServer3, server3Defaults } from "./server3.ts";

// The agent's timings 4x faster than the Guide's (ping 2000, TTL 6000, try 1000, deadline 3000),
// so a silent server is dead after 1.5 s instead of 6 s. What is asserted is the same.
const quick = {
  pingIntervalMs: 500,
  serverTtlMs: 1500,
  requestTimeoutMs: 500,
  globalTimeoutMs: 3000,
};
const timing = [
  ...["--ping-interval-ms", "500", "--server-ttl-ms", "1500"],
  ...["--request-timeout-ms", "500", "--global-timeout-ms", "3000"],
];
const agent = (more: Partial<typeof freelanceDefaults> = {}) =>
  new FreelanceClient({ ...freelanceDefaults, ...quick, ...more });
/** A server3 in process on an endpoint known in advance: its routing id. */
async function server(more: Partial<typeof server3Defaults> = {}) {
  const endpoint = await freeEndpoint();
  const role = startRole(runServer3, {
    ...server3Defaults,
    bind: [endpoint],
    endpoint,
    ...more,
  });
  await role.ready;
  return { endpoint, role };
}
/** The request numbers a client3 process logged as answered, in order, and by whom. */
const repliesIn = (lines: string[]) =>
  lines.flatMap((line) => {
    const match = line.match(/\[client\] reply (\d+) from (\S+)/);
    return match ? [{ number: Number(match[1]), server: match[2]! }] : [];
  });
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("model 3: the Freelance client API (RFC 10) and its ROUTER servers", () => {
  const sockets: { close(): void }[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) socket.close();
  });

  it("spreads requests over every live server, each answer from the server it was sent to", async () => {
    const servers = await Promise.all([server(), server(), server()]);
    const result = await runClient3({
      ...client3Defaults,
      ...quick,
      connect: servers.map((each) => each.endpoint),
      requests: 30,
    });
    expect(result.failed).toBe(false);
    expect(result.answeredBy).toHaveLength(30);
    const counts = await Promise.all(servers.map((each) => each.role.stop()));
    for (const [i, each] of servers.entries()) {
      const mine = result.answeredBy.filter((endpoint) => endpoint === each.endpoint).length;
      expect(mine).toBeGreaterThan(0);
      expect(counts[i]!.requests).toBe(mine); // no request answered twice
    }
  });

  it("sends no request before a server has answered a ping (a ROUTER cannot reach a peer before the connection)", async () => {
    const endpoint = await freeEndpoint();
    const client = agent();
    client.connect(endpoint); // nothing listens yet
    const answer = client.request(["early"]);
    // A fake server that records everything: the first message it sees must be a PING.
    const fake = new Router({ linger: 0, routingId: endpoint });
    sockets.push(fake);
    await fake.bind(endpoint);
    const [id, first] = await fake.receive();
    expect(first!.toString()).toBe(PING);
    await fake.send([id!, PONG]);
    // Its next pings may come first (it pings every interval); then the request.
    let [, sequence, body] = await fake.receive();
    while (sequence?.toString() === PING && body === undefined) {
      await fake.send([id!, PONG]);
      [, sequence, body] = await fake.receive();
    }
    expect(body!.toString()).toBe("early");
    await fake.send([id!, sequence!, OK]);
    expect(await answer).toEqual({ reply: [Buffer.from(OK)], server: endpoint });
    client.close();
  });

  it("a server whose routing id is not the endpoint the client uses is never reached, and the client says why", async () => {
    const log = watchLog();
    const endpoint = await freeEndpoint();
    const wrongId = endpoint.replace("127.0.0.1", "localhost");
    const role = startRole(runServer3, { ...server3Defaults, bind: [endpoint], endpoint: wrongId });
    await role.ready;
    const client = agent({ globalTimeoutMs: 1000 });
    client.connect(endpoint);
    await log.waitFor(/W: connected to .*, but no peer there has that routing id/);
    expect(await client.request(["lost"])).toBeUndefined();
    expect(log.text()).toContain("no reply from any server in 1000 ms; failed");
    client.close();
    expect(await role.stop()).toMatchObject({ requests: 0, pings: 0 });
  });

  describe("bad input to the server: a W: line, it keeps serving", () => {
    const cases: [string, (string | Buffer)[], RegExp][] = [
      ["an unknown command", ["HELLO"], /unknown command "HELLO" from client/],
      ["a PONG (a client's word, not a server's)", [PONG], /unknown command "PONG"/],
      ["binary garbage as a command", [Buffer.from([0xff, 0x00])], /unknown command 0xff00/],
      ["an empty control frame", ["", "body"], /a request with an empty control frame/],
      ["too many frames", Array.from({ length: 17 }, () => "x"), /17 frames \(at most 16\)/],
    ];
    for (const [what, frames, expected] of cases) {
      it(what, async () => {
        const log = watchLog();
        const { endpoint, role } = await server();
        const bad = new Dealer({ linger: 0 });
        sockets.push(bad);
        bad.connect(endpoint);
        await bad.send(frames);
        await log.waitFor(expected);
        const client = agent();
        client.connect(endpoint);
        expect((await client.request(["fine"]))?.server).toBe(endpoint);
        client.close();
        expect(await role.stop()).toMatchObject({ requests: 1, refused: 1 });
      });
    }

    it("a frame over the limit: libzmq drops that peer, the server never sees it and serves on", async () => {
      const { endpoint, role } = await server();
      const flooder = new Dealer({ linger: 0 });
      sockets.push(flooder);
      const dropped = new Promise<void>((resolve) =>
        flooder.events.on("disconnect", () => resolve()),
      );
      flooder.connect(endpoint);
      await flooder.send(["1", Buffer.alloc(MAX_FRAME_BYTES + 1)]);
      await dropped;
      const client = agent();
      client.connect(endpoint);
      expect((await client.request(["fine"]))?.server).toBe(endpoint);
      client.close();
      expect(await role.stop()).toMatchObject({ requests: 1, refused: 0 });
    });
  });

  describe("bad input to the client agent: a W: line, no state change, it keeps working", () => {
    /** A fake server the test drives by hand; answers the first PING so it counts as alive. */
    async function fakeServer() {
      const endpoint = await freeEndpoint();
      const fake = new Router({ linger: 0, routingId: endpoint });
      sockets.push(fake);
      await fake.bind(endpoint);
      return { endpoint, fake };
    }

    it("wrong frame counts, unknown commands, garbage, and replies to no request", async () => {
      const log = watchLog();
      const { endpoint, fake } = await fakeServer();
      const client = agent();
      client.connect(endpoint);
      const [id] = await fake.receive(); // PING
      // Before any PONG: garbage must not make the server count as alive.
      await fake.send([id!, "HELLO"]);
      await fake.send([id!, "not-a-number", OK]);
      await fake.send([id!, Buffer.from([0xff])]);
      await fake.send([id!, ...Array.from({ length: 17 }, () => "1")]);
      await log.waitFor(/invalid message from .*: 17 frame\(s\)/);
      expect(client.servers()).toEqual([{ endpoint, alive: false }]);
      for (const line of [
        /invalid message from .*: 1 frame\(s\), neither PONG nor \[sequence, body\.\.\.\]: "HELLO"; ignored/,
        /a reply whose control frame is not a sequence number: "not-a-number" "OK"; ignored/,
        /1 frame\(s\), neither PONG nor \[sequence, body\.\.\.\]: 0xff; ignored/,
      ])
        expect(log.text()).toMatch(line);
      await fake.send([id!, PONG]);
      await log.waitFor(/server .* is alive/);
      const answer = client.request(["name"]);
      const [, sequence] = await fake.receive();
      await fake.send([id!, "999", OK]); // a reply to a request that was never sent: discarded
      await fake.send([id!, sequence!, OK]);
      expect(await answer).toEqual({ reply: [Buffer.from(OK)], server: endpoint });
      client.close();
    });

    it("a message from a peer whose routing id is not a server we know", async () => {
      const log = watchLog();
      // A DEALER needs no address to speak first: the agent's ROUTER sees it as "stranger".
      const stranger = new Dealer({ linger: 0, routingId: "stranger" });
      sockets.push(stranger);
      const endpoint = await freeEndpoint();
      await stranger.bind(endpoint);
      const client = agent();
      client.connect(endpoint);
      await stranger.send([PONG]);
      await stranger.send(["1", OK]);
      await log.waitFor(
        /message from unknown server "stranger": its routing id must be the endpoint/,
      );
      expect(client.servers()).toEqual([{ endpoint, alive: false }]);
      client.close();
    });

    it("a frame over the limit costs the server its connection; the agent marks it dead and connects again", async () => {
      const log = watchLog();
      const { endpoint, fake } = await fakeServer();
      const connections: number[] = [];
      fake.events.on("accept", () => connections.push(Date.now()));
      const client = agent();
      client.connect(endpoint);
      const [id] = await fake.receive();
      await fake.send([id!, PONG]);
      await log.waitFor(/is alive/);
      await fake.send([id!, "1", Buffer.alloc(MAX_FRAME_BYTES + 1)]);
      // libzmq dropped the connection before the agent saw the frame, and would never connect
      // again by itself: the agent marks the server dead and starts a new connection.
      await log.waitFor(/connection closed; marked dead/);
      for (;;) {
        const [again, frame] = await fake.receive();
        if (frame!.toString() !== PING) continue;
        await fake.send([again!, PONG]);
        break;
      }
      await log.waitFor(/is alive/, { since: log.lines.length - 1 });
      expect(connections.length).toBeGreaterThanOrEqual(2);
      client.close();
    });
  });
});

// Real processes and real faults. These tests wait mostly on protocol timings (TTLs, deadlines),
// so they run side by side; each cleans up after itself.
const track = (onTestFinished: TestContext["onTestFinished"], ...roles: RoleChild[]) =>
  onTestFinished(async () => {
    await Promise.all(roles.map((role) => role.kill()));
  });
// A cut network: no FIN, no RST, the connection stays "up" and packets vanish. Only the pings
// can tell. Each role is a process on its own host (a network namespace).
const noNetns = networkNamespacesUnavailable();

describe("model 3 with real processes: kills, a hang (SIGSTOP) and a network partition", () => {
  it.concurrent("three servers killed one after another: every request answered while one lives, then a clear failure after the deadline", async ({
    expect,
    onTestFinished,
  }) => {
    const endpoints = [await freeEndpoint(), await freeEndpoint(), await freeEndpoint()];
    const servers = endpoints.map((endpoint) =>
      runRoleProcess("src/server3.ts", ["--bind", endpoint, "--endpoint", endpoint]),
    );
    track(onTestFinished, ...servers);
    await Promise.all(servers.map((each) => each.waitForLine(/service is ready/)));
    const client = runRoleProcess("src/client3.ts", [
      ...["--connect", endpoints.join(","), "--requests", "100000", "--pause-ms", "20"],
      ...timing,
    ]);
    track(onTestFinished, client);
    await client.waitForLine(/reply 5 from/);
    for (const [i, victim] of servers.entries()) {
      await victim.kill();
      const since = client.lines.length;
      if (i < 2) {
        // The next replies come from the servers still alive.
        const survivor = new RegExp(`reply \\d+ from (${endpoints.slice(i + 1).join("|")})`);
        await client.waitForLine(survivor, { since });
        await client.waitForLine(survivor, { since: client.lines.length });
      }
    }
    const result = await client.exited;
    expect(result.code).toBe(1);
    const replies = repliesIn(result.stdout.split("\n"));
    expect(replies.map((reply) => reply.number)).toEqual(oneTo(replies.length)); // none lost
    expect(result.stdout).toMatch(
      new RegExp(`request ${replies.length + 1}: no reply from any server in 3000 ms; failed`),
    );
    expect(result.stderr).toContain(
      `[client] E: request ${replies.length + 1}: name service not available, aborting`,
    );
    expect(result.stdout).toContain(
      `[client] gave up: ${replies.length} of 100000 requests answered`,
    );
  });

  it.concurrent("a hung server (SIGSTOP) is skipped once it expires, and used again when it resumes", async ({
    expect,
    onTestFinished,
  }) => {
    const endpoints = [await freeEndpoint(), await freeEndpoint()];
    const [hung, healthy] = endpoints.map((endpoint) =>
      runRoleProcess("src/server3.ts", ["--bind", endpoint, "--endpoint", endpoint]),
    ) as [RoleChild, RoleChild];
    track(onTestFinished, hung, healthy);
    await Promise.all([hung, healthy].map((each) => each.waitForLine(/service is ready/)));
    const client = runRoleProcess("src/client3.ts", [
      ...["--connect", endpoints.join(","), "--requests", "100000", "--pause-ms", "20"],
      ...[...timing, "--verbose"],
    ]);
    track(onTestFinished, client);
    const hungEndpoint = endpoints[0]!;
    await client.waitForLine(new RegExp(`reply \\d+ from ${hungEndpoint}`));

    hung.hang();
    const hungAt = client.lines.length;
    await client.waitForLine(new RegExp(`server ${hungEndpoint} silent for 1500 ms; marked dead`), {
      since: hungAt,
    });
    const deadAt = client.lines.length;
    for (let i = 0; i < 3; i++)
      await client.waitForLine(/reply \d+ from/, { since: client.lines.length });
    const whileDead = client.lines.slice(deadAt).join("\n");
    expect(whileDead).not.toContain(`sent to ${hungEndpoint}`); // skipped
    // Before it expired, requests it held were retried on the other server.
    expect(client.lines.slice(hungAt, deadAt).join("\n")).toMatch(
      new RegExp(`no reply from ${hungEndpoint} in 500 ms; trying another server`),
    );

    hung.resume();
    const resumedAt = client.lines.length;
    await client.waitForLine(new RegExp(`server ${hungEndpoint} is alive`), { since: resumedAt });
    await client.waitForLine(new RegExp(`reply \\d+ from ${hungEndpoint}`), { since: resumedAt });

    client.signal("SIGTERM");
    const result = await client.exited;
    expect(result.code).toBe(0);
    const numbers = repliesIn(result.stdout.split("\n")).map((reply) => reply.number);
    expect(numbers).toEqual(oneTo(numbers.length)); // every request answered, once, in order
    expect(result.stderr).not.toContain("E:");
  });

  (noNetns ? it.skip : it.concurrent)(
    `a server cut off is marked dead after the TTL, the others serve, and after the heal it is used again${noNetns ? ` (skipped: needs root and Linux network namespaces: ${noNetns})` : ""}`,
    async ({ expect, onTestFinished }) => {
      const network = await createTestNetwork(["client", "server-1", "server-2"]);
      onTestFinished(() => network.remove());
      const { hosts } = network;
      const endpoints = ["server-1", "server-2"].map(
        (name) => `tcp://${hosts[name]!.address}:5555`,
      );
      const servers = ["server-1", "server-2"].map((name, i) =>
        runRoleProcess("src/server3.ts", ["--bind", endpoints[i]!, "--endpoint", endpoints[i]!], {
          host: hosts[name]!,
        }),
      );
      await Promise.all(servers.map((each) => each.waitForLine(/service is ready/)));
      const client = runRoleProcess(
        "src/client3.ts",
        [
          ...["--connect", endpoints.join(","), "--requests", "100000", "--pause-ms", "20"],
          ...[...timing, "--verbose"],
        ],
        { host: hosts.client! },
      );
      const cutEndpoint = endpoints[0]!;
      await client.waitForLine(new RegExp(`reply \\d+ from ${cutEndpoint}`));

      const cutAt = client.lines.length;
      await network.cut("server-1");
      await client.waitForLine(
        new RegExp(`server ${cutEndpoint} silent for 1500 ms; marked dead`),
        {
          since: cutAt,
        },
      );
      const deadAt = client.lines.length;
      for (let i = 0; i < 3; i++)
        await client.waitForLine(/reply \d+ from/, { since: client.lines.length });
      expect(client.lines.slice(deadAt).join("\n")).not.toContain(`sent to ${cutEndpoint}`);

      const healedAt = client.lines.length;
      await network.heal("server-1");
      await client.waitForLine(new RegExp(`server ${cutEndpoint} is alive`), { since: healedAt });
      await client.waitForLine(new RegExp(`reply \\d+ from ${cutEndpoint}`), { since: healedAt });

      client.signal("SIGTERM");
      const result = await client.exited;
      expect(result.code).toBe(0);
      const numbers = repliesIn(result.stdout.split("\n")).map((reply) => reply.number);
      expect(numbers).toEqual(oneTo(numbers.length));
      for (const each of servers) each.signal("SIGTERM");
      expect((await Promise.all(servers.map((each) => each.exited))).map((r) => r.code)).toEqual([
        0, 0,
      ]);
    },
  );
});
