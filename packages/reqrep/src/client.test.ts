import { EPHEMERAL, freeEndpoint, runRoleProcess, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it } from "vitest";
import { Reply, Request } from "zeromq";
import { clientDefaults, runClient } from "./client.ts";
import { runServer, serverDefaults } from "./server.ts";

const quickServer = { ...serverDefaults, bind: [EPHEMERAL], connect: [], workMs: 0 };

describe("Hello World client", () => {
  it("sends its requests one by one and returns every reply in order", async () => {
    const server = startRole(runServer, quickServer);
    const [endpoint] = await server.ready;
    const replies = await runClient({ ...clientDefaults, connect: [endpoint!], requests: 3 });
    expect(replies).toEqual(["World", "World", "World"]);
    await server.stop();
  });

  it("alternates its requests between two servers when connected to both", async () => {
    const serverA = startRole(runServer, { ...quickServer, reply: "A", name: "server-a" });
    const serverB = startRole(runServer, { ...quickServer, reply: "B", name: "server-b" });
    const endpoints = [...(await serverA.ready), ...(await serverB.ready)];
    const replies = await runClient({ ...clientDefaults, connect: endpoints, requests: 6 });
    expect(replies.join("")).toMatch(/^(AB){3}$|^(BA){3}$/);
    expect(await serverA.stop()).toBe(3);
    expect(await serverB.stop()).toBe(3);
  });

  it("works the other way round: the client binds and the server connects", async () => {
    const client = startRole(runClient, {
      ...clientDefaults,
      bind: [EPHEMERAL],
      connect: [],
      requests: 2,
    });
    const [endpoint] = await client.ready;
    const server = startRole(runServer, { ...quickServer, bind: [], connect: [endpoint!] });
    expect(await client.done).toEqual(["World", "World"]);
    await server.stop();
  });

  it("stops cleanly when told to while no server is there", async () => {
    const client = startRole(runClient, { ...clientDefaults, bind: [EPHEMERAL], connect: [] });
    await client.ready;
    expect(await client.stop()).toEqual([]);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal} while waiting for a server that never answers`, async () => {
      const client = runRoleProcess("src/client.ts", ["--bind", EPHEMERAL]);
      await client.waitForLine(/sending "Hello" \(1\/10\)/);
      client.signal(signal);
      const result = await client.exited;
      expect(result.stdout).toContain("[client] stopped: 0 of 10 replies");
      expect(result.code).toBe(0);
    });
  }

  it("a client that connects sends at once with no server: the request waits in its queue", async () => {
    const endpoint = await freeEndpoint();
    const client = new Request({ linger: 0 });
    client.connect(endpoint); // nobody listens: libzmq retries in the background
    await client.send("Hello"); // resolves now, though no server exists yet
    const server = new Reply({ linger: 0 });
    await server.bind(endpoint);
    expect(String(await server.receive())).toBe("Hello");
    server.close();
    client.close();
  });

  // What the docs' pitfalls say about the lockstep, checked on zeromq.js v6 itself.
  describe("a REQ socket out of lockstep", () => {
    let sockets: (Reply | Request)[] = [];
    afterEach(() => {
      for (const socket of sockets) socket.close();
      sockets = [];
    });
    /** A REP the test drives by hand, and a REQ connected to it. */
    async function pair(options: ConstructorParameters<typeof Request>[0]) {
      const server = new Reply({ linger: 0 });
      await server.bind(EPHEMERAL);
      const client = new Request({ linger: 0, ...options });
      client.connect(server.lastEndpoint!);
      sockets.push(server, client);
      return { server, client };
    }

    it("waits in a second send until the reply is received: no error, by default", async () => {
      const { server, client } = await pair({});
      await client.send("first");
      let secondSent = false;
      const second = client.send("second").then(() => {
        secondSent = true;
      });
      expect(String(await server.receive())).toBe("first");
      expect(secondSent).toBe(false); // the first request is through; the second send still waits
      await server.send("reply");
      expect(String(await client.receive())).toBe("reply");
      await second; // the lockstep allows it now
      expect(String(await server.receive())).toBe("second");
    });

    it("fails a second send with EFSM when sendTimeout is 0", async () => {
      const { client } = await pair({ sendTimeout: 0 });
      await client.send("first");
      await expect(client.send("second")).rejects.toMatchObject({ code: "EFSM" });
    });

    it("cannot send after a receive time-out: the lost reply is still awaited", async () => {
      const { server, client } = await pair({ receiveTimeout: 100 });
      await client.send("first");
      expect(String(await server.receive())).toBe("first"); // the server holds it, no reply
      await expect(client.receive()).rejects.toMatchObject({ code: "EAGAIN" });
      client.sendTimeout = 0; // by default this send would wait for ever
      await expect(client.send("second")).rejects.toMatchObject({ code: "EFSM" });
    });

    it("can be used again after a time-out with relaxed and correlate, and ignores the late reply", async () => {
      const { server, client } = await pair({
        receiveTimeout: 100,
        relaxed: true,
        correlate: true,
      });
      await client.send("first");
      expect(String(await server.receive())).toBe("first");
      await expect(client.receive()).rejects.toMatchObject({ code: "EAGAIN" });
      await client.send("second"); // relaxed: a new request is allowed
      await server.send("late reply to first"); // correlate: the client drops it
      expect(String(await server.receive())).toBe("second");
      await server.send("reply to second");
      client.receiveTimeout = -1;
      // zeromq.js 6.8: a receive that finds the dropped late reply already queued fails at once
      // with EAGAIN, as a time-out would; the next receive gets the reply.
      const again = (error: { code?: string }) => {
        if (error.code !== "EAGAIN") throw error;
        return client.receive();
      };
      expect(String(await client.receive().catch(again))).toBe("reply to second");
    });
  });
});
