import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { context, Reply, Request } from "zeromq";
import { askDefaults } from "./ask.ts";
import { grasslandsClientDefaults, runGrasslandsClient } from "./grasslands-client.ts";
import { grasslandsServerDefaults, runGrasslandsServer } from "./grasslands-server.ts";
import { ironhouseClientDefaults, runIronhouseClient } from "./ironhouse-client.ts";
import { ironhouseServerDefaults, runIronhouseServer } from "./ironhouse-server.ts";
import { runKeygen } from "./keygen.ts";
import { ZAP_DOMAIN } from "./protocol.ts";
import { startRelay } from "./relay.ts";
import { runStonehouseClient, stonehouseClientDefaults } from "./stonehouse-client.ts";
import { runStonehouseServer, stonehouseServerDefaults } from "./stonehouse-server.ts";
import { runStrawhouseClient, strawhouseClientDefaults } from "./strawhouse-client.ts";
import { runStrawhouseServer, strawhouseServerDefaults } from "./strawhouse-server.ts";
import { runWoodhouseClient, woodhouseClientDefaults } from "./woodhouse-client.ts";
import { runWoodhouseServer, woodhouseServerDefaults } from "./woodhouse-server.ts";
import { allow, startZapHandler } from "./zap-handler.ts";

// Each house in process, one server at a time (a process has one ZAP handler): the clients it
// must let in get their reply, the ones it must refuse get nothing, and the eavesdropping relay
// shows what crosses the wire. A refused client waits 1 s for a reply that never comes.
const SECRET_TEXT = "attack at dawn"; // the request: does it cross the wire readable?
const quick = { ...askDefaults, timeoutMs: 1000, request: SECRET_TEXT };
const ONE_SECOND_IS_PLENTY = { timeoutMs: 1000 }; // for refused clients only: nothing will come
// For a refused client whose reason the test reads: the ZAP "no" ends its wait when it comes,
// and on a busy machine it can come after a second.
const UNTIL_DENIED = { timeoutMs: 5000 };
const GENEROUS = { timeoutMs: 10_000 }; // for allowed clients: the reply comes, unless broken
let keys = "";
const key = (file: string) => join(keys, file);

