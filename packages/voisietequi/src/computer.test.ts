import { EPHEMERAL, runRoleProcess, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Pull, XPublisher } from "zeromq";
import { computerDefaults, runComputer } from "./computer.ts";
import { COMMAND_TOPIC, CONFIGURE, MAX_MESSAGE_BYTES, reachableEndpoint } from "./protocol.ts";

/** A stand-in for the command server: an XPUB (it sees subscriptions) and the answers PULL. */
async function fakeServer() {
  // allSubs: a computer that reconnects shows its new subscription even while the old one lingers.
  const commands = new XPublisher({ linger: 0, verbosity: "allSubs" });
  const answers = new Pull({ linger: 0 });
  const saver = new Pull({ linger: 0 });
  await commands.bind(EPHEMERAL);
  await answers.bind(EPHEMERAL);
  await saver.bind(EPHEMERAL);
  const port = (socket: Pull) => socket.lastEndpoint!.split(":").at(-1);
  // Advertised the way a server bound to tcp://*:port sees itself: the computer fills in the host.
  const answerAt = `tcp://0.0.0.0:${port(answers)}`;
  return {
    commandEndpoint: commands.lastEndpoint!,
    answerAt,
    saverAt: `tcp://*:${port(saver)}`,
    /** Resolves once a computer's SUB has subscribed: from then on nothing published is lost. */
    async subscribed(): Promise<string> {
      const [subscription] = await commands.receive();
      return subscription!.toString();
    },
    publish: (...frames: string[]) => commands.send(frames),
    /** Publishes `configure` with this command id, to be answered at this server. */
    configure: (id: string, config: string) =>
      commands.send([COMMAND_TOPIC, CONFIGURE, id, answerAt, config]),
    async answer(): Promise<string[]> {
      return (await answers.receive()).map(String);
    },
    async result(): Promise<string[]> {
      return (await saver.receive()).map(String);
    },
    close() {
      for (const socket of [commands, answers, saver]) socket.close();
    },
  };
}

type FakeServer = Awaited<ReturnType<typeof fakeServer>>;

/** computer-1 on the fake server; by default it answers commands and computes nothing here. */
const startComputer = (server: FakeServer, knobs: Partial<typeof computerDefaults> = {}) =>
  startRole(runComputer, {
    ...computerDefaults,
    connect: [server.commandEndpoint],
    name: "computer-1",
    workMs: 60_000,
    ...knobs,
  });

const configuration = (saver: string, power = 2) => JSON.stringify({ saver, power });

