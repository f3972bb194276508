import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { freeEndpoint, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Router } from "zeromq";

const implementation = exerciseModule(import.meta.url, "expiring-agent.ts");
const { FreelanceClient, freelanceDefaults }: typeof import("./solution/expiring-agent.ts") =
  await import(implementation);
type Client = InstanceType<typeof FreelanceClient>;

// Pings every 500 ms, dead after 1500 ms of silence, 500 ms per try, 5 s per request.
const timing = {
  pingIntervalMs: 500,
  serverTtlMs: 1500,
  requestTimeoutMs: 500,
  globalTimeoutMs: 5000,
};
const WAIT_MS = 15_000; // generous bound on each wait for a log line: a missing line fails, not hangs

/**
 * A fake model-3 server the test controls: a ROUTER whose routing id is its endpoint. It
 * records every request it reads; `mode` says what it answers: everything, pings only (its
 * requests are answered 2 s late), or nothing at all (it still reads: hung, but connected).
 */
async function fakeServer() {
  const endpoint = await freeEndpoint();
  const socket = new Router({ linger: 0, routingId: endpoint });
  await socket.bind(endpoint);
  const state = {
    endpoint,
    socket,
    mode: "answer" as "answer" | "pings only" | "silent",
    requests: [] as number[],
    pings: 0,
    /** The agent's routing id, as this server last saw it. */
    client: Buffer.alloc(0) as Buffer,
    send: (_frames: (Buffer | string)[]): void => undefined,
  };
  const send = (frames: (Buffer | string)[]) => {
    if (!socket.closed) void socket.send(frames); // the test may have closed it meanwhile
  };
  state.send = send;
  void (async () => {
    for await (const [client, control, ...body] of socket) {
      state.client = client!;
      if (control!.toString() === "PING" && body.length === 0) {
        state.pings += 1;
        if (state.mode !== "silent") send([client!, "PONG"]);
        continue;
      }
      state.requests.push(Number(control!.toString()));
      if (state.mode === "answer") send([client!, control!, "OK"]);
      else if (state.mode === "pings only") setTimeout(() => send([client!, control!, "OK"]), 2000);
    }
  })();
  return state;
}

/** Sends `count` requests one after another; the servers that answered them. */
async function ask(client: Client, count: number): Promise<string[]> {
  const servers: string[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await client.request(["name"]);
    expect(answer, `request ${i + 1} failed`).toBeDefined();
    servers.push(answer!.server);
  }
  return servers;
}

describe(`exercise 02, the agent expires silent servers: ${exerciseSubject()}`, () => {
  const toClose: { close(): void }[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const each of toClose.splice(0)) each.close();
  });
  async function setUp(more: Partial<typeof freelanceDefaults> = {}) {
    const log = watchLog();
    const [a, b] = [await fakeServer(), await fakeServer()];
    toClose.push(a.socket, b.socket);
    const client = new FreelanceClient({ ...freelanceDefaults, ...timing, ...more });
    toClose.push(client);
    client.connect(a.endpoint);
    client.connect(b.endpoint);
    await log.waitFor(new RegExp(`server ${a.endpoint} is alive`), { timeoutMs: WAIT_MS });
    await log.waitFor(new RegExp(`server ${b.endpoint} is alive`), { timeoutMs: WAIT_MS });
    return { log, a, b, client };
  }

  it("a server gone silent is marked dead after the TTL and gets no request after that", async () => {
    const { log, a, b, client } = await setUp();
    expect(new Set(await ask(client, 4))).toEqual(new Set([a.endpoint, b.endpoint]));
    b.mode = "silent";
    const dead = await log.waitFor(
      new RegExp(`W: server ${b.endpoint} silent for 1500 ms; marked dead`),
      {
        timeoutMs: WAIT_MS,
      },
    );
    expect(client.servers()).toEqual([
      { endpoint: a.endpoint, alive: true },
      { endpoint: b.endpoint, alive: false },
    ]);
    const before = b.requests.length;
    expect(await ask(client, 6)).toEqual(Array(6).fill(a.endpoint));
    expect(b.requests.length).toBe(before); // not even tried
    expect(log.lines.slice(dead.index).join("\n")).not.toContain(`no reply from ${b.endpoint}`);
  });

  it("a slow reply is not silence: a server that answers pings stays alive while a request it holds is retried elsewhere", async () => {
    const { log, a, b, client } = await setUp();
    b.mode = "pings only";
    const servers = await ask(client, 4);
    expect(servers).toEqual(Array(4).fill(a.endpoint)); // b held its request: retried on a
    expect(log.text()).toContain(`no reply from ${b.endpoint} in 500 ms; trying another server`);
    // Longer than a TTL of pings answered: b must still count as alive.
    const pings = b.pings;
    while (b.pings < pings + 4) await ask(client, 1);
    expect(log.text()).not.toMatch(new RegExp(`server ${b.endpoint} .*marked dead`));
    expect(client.servers().every((server) => server.alive)).toBe(true);
  });

  it("a dead server that answers again is alive again and gets requests on its turn", async () => {
    const { log, a, b, client } = await setUp();
    b.mode = "silent";
    const dead = await log.waitFor(
      new RegExp(`server ${b.endpoint} silent for 1500 ms; marked dead`),
      {
        timeoutMs: WAIT_MS,
      },
    );
    b.mode = "answer";
    await log.waitFor(new RegExp(`server ${b.endpoint} is alive`), {
      since: dead.index + 1,
      timeoutMs: WAIT_MS,
    });
    const servers = await ask(client, 4);
    expect(servers.filter((server) => server === b.endpoint)).toHaveLength(2);
    expect(servers.filter((server) => server === a.endpoint)).toHaveLength(2);
  });

  it("a server whose connection closed is marked dead at once, and comes back only because the agent connects again", async () => {
    // A TTL of a minute: only the closed connection can make b dead within this test.
    const { log, a, b, client } = await setUp({ serverTtlMs: 60_000 });
    // A frame over the agent's maxMessageSize (64 KiB): its libzmq drops that connection, and
    // never connects again by itself. Only the agent starting it over brings b back.
    b.send([b.client, "1", Buffer.alloc(64 * 1024 + 1)]);
    const dead = await log.waitFor(
      new RegExp(`W: server ${b.endpoint} connection closed; marked dead`),
      {
        timeoutMs: WAIT_MS,
      },
    );
    // b itself is fine: on its new connection it answers the next ping at once.
    await log.waitFor(new RegExp(`server ${b.endpoint} is alive`), {
      since: dead.index + 1,
      timeoutMs: WAIT_MS,
    });
    expect(new Set(await ask(client, 4))).toEqual(new Set([a.endpoint, b.endpoint]));
  });
});
