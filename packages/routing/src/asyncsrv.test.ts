import { EPHEMERAL, handshakes, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer } from "zeromq";
import { asyncClientDefaults, runAsyncClient } from "./async-client.ts";
import { asyncServerDefaults, runAsyncServer } from "./async-server.ts";
import { MAX_FRAME_BYTES } from "./protocol.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

const quickServer = (backend: string) => ({
  ...asyncServerDefaults,
  bind: [EPHEMERAL],
  backend,
  workers: 3,
  minReplies: 1, // so that the test knows when every request has been answered
  maxReplies: 3,
  maxReplyDelayMs: 20,
});

describe("the asynchronous server (asyncsrv)", () => {
  it("answers many clients at once, each reply reaching the client that asked; its worker threads start and stop cleanly", async () => {
    const log = watchLog();
    const server = startRole(runAsyncServer, quickServer("inproc://asyncsrv-test-many"));
    const [endpoint] = await server.ready;
    const requests = 4;
    const clients = Array.from({ length: 8 }, (_, index) =>
      startRole(runAsyncClient, {
        ...asyncClientDefaults,
        connect: [endpoint!],
        id: `client-${index + 1}`,
        requests,
        intervalMs: 10,
        waitMs: 120_000, // until the test stops it
      }),
    );
    // Every request of every client gets at least one reply: wait for each.
    for (let c = 1; c <= clients.length; c++) {
      for (let n = 1; n <= requests; n++) {
        await log.waitFor(
          new RegExp(`\\[client client-${c}\\] received "request #${n} from client-${c}"`),
        );
      }
    }
    const tally = await server.stop(); // workers first, then what they had sent, then the sockets
    expect(tally.workers.map((worker) => worker.name).sort()).toEqual([
      "server-worker-1",
      "server-worker-2",
      "server-worker-3",
    ]);
    const sentByWorkers = tally.workers.reduce((sum, worker) => sum + worker.replies, 0);
    const routed = [...tally.routed.values()].reduce((sum, n) => sum + n, 0);
    expect(routed).toBe(sentByWorkers); // nothing lost between the workers and the clients' sockets
    expect(tally.requests).toBe(clients.length * requests);
    expect(tally.dropped).toBe(0);

    // Each client gets exactly what was routed to it, and only replies to its own requests.
    const results = await Promise.all(
      clients.map(async (client, index) => {
        const id = `client-${index + 1}`;
        const expected = tally.routed.get(`"${id}"`)!;
        await log.waitFor(new RegExp(`\\[client ${id}\\] received ".*" \\(${expected} so far\\)`));
        return client.stop();
      }),
    );
    for (const result of results) {
      expect(result.received.length).toBe(tally.routed.get(`"${result.id}"`));
      for (const reply of result.received) expect(reply).toMatch(new RegExp(` from ${result.id}$`));
      expect(new Set(result.received)).toEqual(new Set(result.sent)); // every request answered
    }
  });

  it("drops bad requests and bad replies with a warning and keeps serving", async () => {
    const log = watchLog();
    const backend = "inproc://asyncsrv-test-bad";
    const server = startRole(runAsyncServer, quickServer(backend));
    const [endpoint] = await server.ready;
    const rogue = new Dealer({ linger: 0, routingId: "rogue" });
    rogue.connect(endpoint!);
    await rogue.send(["two", "frames"]);
    await log.waitFor(/W: request from "rogue": expected 1 frame, got 2; dropped/);
    await rogue.send(Buffer.alloc(200, "x"));
    await log.waitFor(/W: request from "rogue": id or body over 128 bytes; dropped/);
    const longId = new Dealer({ linger: 0, routingId: "i".repeat(200) });
    longId.connect(endpoint!);
    await longId.send("hello");
    await log.waitFor(
      /W: request from "i{64}"\.\.\. \(200 bytes\): id or body over 128 bytes; dropped/,
    );
    const cutOff = new Promise((resolve) => rogue.events.on("disconnect", resolve));
    await rogue.send(Buffer.alloc(MAX_FRAME_BYTES + 1));
    await cutOff;
    for (const socket of [rogue, longId]) socket.close();

    // The server still serves: a new client is answered.
    const client = startRole(runAsyncClient, {
      ...asyncClientDefaults,
      connect: [endpoint!],
      id: "after",
      requests: 1,
      waitMs: 120_000,
    });
    await log.waitFor(/\[client after\] received "request #1 from after"/);
    await client.stop();
    // A worker that misbehaves (here: the test, on the server's inproc backend). Last, so that
    // no request of the test is dealt to it.
    const fakeWorker = new Dealer({ linger: 1000 });
    fakeWorker.connect(backend);
    await fakeWorker.send(["nobody", "a reply for a client that never was"]);
    await log.waitFor(/W: reply for client "nobody", which is not connected; dropped/);
    await fakeWorker.send(["just one frame"]);
    await log.waitFor(/W: reply of 1 frame\(s\) from a worker; dropped/);
    fakeWorker.close();

    const tally = await server.stop();
    expect(tally.dropped).toBeGreaterThanOrEqual(5);
  });
});

describe("the asynchronous client", () => {
  it("cut off by a frame over the limit, connects again and hears the next reply", async () => {
    const log = watchLog();
    // A fake server: a DEALER, bound, sends to whichever connection it has (no routing id).
    const server = new Dealer({ linger: 0 });
    await server.bind(EPHEMERAL);
    const connectedTwice = handshakes(server, 2); // the client's first connection, then a new one
    const client = startRole(runAsyncClient, {
      ...asyncClientDefaults,
      connect: [server.lastEndpoint!],
      id: "client-1",
      requests: 1,
      waitMs: 120_000, // until the test stops it
    });
    const [request] = await server.receive();
    await server.send(Buffer.alloc(MAX_FRAME_BYTES + 1)); // libzmq drops the connection
    await connectedTwice; // without our reconnect, never: the client would be deaf for good
    await server.send(request!);
    await log.waitFor(/\[client client-1\] received "request #1 from client-1"/);
    expect(log.text()).toMatch(
      /\[client client-1\] W: libzmq dropped the connection to tcp:\/\/\S+ \(a frame over 65536 bytes, or another protocol error\) and will not reconnect it: connecting again/,
    );
    server.close();
    expect((await client.stop()).received).toEqual(["request #1 from client-1"]);
  });
});
