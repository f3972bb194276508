import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Pair, Pull, Push } from "zeromq";
import { attach, closeAndDrain, closeOnAbort, isMain } from "../src/lifecycle.ts";
import { roleLog } from "../src/log.ts";
import { EPHEMERAL, runRoleProcess, unusedEndpoint } from "../src/testing.ts";

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

  it("returns without error when the socket is closed while it binds (a stop mid-start-up)", async () => {
    const socket = new Pair({ linger: 0 });
    const attaching = attach(socket, { bind: [EPHEMERAL, EPHEMERAL], connect: [] }, quiet);
    socket.close(); // what closeOnAbort does on Ctrl-C
    await expect(attaching).resolves.toEqual([]);
    const closed = new Pair({ linger: 0 });
    closed.close();
    await expect(attach(closed, { bind: [], connect: [EPHEMERAL] }, quiet)).resolves.toEqual([]);
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

describe("closeAndDrain", () => {
  it("returns once the queued messages have left, and not before", async () => {
    const endpoint = unusedEndpoint(); // nobody there yet: the messages wait in the queue
    const push = new Push({ linger: 600_000 });
    push.connect(endpoint);
    for (const n of [1, 2, 3]) await push.send(`message ${n}`);
    let drained = false;
    const drain = closeAndDrain(push).then(() => {
      drained = true;
    });
    expect(push.closed).toBe(true);
    await new Promise(setImmediate);
    expect(drained).toBe(false); // with no peer, nothing has left

    const pull = new Pull({ linger: 0 });
    await pull.bind(endpoint);
    await drain;
    const received = [];
    for (const _ of [1, 2, 3]) received.push(String(await pull.receive()));
    expect(received).toEqual(["message 1", "message 2", "message 3"]);
    pull.close();
  });

  // The bug it fixes: a role that closed a lingering socket and returned died of a Ctrl-C that
  // came during the drain (exit 130 in a shell), without a word.
  const fixture = fileURLToPath(new URL("./fixtures/draining-role.ts", import.meta.url));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`a ${signal} during the drain is logged, drops the rest and exits 0`, async () => {
      const role = runRoleProcess(fixture, [unusedEndpoint()]);
      await role.waitForLine(/closing with 3 messages queued/);
      role.signal(signal);
      const result = await role.exited;
      expect(result.stdout).toContain(
        `[draining-role] W: ${signal} received while the last messages were leaving: stopped draining, the rest is dropped`,
      );
      expect(result.code).toBe(0);
    });
  }

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`a second ${signal}, during the drain the first one began, is logged and exits 0`, async () => {
      const role = runRoleProcess(fixture, [unusedEndpoint(), "--drain-on-stop"]);
      await role.waitForLine(/waiting to be stopped/);
      role.signal(signal);
      await role.waitForLine(/closing with 3 messages queued/);
      role.signal(signal); // the second Ctrl-C, as an impatient user gives it
      const result = await role.exited;
      expect(result.stdout).toContain(`[draining-role] ${signal} received, closing sockets`);
      expect(result.stdout).toContain(
        `[draining-role] W: ${signal} received while the last messages were leaving: stopped draining, the rest is dropped`,
      );
      expect(result.code).toBe(0);
    });
  }

  it("without it, the drain runs in Node's exit, where a SIGINT kills the process silently", async () => {
    const role = runRoleProcess(fixture, [unusedEndpoint(), "--plain-close"]);
    // zeromq.js prints this from its exit-time wait for queued messages, after 500 ms.
    await role.waitForLine(/Waiting for queued ZeroMQ messages to be delivered/);
    role.signal("SIGINT");
    const result = await role.exited;
    expect(result.signal).toBe("SIGINT");
    expect(result.stdout).not.toContain("SIGINT received");
  });
});
