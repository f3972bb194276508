import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Pair } from "zeromq";
import { attach, closeOnAbort, isMain } from "../src/lifecycle.ts";
import { roleLog } from "../src/log.ts";
import { EPHEMERAL, runRoleProcess } from "../src/testing.ts";

const quiet = roleLog("test");

describe("attach", () => {
  it("binds to an ephemeral port, reports the real endpoint, and a peer can connect to it", async () => {
    const server = new Pair({ linger: 0 });
    const client = new Pair({ linger: 0 });
    const [endpoint] = await attach(server, { bind: [EPHEMERAL], connect: [] }, quiet);
    expect(endpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    await attach(client, { bind: [], connect: [endpoint!] }, quiet);
    await client.send("ping");
    expect((await server.receive()).toString()).toBe("ping");
    server.close();
    client.close();
  });

  it("refuses a socket with nowhere to go", async () => {
    const socket = new Pair({ linger: 0 });
    await expect(attach(socket, { bind: [], connect: [] }, quiet)).rejects.toThrow(
      /no --bind or --connect/,
    );
    socket.close();
  });
});

describe("closeOnAbort", () => {
  it("ends a pending for-await receive loop when the signal aborts", async () => {
    const socket = new Pair({ linger: 0 });
    await socket.bind(EPHEMERAL);
    const controller = new AbortController();
    closeOnAbort(controller.signal, socket);
    const loop = (async () => {
      for await (const _ of socket) {
        /* nothing arrives */
      }
      return "loop ended";
    })();
    controller.abort();
    await expect(loop).resolves.toBe("loop ended");
    expect(socket.closed).toBe(true);
  });
});

describe("isMain", () => {
  it("is false for a module imported by a test", () => {
    expect(isMain(import.meta.url)).toBe(false);
  });
});

describe("stopOnSignals", () => {
  const fixture = fileURLToPath(new URL("./fixtures/waiting-role.ts", import.meta.url));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`closes the sockets and exits 0 on ${signal}`, async () => {
      const role = runRoleProcess(fixture);
      await role.waitForLine(/bound to tcp:/);
      role.signal(signal);
      const result = await role.exited;
      expect(result.stdout).toContain(`${signal} received, closing sockets`);
      expect(result.stdout).toContain("[waiting-role] loop ended");
      expect(result.code).toBe(0);
    });
  }
});