beforeAll(() => {
  keys = mkdtempSync(join(tmpdir(), "security-test-"));
  runKeygen({
    dir: keys,
    name: ["server", "stranger"],
    publicDir: "",
    force: false,
    label: "keygen",
  });
  runKeygen({
    dir: keys,
    name: ["client"],
    publicDir: key("allowed"),
    force: false,
    label: "keygen",
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const served = (result: { reply?: string; refused: boolean }) => {
  expect(result).toMatchObject({ reply: "World", refused: false });
};
const refused = (result: { reply?: string; refused: boolean }) => {
  expect(result.reply).toBeUndefined();
  expect(result.refused).toBe(true);
};

describe("the ZAP handler and zeromq.js's context", () => {
  it("runs in the global context every socket uses by default, and libzmq asks it for NULL only with a zapDomain", async () => {
    expect(new Reply().context).toBe(context);
    const asked: string[] = [];
    const zap = await startZapHandler(({ domain, mechanism }) => {
      asked.push(`${mechanism} ${domain}`);
      return allow("test");
    });
    for (const zapDomain of ["", ZAP_DOMAIN]) {
      const server = new Reply({ linger: 0, ...(zapDomain ? { zapDomain } : {}) });
      await server.bind(EPHEMERAL);
      const client = new Request({ linger: 0 });
      client.connect(server.lastEndpoint!);
      await client.send("ping");
      const [request] = await server.receive();
      await server.send(request!);
      expect(String((await client.receive())[0])).toBe("ping");
      client.close();
      server.close();
    }
    await zap.close();
    expect(asked).toEqual([`NULL ${ZAP_DOMAIN}`]); // the connection without a domain: never asked
  });
});

describe("Grasslands: no security", () => {
  it("serves everybody, the stranger from 127.0.0.2 too, and the wire shows the request and the reply", async () => {
    const server = startRole(runGrasslandsServer, {
      ...grasslandsServerDefaults,
      bind: [EPHEMERAL],
    });
    const [endpoint] = await server.ready;
    const relay = await startRelay(0, endpoint!.replace("tcp://", ""));
    const client = { ...grasslandsClientDefaults, ...quick, ...GENEROUS };
    served(await runGrasslandsClient({ ...client, connect: [`tcp://127.0.0.1:${relay.port}`] }));
    served(await runGrasslandsClient({ ...client, connect: [endpoint!], from: "127.0.0.2" }));
    await relay.close();
    expect(relay.sentToServer().toString("latin1")).toContain(SECRET_TEXT);
    expect(relay.sentToClients().toString("latin1")).toContain("World");
    expect(await server.stop()).toBe(2);
  });
});

describe("Strawhouse: NULL and an address allow list", () => {
  it("serves 127.0.0.1, gives 127.0.0.2 nothing, logs the denial and goes on serving", async () => {
    const log = watchLog();
    const server = startRole(runStrawhouseServer, {
      ...strawhouseServerDefaults,
      bind: [EPHEMERAL],
      allow: ["127.0.0.1"],
    });
    const [endpoint] = await server.ready;
    const client = { ...strawhouseClientDefaults, ...quick, connect: [endpoint!] };
    served(await runStrawhouseClient({ ...client, ...GENEROUS }));
    const stranger = await runStrawhouseClient({
      ...client,
      ...UNTIL_DENIED,
      from: "127.0.0.2",
    });
    refused(stranger);
    expect(stranger.problems).toContain("the server refused us: Authentication failure");
    expect(log.lines).toContain("[zap] denied 127.0.0.2: not on the allow list");
    served(await runStrawhouseClient({ ...client, ...GENEROUS }));

    const relay = await startRelay(0, endpoint!.replace("tcp://", ""));
    served(
      await runStrawhouseClient({
        ...client,
        ...GENEROUS,
        connect: [`tcp://127.0.0.1:${relay.port}`],
      }),
    );
    await relay.close();
    expect(relay.sentToServer().toString("latin1")).toContain(SECRET_TEXT); // NULL: in clear
    expect(await server.stop()).toBe(3);
  });
});

describe("Woodhouse: PLAIN, user name and password", () => {
  it("serves admin/secret, gives a wrong password or user nothing, and the wire shows the password", async () => {
    const log = watchLog();
    const server = startRole(runWoodhouseServer, { ...woodhouseServerDefaults, bind: [EPHEMERAL] });
    const [endpoint] = await server.ready;
    const client = { ...woodhouseClientDefaults, ...quick, connect: [endpoint!] };
    refused(await runWoodhouseClient({ ...client, ...ONE_SECOND_IS_PLENTY, password: "guess" }));
    expect(log.lines).toContain('[zap] denied 127.0.0.1: user "admin": wrong password');
    refused(await runWoodhouseClient({ ...client, ...ONE_SECOND_IS_PLENTY, user: "root" }));
    expect(log.lines).toContain('[zap] denied 127.0.0.1: no user "root"');

    const relay = await startRelay(0, endpoint!.replace("tcp://", ""));
    served(
      await runWoodhouseClient({
        ...client,
        ...GENEROUS,
        connect: [`tcp://127.0.0.1:${relay.port}`],
      }),
    );
    await relay.close();
    const wire = relay.sentToServer().toString("latin1");
    expect(wire).toContain(SECRET_TEXT);
    expect(wire).toContain("secret"); // the password, as typed
    expect(log.lines).toContain('[zap] allowed 127.0.0.1: user "admin": password OK');
    expect(await server.stop()).toBe(1);
  });
});

describe("Stonehouse: CURVE, the client knows the server's key", () => {
  it("serves any client that has the server's key, refuses one with a wrong key, and the wire shows neither request nor reply", async () => {
    const log = watchLog();
    const server = startRole(runStonehouseServer, {
      ...stonehouseServerDefaults,
      bind: [EPHEMERAL],
      cert: key("server.key_secret"),
    });
    const [endpoint] = await server.ready;
    const client = {
      ...stonehouseClientDefaults,
      ...quick,
      connect: [endpoint!],
      serverKey: key("server.key"),
    };
    const impostor = await runStonehouseClient({
      ...client,
      ...ONE_SECOND_IS_PLENTY,
      serverKey: key("stranger.key"),
    });
    refused(impostor);
    expect(log.text()).toMatch(
      /\[stonehouse-server\] W: a handshake failed: .*ERR_ZMTP_CRYPTOGRAPHIC/,
    );
    // A client with no CURVE at all does not get in either.
    refused(
      await runGrasslandsClient({ ...grasslandsClientDefaults, ...quick, connect: [endpoint!] }),
    );

    const relay = await startRelay(0, endpoint!.replace("tcp://", ""));
    served(
      await runStonehouseClient({
        ...client,
        ...GENEROUS,
        connect: [`tcp://127.0.0.1:${relay.port}`],
      }),
    );
    served(
      await runStonehouseClient({
        ...client,
        ...GENEROUS,
        connect: [`tcp://127.0.0.1:${relay.port}`],
      }),
    );
    await relay.close();
    expect(relay.sentToServer().toString("latin1")).toContain("CURVE"); // the mechanism is public
    expect(relay.sentToServer().toString("latin1")).not.toContain(SECRET_TEXT);
    expect(relay.sentToClients().toString("latin1")).not.toContain("World");
    expect(log.text()).toMatch(/\[zap\] allowed 127\.0\.0\.1: any client key will do/);
    expect(await server.stop()).toBe(2);
  });
});

describe("Ironhouse: CURVE both ways, client keys from a directory", () => {
  it("serves the client whose key is in the directory, gives a stranger's key or a wrong server key nothing", async () => {
    const log = watchLog();
    const server = startRole(runIronhouseServer, {
      ...ironhouseServerDefaults,
      bind: [EPHEMERAL],
      cert: key("server.key_secret"),
      allowDir: key("allowed"),
    });
    const [endpoint] = await server.ready;
    const client = {
      ...ironhouseClientDefaults,
      ...quick,
      connect: [endpoint!],
      cert: key("client.key_secret"),
      serverKey: key("server.key"),
    };
    const stranger = await runIronhouseClient({
      ...client,
      ...UNTIL_DENIED,
      cert: key("stranger.key_secret"),
    });
    refused(stranger);
    expect(stranger.problems).toContain("the server refused us: Authentication failure");
    expect(log.text()).toMatch(/\[zap\] denied 127\.0\.0\.1: client key \S{40} is not allowed/);
    refused(
      await runIronhouseClient({
        ...client,
        ...ONE_SECOND_IS_PLENTY,
        serverKey: key("stranger.key"),
      }),
    );
    // An anonymous Stonehouse client (a fresh key each run) is refused too.
    refused(
      await runStonehouseClient({
        ...stonehouseClientDefaults,
        ...quick,
        connect: [endpoint!],
        serverKey: key("server.key"),
      }),
    );

    const relay = await startRelay(0, endpoint!.replace("tcp://", ""));
    served(
      await runIronhouseClient({
        ...client,
        ...GENEROUS,
        connect: [`tcp://127.0.0.1:${relay.port}`],
      }),
    );
    await relay.close();
    expect(relay.sentToServer().toString("latin1")).not.toContain(SECRET_TEXT);
    expect(relay.sentToClients().toString("latin1")).not.toContain("World");
    expect(log.text()).toMatch(/\[zap\] allowed 127\.0\.0\.1: client key \S{40} \(client\.key\)/);
    expect(await server.stop()).toBe(1);
  });
});
