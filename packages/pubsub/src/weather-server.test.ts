import { EPHEMERAL, runRoleProcess, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it } from "vitest";
import { Subscriber, XSubscriber } from "zeromq";
import { MAX_INBOUND_BYTES, parseWeatherUpdate } from "./protocol.ts";
import { runWeatherServer, weatherServerDefaults } from "./weather-server.ts";

const quickServer = {
  ...weatherServerDefaults,
  bind: [EPHEMERAL],
  connect: [],
  zipMin: 10000,
  zipMax: 10009,
};

/** A bare SUB socket, as the Guide's wuclient in C or Python would open it. */
function plainSubscriber(endpoint: string, ...filters: string[]): Subscriber {
  const socket = new Subscriber({ linger: 0 });
  for (const filter of filters) socket.subscribe(filter);
  socket.connect(endpoint);
  return socket;
}

async function receiveMessages(socket: Subscriber, count: number): Promise<Buffer[][]> {
  const messages: Buffer[][] = [];
  while (messages.length < count) messages.push(await socket.receive());
  return messages;
}

describe("weather server", () => {
  const sockets: (Subscriber | XSubscriber)[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  it('publishes one-frame "<zip> <temperature> <humidity>" updates with the Guide\'s weather', async () => {
    const server = startRole(runWeatherServer, quickServer);
    const [endpoint] = await server.ready;
    const everything = plainSubscriber(endpoint!, "");
    sockets.push(everything);
    for (const frames of await receiveMessages(everything, 200)) {
      expect(frames).toHaveLength(1);
      const update = parseWeatherUpdate(String(frames[0]));
      expect(update, String(frames[0])).toBeDefined();
      expect(update!.zip).toBeGreaterThanOrEqual(10000);
      expect(update!.zip).toBeLessThanOrEqual(10009);
      expect(update!.temperature).toBeGreaterThanOrEqual(-80);
      expect(update!.temperature).toBeLessThanOrEqual(134);
      expect(update!.humidity).toBeGreaterThanOrEqual(10);
      expect(update!.humidity).toBeLessThanOrEqual(59);
    }
    expect(await server.stop()).toBeGreaterThanOrEqual(200);
  });

  it("delivers to each subscriber only the updates that match its filter", async () => {
    const server = startRole(runWeatherServer, quickServer);
    const [endpoint] = await server.ready;
    const newYork = plainSubscriber(endpoint!, "10001 ");
    const other = plainSubscriber(endpoint!, "10007 ");
    sockets.push(newYork, other);
    const [newYorkUpdates, otherUpdates] = await Promise.all([
      receiveMessages(newYork, 50),
      receiveMessages(other, 50),
    ]);
    expect(newYorkUpdates.map(String).every((text) => text.startsWith("10001 "))).toBe(true);
    expect(otherUpdates.map(String).every((text) => text.startsWith("10007 "))).toBe(true);
    await server.stop();
  });

  it('matches a filter as a prefix: "1000" gets every zip code from 10000 to 10009', async () => {
    const server = startRole(runWeatherServer, quickServer);
    const [endpoint] = await server.ready;
    const prefix = plainSubscriber(endpoint!, "1000");
    sockets.push(prefix);
    const zips = new Set<string>();
    while (zips.size < 10) {
      const [frame] = await prefix.receive();
      zips.add(String(frame).slice(0, 5));
    }
    expect([...zips].sort()).toEqual([
      "10000",
      "10001",
      "10002",
      "10003",
      "10004",
      "10005",
      "10006",
      "10007",
      "10008",
      "10009",
    ]);
    await server.stop();
  });

  it("ignores what a peer sends it, drops a peer that sends too much, and keeps publishing", async () => {
    const server = startRole(runWeatherServer, quickServer);
    const [endpoint] = await server.ready;
    // An XSUB can send anything upstream; a PUB reads only subscriptions and ignores the rest.
    const rogue = new XSubscriber({ linger: 0 });
    sockets.push(rogue);
    const dropped = new Promise<void>((resolve) => rogue.events.on("disconnect", () => resolve()));
    rogue.connect(endpoint!);
    await rogue.send(Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    await rogue.send(["several", "frames", "of nonsense"]);
    await rogue.send(Buffer.alloc(MAX_INBOUND_BYTES + 1, 0xff));
    await dropped; // libzmq closed that connection; the server's code never saw the message

    const client = plainSubscriber(endpoint!, "10001 ");
    sockets.push(client);
    const [update] = await client.receive();
    expect(String(update)).toMatch(/^10001 -?\d+ \d+$/);
    expect(await server.stop()).toBeGreaterThan(0);
  });

  it("refuses a zip range that is not one, with a usage error", async () => {
    const result = await runRoleProcess("src/weather-server.ts", [
      ...["--bind", EPHEMERAL, "--zip-min", "10009", "--zip-max", "10000"],
    ]).exited;
    expect(result.stderr).toContain(
      "[weather-server] E: --zip-min 10009 --zip-max 10000 is not a range of zip codes within 0..99999",
    );
    expect(result.code).toBe(2);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`closes its socket and exits 0 on ${signal}`, async () => {
      const server = runRoleProcess("src/weather-server.ts", ["--bind", EPHEMERAL]);
      const [, endpoint] = await server.waitForLine(/bound to (tcp:\/\/\S+)/);
      const everything = plainSubscriber(endpoint!, "");
      sockets.push(everything);
      await everything.receive(); // it is publishing
      server.signal(signal);
      const result = await server.exited;
      expect(result.stdout).toContain(`[weather-server] ${signal} received, closing sockets`);
      expect(result.stdout).toMatch(/\[weather-server\] stopped after publishing \d+ updates/);
      expect(result.code).toBe(0);
    });
  }
});