describe("computer", () => {
  afterEach(() => vi.restoreAllMocks());

  it("subscribes to commands, answers each new command once though the server repeats it", async () => {
    const server = await fakeServer();
    const computer = startComputer(server);
    expect(await server.subscribed()).toBe(`\x01${COMMAND_TOPIC}`);
    const command = (id: string) => server.configure(id, configuration(server.saverAt));
    for (const id of ["1", "1", "1", "2", "2"]) await command(id);
    expect(await server.answer()).toEqual(["computer-1", "1", "ok"]);
    expect(await server.answer()).toEqual(["computer-1", "2", "ok"]); // not a second "1"
    await computer.stop();
    server.close();
  });

  it("refuses a configuration it cannot use with an error answer, and takes the next good one", async () => {
    const log = watchLog();
    const server = await fakeServer();
    const computer = startComputer(server);
    await server.subscribed();
    await server.configure("1", "{not json");
    await server.configure("2", configuration(server.saverAt, 99));
    await server.configure("3", JSON.stringify({ power: 2 }));
    await server.configure("4", configuration(server.saverAt));
    expect(await server.answer()).toEqual([
      "computer-1",
      "1",
      'error: configuration is not JSON: "{not json"',
    ]);
    expect((await server.answer()).slice(1)).toEqual([
      "2",
      'error: configuration power must be an integer from 1 to 10: {"saver":"' +
        server.saverAt +
        '","power":99}',
    ]);
    expect((await server.answer()).slice(1)).toEqual([
      "3",
      'error: configuration has no saver endpoint: {"power":2}',
    ]);
    expect(await server.answer()).toEqual(["computer-1", "4", "ok"]);
    expect(
      log.lines.filter((line) => line.includes("[computer-1] W: refusing command")),
    ).toHaveLength(3);
    await computer.stop();
    server.close();
  });

  it("logs W: for an unknown or malformed command and keeps listening", async () => {
    const log = watchLog();
    const server = await fakeServer();
    const computer = startComputer(server);
    await server.subscribed();
    await server.publish(COMMAND_TOPIC, "reboot", "1", server.answerAt, "{}");
    await server.publish(COMMAND_TOPIC);
    await server.configure("first", "{}");
    await server.publish(COMMAND_TOPIC, CONFIGURE, "1", "not an endpoint", "{}");
    await server.publish(COMMAND_TOPIC, CONFIGURE, "1", server.answerAt, "{}", "extra");
    await server.configure("2", configuration(server.saverAt));
    expect(await server.answer()).toEqual(["computer-1", "2", "ok"]);
    const warnings = log.lines.filter((line) => line.startsWith("[computer-1] W:"));
    expect(warnings).toEqual([
      '[computer-1] W: unknown command "reboot"; ignoring it',
      "[computer-1] W: unknown command (none); ignoring it",
      '[computer-1] W: bad configure command: command id "first" is not a number; ignoring it',
      '[computer-1] W: bad configure command: answer endpoint "not an endpoint" is not one; ignoring it',
      "[computer-1] W: bad configure command: expected 5 frames (topic, name, id, answer endpoint, configuration), got 6; ignoring it",
    ]);
    await computer.stop();
    server.close();
  });

  it("never sees a command frame over the limit, reconnects, and takes the next command", async () => {
    const log = watchLog();
    const server = await fakeServer();
    const computer = startComputer(server);
    expect(await server.subscribed()).toBe(`\x01${COMMAND_TOPIC}`);
    // Five frames, the last one byte over the limit: were it read, it would be answered
    // "error: configuration is not JSON".
    await server.configure("1", "x".repeat(MAX_MESSAGE_BYTES + 1));
    // libzmq cut the connection before the computer's code saw the command; the computer connects
    // again and subscribes again (the old subscription's "\x00cmd" may come before or not at all).
    await log.waitFor(/\[computer-1\] W: lost the server at tcp:\/\/\S+ .*; reconnecting/);
    while ((await server.subscribed()) !== `\x01${COMMAND_TOPIC}`);
    await server.configure("2", configuration(server.saverAt));
    expect(await server.answer()).toEqual(["computer-1", "2", "ok"]); // nothing for command 1
    await computer.stop();
    server.close();
  });

  it("pushes numbered results, computed as configured, to the saver the command names", async () => {
    const server = await fakeServer();
    const computer = startComputer(server, { workMs: 1, results: 3 });
    await server.subscribed();
    await server.configure("7", configuration(server.saverAt, 3));
    const results = [await server.result(), await server.result(), await server.result()];
    expect(results).toEqual(
      [1, 2, 3].map((n) => [
        "computer-1",
        String(n),
        JSON.stringify({ command: 7, input: n, output: n ** 3 }),
      ]),
    );
    expect(await computer.stop()).toBe(3);
    server.close();
  });

  it("fills in the server's host where an advertised endpoint has a wildcard", () => {
    const via = "tcp://192.168.1.10:5556";
    expect(reachableEndpoint("tcp://*:5557", via)).toBe("tcp://192.168.1.10:5557");
    expect(reachableEndpoint("tcp://0.0.0.0:5558", via)).toBe("tcp://192.168.1.10:5558");
    expect(reachableEndpoint("tcp://[::]:5558", "tcp://[::1]:5556")).toBe("tcp://[::1]:5558");
    expect(reachableEndpoint("tcp://saver.example:5558", via)).toBe("tcp://saver.example:5558");
    expect(reachableEndpoint("ipc:///tmp/saver", via)).toBe("ipc:///tmp/saver");
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal} while no server is there`, async () => {
      const computer = runRoleProcess("src/computer.ts", [
        ...["--connect", "tcp://127.0.0.1:9", "--name", "computer-1"],
      ]);
      await computer.waitForLine(/waiting for commands/);
      computer.signal(signal);
      const result = await computer.exited;
      expect(result.stdout).toContain(`[computer-1] ${signal} received, closing sockets`);
      expect(result.stdout).toContain("[computer-1] stopped after pushing 0 results");
      expect(result.code).toBe(0);
    });
  }
});
