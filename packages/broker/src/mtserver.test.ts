import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request } from "zeromq";
import { clientDefaults, runClient } from "./client.ts";
import { watchLog } from "./log-watch.ts";
import { mtserverDefaults, runMtServer } from "./mtserver.ts";

// Each test gives its server its own inproc name: one process can bind a name only once.
let servers = 0;
function startServer(options: Partial<typeof mtserverDefaults> = {}) {
  servers += 1;
  return startRole(runMtServer, {
    ...mtserverDefaults,
    bind: [EPHEMERAL],
    workersEndpoint: `inproc://mtserver-test-${servers}`,
    workMs: 0,
    ...options,
  });
}

async function ask(socket: Request | Dealer, ...frames: string[]): Promise<string[]> {
  await socket.send(frames);
  return (await socket.receive()).map(String);
}

describe("multithreaded server", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers concurrent Hello World clients from its pool, every request exactly once", async () => {
    const server = startServer({ workers: 3 });
    const [endpoint] = await server.ready;
    const replies = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        runClient({ ...clientDefaults, connect: [endpoint!], requests: 3, name: `client-${i}` }),
      ),
    );
    expect(replies).toEqual(Array(4).fill(["World", "World", "World"]));
    const served = await server.stop();
    expect(served.reduce((sum, count) => sum + count, 0)).toBe(12);
  });

  it("hands requests to its threads in turn: 9 requests, 3 threads, 3 each", async () => {
    const server = startServer({ workers: 3 });
    const [endpoint] = await server.ready;
    // Every thread said "ready" before the server bound its tcp port, so all three are there.
    await runClient({ ...clientDefaults, connect: [endpoint!], requests: 9 });
    expect(await server.stop()).toEqual([3, 3, 3]);
  });

  it("answers a request of several frames with an error, then serves the next", async () => {
    const server = startServer({ workers: 2 });
    const [endpoint] = await server.ready;
    const client = new Request({ linger: 0 });
    client.connect(endpoint!);
    expect(await ask(client, "Hello", "extra")).toEqual(["error: expected 1 frame, got 2"]);
    expect(await ask(client, "Hello")).toEqual(["World"]);
    client.close();
    await server.stop();
  });

  it("keeps serving after a thread's REP socket drops a request without an envelope", async () => {
    const log = watchLog();
    const server = startServer({ workers: 1 });
    const [endpoint] = await server.ready;
    const dealer = new Dealer({ linger: 0 });
    dealer.connect(endpoint!);
    const dropped = log.next(/\[mtserver-worker-1\] W: the REP socket dropped a request/);
    await dealer.send("Hello"); // no delimiter: not a request a REP can answer
    await dropped; // printed by the thread
    expect(await ask(dealer, "", "Hello")).toEqual(["", "World"]);
    dealer.close();
    expect(await server.stop()).toEqual([1]);
  });

  it("stops every thread by a message, also one in the middle of a long request", async () => {
    const log = watchLog();
    const server = startServer({ workers: 2, workMs: 60_000 });
    const [endpoint] = await server.ready;
    const client = new Request({ linger: 0 });
    client.connect(endpoint!);
    const working = log.next(/\[mtserver-worker-\d\] received "Hello" \(1\)/);
    await client.send("Hello");
    await working;
    // The thread is a minute from done; the stop message ends its work and its loop now. Each
    // thread reports its count only once it has stopped, and exits with code 0.
    const served = await server.stop();
    expect(served.sort()).toEqual([0, 1]);
    client.close();
  });
});
