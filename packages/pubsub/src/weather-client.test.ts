import { EPHEMERAL, runRoleProcess, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { XPublisher } from "zeromq";
import { SUBSCRIBE } from "./protocol.ts";
import { runWeatherClient, weatherClientDefaults } from "./weather-client.ts";
import { runWeatherServer, weatherServerDefaults } from "./weather-server.ts";

/**
 * A publisher the test drives by hand. It is an XPUB, so the test can wait for the client's
 * subscription to arrive before publishing: nothing is lost to the slow joiner, no sleeps.
 */
async function handPublisher(): Promise<XPublisher> {
  const socket = new XPublisher({ linger: 0 });
  await socket.bind(EPHEMERAL);
  return socket;
}

async function nextSubscription(publisher: XPublisher): Promise<string> {
  const [message] = await publisher.receive();
  expect(message?.[0]).toBe(SUBSCRIBE);
  return message!.subarray(1).toString();
}

describe("weather client", () => {
  const publishers: XPublisher[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const socket of publishers.splice(0)) socket.close();
  });

  it("subscribes to its zip code and averages the temperatures of N updates", async () => {
    const publisher = await handPublisher();
    publishers.push(publisher);
    const client = startRole(runWeatherClient, {
      ...weatherClientDefaults,
      connect: [publisher.lastEndpoint!],
      updates: 3,
    });
    expect(await nextSubscription(publisher)).toBe("10001 "); // the Guide's default filter
    for (const update of ["10002 99 50", "10001 10 50", "100010 99 50", "10001 20 40"]) {
      await publisher.send(update);
    }
    await publisher.send("10001 60 30");
    const report = await client.done;
    // "10002 ..." never reached the client: the publisher filtered it out.
    expect(report.updates).toEqual(["10001 10 50", "10001 20 40", "10001 60 30"]);
    expect(report.averageTemperature).toBe(30);
  });

  it("skips a message that is not a weather update, with a warning, and keeps counting", async () => {
    const log = vi.spyOn(console, "log");
    const publisher = await handPublisher();
    publishers.push(publisher);
    const client = startRole(runWeatherClient, {
      ...weatherClientDefaults,
      connect: [publisher.lastEndpoint!],
      updates: 2,
    });
    await nextSubscription(publisher);
    await publisher.send("10001 hot humid");
    await publisher.send(["10001 1 2", "an extra frame"]);
    await publisher.send("10001 -10 50");
    await publisher.send("10001 30 50");
    const report = await client.done;
    expect(report.updates).toEqual(["10001 -10 50", "10001 30 50"]);
    expect(report.averageTemperature).toBe(10);
    const output = log.mock.calls.flat().join("\n");
    expect(output).toContain(
      '[weather-client] W: not a weather update, skipped: "10001 hot humid"',
    );
    expect(output).toContain(
      '[weather-client] W: not a weather update, skipped: "10001 1 2" "an extra frame"',
    );
  });

  it("gets only its own zip code from the real weather server", async () => {
    const server = startRole(runWeatherServer, {
      ...weatherServerDefaults,
      bind: [EPHEMERAL],
      zipMin: 10000,
      zipMax: 10009,
    });
    const [endpoint] = await server.ready;
    const report = await runWeatherClient({
      ...weatherClientDefaults,
      connect: [endpoint!],
      filter: "10007 ",
      updates: 20,
    });
    expect(report.updates).toHaveLength(20);
    expect(report.updates.every((update) => update.startsWith("10007 "))).toBe(true);
    expect(report.averageTemperature).toBeGreaterThanOrEqual(-80);
    expect(report.averageTemperature).toBeLessThanOrEqual(134);
    await server.stop();
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal} while waiting for updates that never come`, async () => {
      const client = runRoleProcess("src/weather-client.ts", ["--bind", EPHEMERAL]);
      await client.waitForLine(/collecting 100 updates/);
      client.signal(signal);
      const result = await client.exited;
      expect(result.stdout).toContain(
        '[weather-client] stopped after 0 of 100 updates for "10001"',
      );
      expect(result.code).toBe(0);
    });
  }
});
