import {
  ask,
  EPHEMERAL,
  freeEndpoint,
  plainRequest,
  runRoleProcess,
  startRole,
  unusedEndpoint,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Reply, Request } from "zeromq";
import { lazyClientDefaults, runLazyClient } from "./lazy-client.ts";
import { lazyServerDefaults, runLazyServer } from "./lazy-server.ts";
import { MAX_FRAME_BYTES } from "./protocol.ts";

const quickServer = { ...lazyServerDefaults, bind: [EPHEMERAL], connect: [], workMs: 0 };
const quickClient = (endpoint: string, more: Partial<typeof lazyClientDefaults> = {}) => ({
  ...lazyClientDefaults,
  connect: [endpoint],
  bind: [],
  ...more,
});

/** The sequence numbers a client process logged as answered, in the order it logged them. */
const answeredIn = (output: string) =>
  [...output.matchAll(/server replied OK \((\d+)\)/g)].map((match) => Number(match[1]));
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("Lazy Pirate", () => {
  // Sockets a test opened itself, closed even when it fails (an open socket keeps the run alive).
  const sockets: { close(): void }[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) socket.close();
  });

  it("answers every request once, in order, each reply the number that was sent", async () => {
    const server = startRole(runLazyServer, quickServer);
    const [endpoint] = await server.ready;
    const result = await runLazyClient(quickClient(endpoint!, { requests: 5 }));
    expect(result).toEqual({ replies: ["1", "2", "3", "4", "5"], gaveUp: false });
    expect(await server.stop()).toEqual({ answered: 5, crashed: false });
  });

  it("recovers from an overloaded server by resending on a new socket; the server may work twice", async () => {
    const log = watchLog();
    // Request 3 stalls for two client time-outs: the client resends it on fresh sockets.
    const server = startRole(runLazyServer, { ...quickServer, overloadAfter: 2, overloadMs: 1000 });
    const [endpoint] = await server.ready;
    const result = await runLazyClient(quickClient(endpoint!, { requests: 5, timeoutMs: 500 }));
    expect(result).toEqual({ replies: ["1", "2", "3", "4", "5"], gaveUp: false });
    expect(log.text()).toContain("[client] W: no reply in 500 ms");
    expect(log.text()).toContain("[client] reconnected; resending 3 (2 retries left)");
    // At least once, not exactly once: the copies sent before the resend are worked on too,
    // and their replies go to sockets that are closed. The client still saw each reply once.
    const { answered } = await server.stop();
    expect(answered).toBeGreaterThan(5);
  });

  it("refuses a reply that is not the number it sent, and asks again on a new socket", async () => {
    const errors = vi.spyOn(console, "error");
    const liar = new Reply({ linger: 0 });
    sockets.push(liar);
    await liar.bind(EPHEMERAL);
    const lying = (async () => {
      let first = true;
      for await (const [request] of liar) {
        await liar.send(first ? "999" : request!); // the first answer is wrong
        first = false;
      }
    })();
    const result = await runLazyClient(quickClient(liar.lastEndpoint!, { requests: 2 }));
    expect(result).toEqual({ replies: ["1", "2"], gaveUp: false });
    expect(errors.mock.calls.flat()).toContain('[client] E: malformed reply from server: "999"');
    liar.close();
    await lying;
  });

  it("gives up on a server that crashed (--crash-after), keeping the replies it got", async () => {
    const log = watchLog();
    const server = startRole(runLazyServer, { ...quickServer, crashAfter: 2 });
    const [endpoint] = await server.ready;
    const result = await runLazyClient(
      quickClient(endpoint!, { requests: 5, timeoutMs: 200, retries: 1 }),
    );
    expect(result).toEqual({ replies: ["1", "2"], gaveUp: true });
    expect(await server.done).toEqual({ answered: 2, crashed: true });
    expect(log.text()).toContain('[server] W: simulating a crash: request "3" is never answered');
  });

  it("with no server at all, gives up after exactly its retries and exits 1 with the message", async () => {
    const client = runRoleProcess("src/lazy-client.ts", [
      ...[
        "--connect",
        unusedEndpoint(),
        "--requests",
        "3",
        "--timeout-ms",
        "200",
        "--retries",
        "3",
      ],
    ]);
    const result = await client.exited;
    expect(result.code).toBe(1);
    expect(result.stdout.match(/sending 1 \(1\/3\)/g)).toHaveLength(1);
    expect(result.stdout.match(/W: no reply in 200 ms/g)).toHaveLength(4); // the first try + 3 retries
    for (const left of [2, 1, 0])
      expect(result.stdout).toContain(`resending 1 (${left} retries left)`);
    expect(result.stderr).toContain("[client] E: server seems to be offline, abandoning request 1");
    expect(result.stdout).toContain("[client] gave up: 0 of 3 requests answered");
    expect(result.stdout).not.toContain("sending 2");
  });

  it("survives the server being SIGKILLed mid-run and restarted: every request answered once, in order", async () => {
    const endpoint = await freeEndpoint(); // the restarted server binds it again
    let server = runRoleProcess("src/lazy-server.ts", ["--bind", endpoint, "--work-ms", "100"]);
    await server.waitForLine(/bound to/);
    const client = runRoleProcess("src/lazy-client.ts", [
      ...["--connect", endpoint, "--requests", "10", "--timeout-ms", "1000", "--retries", "10"],
    ]);
    await client.waitForLine(/server replied OK \(3\)/);
    expect((await server.kill()).signal).toBe("SIGKILL"); // a crash: no clean-up, no goodbye
    await client.waitForLine(/W: no reply in 1000 ms/);
    server = await server.restart();
    const result = await client.exited;
    expect(result.code).toBe(0);
    expect(answeredIn(result.stdout)).toEqual(oneTo(10)); // none lost, none twice, in order
    expect(result.stdout).toContain("[client] done: 10 of 10 requests answered");
    server.signal("SIGTERM");
    expect((await server.exited).code).toBe(0);
  });

  describe("bad input to the server gets an error or is dropped, and it keeps serving", () => {
    const cases: [string, (string | Buffer)[], string][] = [
      ["several frames", ["1", "2", "3"], "error: expected 1 frame, got 3"],
      ["an empty frame", [""], "error: empty request"],
    ];
    for (const [what, frames, expected] of cases) {
      it(what, async () => {
        const log = watchLog();
        const server = startRole(runLazyServer, quickServer);
        const [endpoint] = await server.ready;
        const client = plainRequest(endpoint!);
        expect(await ask(client, "1")).toBe("1");
        expect(await ask(client, ...frames)).toBe(expected);
        expect(await ask(client, "2")).toBe("2");
        expect(log.text()).toContain("[server] W: bad request:");
        client.close();
        expect((await server.stop()).answered).toBe(2);
      });
    }

    it("binary garbage is echoed unchanged (an echo server's job), shown in hex", async () => {
      const log = watchLog();
      const server = startRole(runLazyServer, quickServer);
      const [endpoint] = await server.ready;
      const client = plainRequest(endpoint!);
      const garbage = Buffer.from([0xff, 0x00, 0xc3, 0x28]);
      await client.send(garbage);
      expect((await client.receive())[0]).toEqual(garbage);
      expect(log.text()).toContain("[server] normal request 0xff00c328");
      client.close();
      await server.stop();
    });

    it("a DEALER that leaves out the delimiter, and a frame over the limit (peer dropped)", async () => {
      const log = watchLog();
      const server = startRole(runLazyServer, quickServer);
      const [endpoint] = await server.ready;
      const careless = new Dealer({ linger: 0 });
      sockets.push(careless);
      careless.connect(endpoint!);
      await careless.send("1");
      await log.waitFor(/\[server\] W: dropped a request without the empty delimiter frame/);
      const flooder = new Request({ linger: 0 });
      sockets.push(flooder);
      const dropped = new Promise<void>((resolve) =>
        flooder.events.on("disconnect", () => resolve()),
      );
      flooder.connect(endpoint!);
      await flooder.send(Buffer.alloc(MAX_FRAME_BYTES + 1));
      await dropped; // libzmq closed that connection; the server's code never saw the frame
      const client = plainRequest(endpoint!);
      expect(await ask(client, "7")).toBe("7");
      for (const socket of [careless, flooder, client]) socket.close();
      expect((await server.stop()).answered).toBe(1);
    });
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`server and a waiting client close their sockets and exit 0 on ${signal}`, async () => {
      const server = runRoleProcess("src/lazy-server.ts", ["--bind", EPHEMERAL, "--work-ms", "0"]);
      const [, endpoint] = await server.waitForLine(/bound to (tcp:\/\/\S+)/);
      const silent = unusedEndpoint();
      const client = runRoleProcess("src/lazy-client.ts", ["--connect", silent]);
      await client.waitForLine(/sending 1/);
      const asker = plainRequest(endpoint!);
      expect(await ask(asker, "42")).toBe("42");
      asker.close();
      for (const role of [server, client]) role.signal(signal);
      const [serverResult, clientResult] = await Promise.all([server.exited, client.exited]);
      expect(serverResult.stdout).toContain(`[server] ${signal} received, closing sockets`);
      expect(serverResult.stdout).toContain("[server] stopped after answering 1 requests");
      expect(clientResult.stdout).toContain("[client] stopped: 0 of 10 requests answered");
      expect([serverResult.code, clientResult.code]).toEqual([0, 0]);
    });
  }
});
