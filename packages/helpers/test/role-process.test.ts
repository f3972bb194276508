import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Dealer, Request } from "zeromq";
import { type RoleChild, runRoleProcess } from "../src/role-process.ts";
import { freeEndpoint } from "../src/testing.ts";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const echoServer = fixture("echo-server.ts");

describe("runRoleProcess", () => {
  const children: RoleChild[] = [];
  const sockets: (Request | Dealer)[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await Promise.all(children.splice(0).map((child) => child.kill()));
  });
  /** A REQ to `endpoint` that gives up on a reply after `timeoutMs`. */
  const client = (endpoint: string, timeoutMs = -1) => {
    const socket = new Request({ linger: 0, receiveTimeout: timeoutMs });
    socket.connect(endpoint);
    sockets.push(socket);
    return socket;
  };
  const serve = (endpoint: string) => {
    const server = runRoleProcess(echoServer, [endpoint]);
    children.push(server);
    return server;
  };

  it("works in a plain process too (no vitest loaded), as benchmarks use it", async () => {
    const result = await runRoleProcess(fixture("plain-runner.ts")).exited;
    expect(result.stdout).toContain("child said: plain line without a label; exit code 3");
    expect(result.code).toBe(0);
  });

  it("still takes a working directory as its third argument", async () => {
    const cwd = fileURLToPath(new URL("./fixtures/", import.meta.url));
    const result = await runRoleProcess("exits.ts", ["0"], cwd).exited;
    expect(result.stdout).toContain("plain line without a label");
    expect(result.code).toBe(0);
  });

  it("waitForLine with `since` waits for a line at or after that index", async () => {
    const server = serve("tcp://127.0.0.1:*");
    const [, endpoint] = await server.waitForLine(/bound to (\S+)/);
    const socket = client(endpoint!);
    await socket.send("one");
    await socket.receive();
    await server.waitForLine(/received "one"/);
    const since = server.lines.length;
    const next = server.waitForLine(/received "(\w+)"/, { since });
    expect(server.waiting).toEqual([/received "(\w+)"/]); // what a hung test reports
    await socket.send("two");
    expect((await next)[1]).toBe("two"); // without `since`, "one" would match
    expect(server.waiting).toEqual([]);
    expect(server.lines.indexOf('[echo-server] received "two"')).toBeGreaterThanOrEqual(since);
  });

  it("hang() leaves a server connected but silent; resume() lets it answer the same request", async () => {
    const endpoint = await freeEndpoint();
    const server = serve(endpoint);
    await server.waitForLine(/bound to/);
    const socket = client(endpoint, 300);
    await socket.send("before");
    expect(String(await socket.receive())).toBe(`before from ${server.pid}`);

    server.hang();
    await socket.send("while hung");
    await expect(socket.receive()).rejects.toMatchObject({ code: "EAGAIN" });
    server.resume();
    socket.receiveTimeout = -1; // a REQ may wait again for the reply it is owed
    expect(String(await socket.receive())).toBe(`while hung from ${server.pid}`);
    expect(server.lines.filter((line) => line.includes("a peer disconnected"))).toEqual([]);
  });

  it("kill() is a SIGKILL, even of a hung process; restart() binds the same endpoint again", async () => {
    const endpoint = await freeEndpoint();
    const server = serve(endpoint);
    await server.waitForLine(/bound to/);
    server.hang();
    const result = await server.kill();
    expect(result.signal).toBe("SIGKILL");
    expect(result.stdout).not.toContain("closing sockets"); // a crash: no clean-up ran

    const again = await server.restart();
    children.push(again);
    expect(again.pid).not.toBe(server.pid);
    await again.waitForLine(new RegExp(`bound to ${endpoint}`));
    const socket = client(endpoint);
    await socket.send("after");
    expect(String(await socket.receive())).toBe(`after from ${again.pid}`);
  });

  it("restart() of a running process SIGKILLs it first", async () => {
    const server = serve(await freeEndpoint());
    await server.waitForLine(/bound to/);
    const again = await server.restart();
    children.push(again);
    expect((await server.exited).signal).toBe("SIGKILL");
    await again.waitForLine(/bound to/);
  });

  // A hung child would otherwise keep its connections open for ever: the peer below would never
  // see a disconnect. The helpers end it when the parent exits, or dies of SIGTERM (which is
  // how vitest ends a test file's fork).
  for (const [how, mode] of [
    ["exits", "--exit"],
    ["dies of SIGTERM", "--wait"],
  ] as const) {
    it(`a hung child is ended when its parent ${how}`, async () => {
      const endpoint = await freeEndpoint();
      const peer = new Dealer({ linger: 0 });
      sockets.push(peer);
      const disconnected = new Promise((resolve) => peer.events.on("disconnect", resolve));
      peer.connect(endpoint);
      const parent = runRoleProcess(fixture("abandoning-parent.ts"), [endpoint, mode]);
      children.push(parent);
      await parent.waitForLine(/hung \d+/);
      if (mode === "--wait") parent.signal("SIGTERM");
      const result = await parent.exited;
      if (mode === "--exit") expect(result.code).toBe(0);
      else expect(result.signal).toBe("SIGTERM"); // it still dies of the signal
      await disconnected; // the hung child's connection closed: it is gone
    });
  }
});
