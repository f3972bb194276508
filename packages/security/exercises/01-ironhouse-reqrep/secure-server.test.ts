import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { freeEndpoint, type RunningRole, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Reply, Router, Socket } from "zeromq";
import { askDefaults } from "#src/ask.ts";
import { grasslandsClientDefaults, runGrasslandsClient } from "#src/grasslands-client.ts";
import { ironhouseClientDefaults, runIronhouseClient } from "#src/ironhouse-client.ts";
import { runKeygen } from "#src/keygen.ts";
import { ZAP_ENDPOINT } from "#src/protocol.ts";
import { startRelay } from "#src/relay.ts";
import { runStonehouseClient, stonehouseClientDefaults } from "#src/stonehouse-client.ts";

const { runSecureServer, secureServerDefaults }: typeof import("./solution/secure-server.ts") =
  await import(exerciseModule(import.meta.url, "secure-server.ts"));

// The lesson's clients against your server. A client that must be refused waits 1 s for a
// reply; one that must be served gets 10 s.
const SECRET_TEXT = "the launch codes";
let keys = "";
const key = (file: string) => join(keys, file);
beforeAll(() => {
  keys = mkdtempSync(join(tmpdir(), "security-ex01-"));
  runKeygen({
    dir: keys,
    name: ["server", "stranger"],
    publicDir: "",
    force: false,
    label: "keygen",
  });
  runKeygen({
    dir: keys,
    name: ["alice", "bob"],
    publicDir: key("allowed"),
    force: false,
    label: "keygen",
  });
});
const roles: RunningRole<unknown>[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(roles.splice(0).map((role) => role.stop()));
});

const ironhouse = (endpoint: string, cert: string, timeoutMs: number) =>
  runIronhouseClient({
    ...ironhouseClientDefaults,
    ...askDefaults,
    request: SECRET_TEXT,
    connect: [endpoint],
    cert: key(cert),
    serverKey: key("server.key"),
    timeoutMs,
  });

async function startServer(endpoint: string) {
  const server = startRole(runSecureServer, {
    ...secureServerDefaults,
    bind: [endpoint],
    cert: key("server.key_secret"),
    allowDir: key("allowed"),
  });
  roles.push(server);
  await server.ready;
  return server;
}

describe(`exercise 01, the reqrep server made Ironhouse (${exerciseSubject()})`, () => {
  it("serves the clients whose keys are in the directory, over CURVE: nothing readable on the wire", async () => {
    const endpoint = await freeEndpoint();
    await startServer(endpoint);
    expect((await ironhouse(endpoint, "alice.key_secret", 10_000)).reply).toBe("World");
    const relay = await startRelay(0, endpoint.replace("tcp://", ""));
    expect((await ironhouse(`tcp://127.0.0.1:${relay.port}`, "bob.key_secret", 10_000)).reply).toBe(
      "World",
    );
    await relay.close();
    expect(relay.sentToServer().toString("latin1")).toContain("CURVE");
    expect(relay.sentToServer().toString("latin1")).not.toContain(SECRET_TEXT);
    expect(relay.sentToClients().toString("latin1")).not.toContain("World");
  });

  it("gives nothing to a key not in the directory, an anonymous CURVE client or a client without CURVE, and goes on serving", async () => {
    const endpoint = await freeEndpoint();
    const server = await startServer(endpoint);
    expect((await ironhouse(endpoint, "stranger.key_secret", 1000)).reply).toBeUndefined();
    const anonymous = await runStonehouseClient({
      ...stonehouseClientDefaults,
      ...askDefaults,
      connect: [endpoint],
      serverKey: key("server.key"),
      timeoutMs: 1000,
    });
    expect(anonymous.reply).toBeUndefined();
    const plain = await runGrasslandsClient({
      ...grasslandsClientDefaults,
      ...askDefaults,
      connect: [endpoint],
      timeoutMs: 1000,
    });
    expect(plain.reply).toBeUndefined();
    expect((await ironhouse(endpoint, "alice.key_secret", 10_000)).reply).toBe("World");
    expect(await server.stop()).toBe(1);
  });

  it("checks a stranger that is already knocking when the server starts (the handler is bound before the socket)", async () => {
    const endpoint = await freeEndpoint();
    const knocking = ironhouse(endpoint, "stranger.key_secret", 1500); // connects, and retries
    await startServer(endpoint);
    expect((await knocking).reply).toBeUndefined();
  });

  // The test above catches the wrong order only when the stranger's retry lands in the gap
  // between the two binds, which is often too short to hit: this one watches the binds.
  it("has its ZAP handler bound before the server socket starts to bind", async () => {
    const binds: string[] = [];
    const bind = Socket.prototype.bind; // native and fixed: watch it on the classes instead
    const watched = [Reply.prototype, Router.prototype]; // the sockets RFC 27 allows a handler
    for (const prototype of watched)
      Object.defineProperty(prototype, "bind", {
        configurable: true,
        value: async function (this: Socket, address: string) {
          const which = address === ZAP_ENDPOINT ? "ZAP handler" : "server";
          binds.push(`${which} binding`);
          await bind.call(this, address);
          binds.push(`${which} bound`);
        },
      });
    try {
      await startServer(await freeEndpoint());
    } finally {
      for (const prototype of watched) delete (prototype as { bind?: unknown }).bind;
    }
    expect(binds, "no ZAP handler (a REP or ROUTER socket) was bound").toContain(
      "ZAP handler bound",
    );
    expect(binds.indexOf("ZAP handler bound"), binds.join(", ")).toBeLessThan(
      binds.indexOf("server binding"),
    );
  });
});
