import { EPHEMERAL, runRoleProcess, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { Dealer, Request } from "zeromq";
import { clientDefaults, runClient } from "./client.ts";
import { mtserverDefaults, runMtServer } from "./mtserver.ts";

// Each in-process test gives its server its own inproc name: a process binds a name only once.
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

/** The server as a real process: the worker threads' own log lines can be read there. */
async function serverProcess(...args: string[]) {
  const child = runRoleProcess("src/mtserver.ts", ["--bind", EPHEMERAL, ...args]);
  const [, endpoint] = await child.waitForLine(/bound to (tcp:\/\/\S+)/);
  await child.waitForLine(/\[mtserver\] serving/);
  return { child, endpoint: endpoint! };
}

async function ask(socket: Request | Dealer, ...frames: string[]): Promise<string[]> {
  await socket.send(frames);
  return (await socket.receive()).map(String);
}

describe("multithreaded server", () => {
  it("answers concurrent Hello World clients from its pool of threads", async () => {
    const server = startServer({ workers: 3 });
    const [endpoint] = await server.ready;
    const replies = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        runClient({ ...clientDefaults, connect: [endpoint!], requests: 3, name: `client-${i}` }),
      ),
    );
    expect(replies).toEqual(Array(4).fill(["World", "World", "World"]));
    expect(await server.stop()).toBe(3); // three threads, each ended by itself
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

  it("hands requests to its threads in turn: 9 requests, 3 threads, 3 each", async () => {
    const { child, endpoint } = await serverProcess("--workers", "3", "--work-ms", "0");
    // Every thread said "ready" before the server opened its port, so all three are there.
    await runClient({ ...clientDefaults, connect: [endpoint], requests: 9 });
    child.signal("SIGTERM");
    const { stdout, code } = await child.exited;
    for (const i of [1, 2, 3]) {
      expect(stdout).toContain(`[mtserver-worker-${i}] stopped after answering 3 requests`);
    }
    expect(code).toBe(0);
  });

  it("keeps serving after a thread's REP socket drops a request without an envelope", async () => {
    const { child, endpoint } = await serverProcess("--workers", "1", "--work-ms", "0");
    const dealer = new Dealer({ linger: 0 });
    dealer.connect(endpoint);
    await dealer.send("Hello"); // no delimiter: not a request a REP socket can answer
    await child.waitForLine(/\[mtserver-worker-1\] W: the REP socket dropped a request/);
    expect(await ask(dealer, "", "Hello")).toEqual(["", "World"]);
    dealer.close();
    child.signal("SIGTERM");
    expect((await child.exited).code).toBe(0);
  });

  it("stops every thread by a message, also one in the middle of a long request", async () => {
    const { child, endpoint } = await serverProcess("--workers", "2", "--work-ms", "60000");
    const client = new Request({ linger: 0 });
    client.connect(endpoint);
    await client.send("Hello");
    await child.waitForLine(/\[mtserver-worker-\d\] received "Hello" \(1\)/);
    // That thread is a minute from done: the stop message ends its work and its loop now.
    child.signal("SIGTERM");
    const { stdout, code } = await child.exited;
    expect(stdout.match(/\[mtserver-worker-\d\] stop message received/g)).toHaveLength(2);
    expect(stdout).toMatch(/\[mtserver-worker-\d\] stopped after answering 1 requests/);
    expect(stdout).toMatch(/\[mtserver-worker-\d\] stopped after answering 0 requests/);
    expect(stdout).toContain("[mtserver] stopped with its 2 worker threads");
    expect(code).toBe(0);
    client.close();
  });
});
