import {
  ask,
  EPHEMERAL,
  plainRequest,
  runRoleProcess,
  startRole,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request } from "zeromq";
import { MAX_MESSAGE_BYTES, MAX_REQUEST_BYTES } from "./protocol.ts";
import { runServer, serverDefaults } from "./server.ts";

const quickServer = { ...serverDefaults, bind: [EPHEMERAL], connect: [], workMs: 0 };

describe("Hello World server", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers World to every request from a plain ZeroMQ REQ client, in order", async () => {
    const server = startRole(runServer, quickServer);
    const [endpoint] = await server.ready;
    const client = plainRequest(endpoint!);
    for (let i = 0; i < 5; i++) expect(await ask(client, "Hello")).toBe("World");
    client.close();
    expect(await server.stop()).toBe(5);
  });

  it("serves two clients at once, each getting only its own replies", async () => {
    const server = startRole(runServer, { ...quickServer, reply: "World" });
    const [endpoint] = await server.ready;
    const clients = [plainRequest(endpoint!), plainRequest(endpoint!)];
    const replies = await Promise.all(clients.map((client) => ask(client, "Hello")));
    expect(replies).toEqual(["World", "World"]);
    for (const client of clients) client.close();
    expect(await server.stop()).toBe(2);
  });

  describe("bad input gets an error reply and the server keeps serving", () => {
    const cases: [string, (string | Buffer)[], RegExp][] = [
      ["several frames", ["Hello", "again", "and again"], /^error: expected 1 frame, got 3$/],
      ["an empty frame", [""], /^error: empty request$/],
      [
        "1 MiB of garbage",
        [Buffer.alloc(1024 * 1024, 0xff)],
        new RegExp(`^error: request is 1048576 bytes; the limit is ${MAX_REQUEST_BYTES}$`),
      ],
      [
        "bytes that are not UTF-8",
        [Buffer.from([0xc3, 0x28, 0xff])],
        /^error: request is not UTF-8 text: 0xc328ff$/,
      ],
    ];
    for (const [what, frames, expected] of cases) {
      it(`${what}`, async () => {
        const log = vi.spyOn(console, "log");
        const server = startRole(runServer, quickServer);
        const [endpoint] = await server.ready;
        const client = plainRequest(endpoint!);
        expect(await ask(client, "Hello")).toBe("World");
        expect(await ask(client, ...frames)).toMatch(expected);
        expect(log.mock.calls.flat().join("\n")).toContain("[server] W: bad request:");
        expect(await ask(client, "Hello")).toBe("World");
        client.close();
        expect(await server.stop()).toBe(2); // both good requests were answered and counted
      });
    }
  });

  it("survives a DEALER peer that leaves out the empty delimiter, and keeps serving", async () => {
    const log = watchLog();
    const server = startRole(runServer, quickServer);
    const [endpoint] = await server.ready;
    const careless = new Dealer({ linger: 0 });
    careless.connect(endpoint!);
    await careless.send("Hello"); // a REQ would have sent ["", "Hello"]
    await log.waitFor(
      /\[server\] W: dropped a request without the empty delimiter frame \(a DEALER that left it out\?\)/,
    );
    const client = plainRequest(endpoint!);
    expect(await ask(client, "Hello")).toBe("World");
    careless.close();
    client.close();
    expect(await server.stop()).toBe(1);
  });

  // maxMessageSize (ZMQ_MAXMSGSIZE) bounds each frame that libzmq decodes, not the message.
  describe("the hard limit, maxMessageSize, bounds each frame and not the whole message", () => {
    it("drops a peer that sends one frame over the limit and keeps serving the others", async () => {
      const server = startRole(runServer, quickServer);
      const [endpoint] = await server.ready;
      const flooder = new Request({ linger: 0 });
      const dropped = new Promise<void>((resolve) =>
        flooder.events.on("disconnect", () => resolve()),
      );
      flooder.connect(endpoint!);
      await flooder.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1));
      await dropped; // libzmq closed the connection; the server's code never saw the frame
      flooder.close();

      const client = plainRequest(endpoint!);
      expect(await ask(client, "Hello")).toBe("World");
      client.close();
      expect(await server.stop()).toBe(1);
    });

    it("lets through a message of several frames, each within the limit, together far over it", async () => {
      const log = watchLog();
      const server = startRole(runServer, quickServer);
      const [endpoint] = await server.ready;
      const client = plainRequest(endpoint!);
      let disconnects = 0;
      client.events.on("disconnect", () => {
        disconnects += 1;
      });
      // 5 frames of exactly the limit: 20 MiB in one message, and libzmq passes it to our code.
      const frames = Array.from({ length: 5 }, () => Buffer.alloc(MAX_MESSAGE_BYTES, "x"));
      expect(await ask(client, ...frames)).toBe("error: expected 1 frame, got 5");
      await log.waitFor(/\[server\] W: bad request: expected 1 frame, got 5/);
      expect(await ask(client, "Hello")).toBe("World");
      expect(disconnects).toBe(0); // the same connection all along: libzmq dropped nobody
      client.close();
      expect(await server.stop()).toBe(1);
    });
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`closes its socket and exits 0 on ${signal}`, async () => {
      const server = runRoleProcess("src/server.ts", ["--bind", EPHEMERAL, "--work-ms", "0"]);
      const [, endpoint] = await server.waitForLine(/bound to (tcp:\/\/\S+)/);
      const client = plainRequest(endpoint!);
      expect(await ask(client, "Hello")).toBe("World");
      client.close();
      server.signal(signal);
      const result = await server.exited;
      expect(result.stdout).toContain(`[server] ${signal} received, closing sockets`);
      expect(result.stdout).toContain("[server] stopped after answering 1 requests");
      expect(result.code).toBe(0);
    });
  }
});
