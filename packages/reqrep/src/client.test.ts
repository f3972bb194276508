import { EPHEMERAL, runRoleProcess, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
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
});
