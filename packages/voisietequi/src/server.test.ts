import { EPHEMERAL, runRoleProcess, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Push } from "zeromq";
import { computerDefaults, runComputer } from "./computer.ts";
import { MAX_MESSAGE_BYTES } from "./protocol.ts";
import { type RoundReport, runServer, serverDefaults } from "./server.ts";
import { events } from "./test-support.ts";

// Fast rounds; nothing listens at the saver's address: these tests are about commands.
const quickServer = {
  ...serverDefaults,
  bind: [EPHEMERAL],
  answers: EPHEMERAL,
  saver: "tcp://127.0.0.1:9",
  everyMs: 300,
  quietMs: 300,
  repeatMs: 50,
};
const idleComputer = { ...computerDefaults, workMs: 60_000 }; // answers commands, computes nothing here

function startServer(options: Partial<typeof quickServer> = {}) {
  const rounds = events<RoundReport>();
  const server = startRole(runServer, { ...quickServer, ...options, onRound: rounds.push });
  return { server, rounds };
}

function startComputer(name: string, commandEndpoint: string) {
  return startRole(runComputer, { ...idleComputer, connect: [commandEndpoint], name });
}

describe("command server", () => {
  afterEach(() => vi.restoreAllMocks());

  it("gets an answer to its configure command from every running computer", async () => {
    const { server, rounds } = startServer();
    const [commandEndpoint] = await server.ready;
    const names = ["computer-a", "computer-b", "computer-c"];
    const computers = names.map((name) => startComputer(name, commandEndpoint!));
    const round = await rounds.waitFor((report) => report.answered.length === 3);
    expect([...round.answered].sort()).toEqual(names);
    expect(round.refused).toEqual([]);
    for (const computer of computers) await computer.stop();
    await server.stop();
  });

  it("configures a computer started after a command with the next command", async () => {
    const log = watchLog();
    const { server, rounds } = startServer();
    const [commandEndpoint] = await server.ready;
    const early = [
      startComputer("early-1", commandEndpoint!),
      startComputer("early-2", commandEndpoint!),
    ];
    const before = await rounds.waitFor((report) => report.answered.length === 2);

    const late = startComputer("late", commandEndpoint!); // the command of round `before` is over
    const joined = await rounds.waitFor((report) => report.answered.includes("late"));
    expect(joined.command).toBeGreaterThan(before.command);
    const { match } = await log.waitFor(/\[late\] configured by command (\d+)/);
    expect(Number(match[1])).toBeGreaterThan(before.command);

    for (const computer of [...early, late]) await computer.stop();
    await server.stop();
  });

  it("repeats an open round's command, so a computer that subscribed after it was sent gets it", async () => {
    const log = watchLog();
    // One long round: nobody is known, so it stays open for the whole (long) quiet period.
    const { server } = startServer({ quietMs: 60_000, everyMs: 60_000 });
    const [commandEndpoint] = await server.ready;
    await log.waitFor(/\[server\] command 1: configure/); // sent to nobody: a PUB drops it
    const computer = startComputer("joiner", commandEndpoint!);
    await log.waitFor(/\[joiner\] configured by command 1 /); // only a repeat can have brought it
    await log.waitFor(/\[server\] joiner answered "ok" to command 1/);
    await computer.stop();
    await server.stop();
  });

  it("closes a round as soon as every known computer answered, and forgets one that stops answering", async () => {
    // A quiet period long enough that no answer misses it on a busy machine: only the round in
    // which "leaves" is gone waits it out.
    const { server, rounds } = startServer({ quietMs: 2000 });
    const [commandEndpoint] = await server.ready;
    const stays = startComputer("stays", commandEndpoint!);
    const leaves = startComputer("leaves", commandEndpoint!);
    const both = await rounds.waitFor((report) => report.answered.length === 2);
    const next = await rounds.waitFor((report) => report.command === both.command + 1);
    expect(next.closedBy).toBe("all answered"); // both known, both answered: no quiet period

    await leaves.stop();
    const gone = await rounds.waitFor((report) => report.missing.includes("leaves"));
    expect(gone.closedBy).toBe("quiet period");
    expect(gone.answered).toEqual(["stays"]);
    const after = await rounds.waitFor((report) => report.command === gone.command + 1);
    expect(after).toMatchObject({ answered: ["stays"], missing: [], closedBy: "all answered" });

    await stays.stop();
    await server.stop();
  });

  it("stops by itself after --rounds and returns every round's report", async () => {
    const { server } = startServer({ rounds: 2, quietMs: 50 });
    const reports = await server.done;
    expect(reports.map((report) => report.command)).toEqual([1, 2]);
  });

  describe("bad answers get a W: line and the server keeps collecting", () => {
    const cases: [string, (string | Buffer)[], RegExp][] = [
      ["garbage bytes", [Buffer.from([0xff, 0x00, 0xfe])], /expected 3 frames .*, got 1/],
      ["a frame too many", ["computer-x", "1", "ok", "extra"], /expected 3 frames .*, got 4/],
      ["an empty computer id", ["", "1", "ok"], /computer id "" is not 1-64 of/],
      ["a computer id with spaces", ["rm -rf", "1", "ok"], /computer id "rm -rf" is not/],
      [
        "a command id that is not a number",
        ["computer-x", "one", "ok"],
        /command id "one" is not a number/,
      ],
      [
        "an answer to a command never sent",
        ["computer-x", "999", "ok"],
        /command 999, which was never sent/,
      ],
      [
        "an unknown status",
        ["computer-x", "1", "maybe"],
        /status "maybe" is neither "ok" nor "error: \.\.\."/,
      ],
    ];
    for (const [what, frames, problem] of cases) {
      it(what, async () => {
        const log = watchLog();
        const { server, rounds } = startServer();
        const [commandEndpoint, answerEndpoint] = await server.ready;
        const rogue = new Push({ linger: 0 });
        rogue.connect(answerEndpoint!);
        await rogue.send(frames);
        const { match } = await log.waitFor(/\[server\] W: bad answer: (.*)/);
        expect(match[1]).toMatch(problem);
        rogue.close();

        const computer = startComputer("computer-ok", commandEndpoint!);
        const round = await rounds.waitFor((report) => report.answered.includes("computer-ok"));
        expect(round.answered).toEqual(["computer-ok"]); // the rogue never became a known computer
        await computer.stop();
        await server.stop();
      });
    }

    it("a frame over the hard limit: libzmq drops that peer, the others are still heard", async () => {
      const { server, rounds } = startServer();
      const [commandEndpoint, answerEndpoint] = await server.ready;
      const flooder = new Push({ linger: 0 });
      const dropped = new Promise<void>((resolve) =>
        flooder.events.on("disconnect", () => resolve()),
      );
      flooder.connect(answerEndpoint!);
      await flooder.send(["computer-x", "1", Buffer.alloc(MAX_MESSAGE_BYTES + 1)]);
      await dropped;
      flooder.close();

      const computer = startComputer("computer-ok", commandEndpoint!);
      await rounds.waitFor((report) => report.answered.includes("computer-ok"));
      await computer.stop();
      await server.stop();
    });
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`closes its sockets and exits 0 on ${signal}`, async () => {
      const server = runRoleProcess("src/server.ts", [
        ...["--bind", EPHEMERAL, "--answers", EPHEMERAL],
        ...["--quiet-ms", "100", "--every-ms", "60000"],
      ]);
      await server.waitForLine(/round 1 closed \(quiet period\): answered by nobody/);
      server.signal(signal);
      const result = await server.exited;
      expect(result.stdout).toContain(`[server] ${signal} received, closing sockets`);
      expect(result.stdout).toContain("[server] stopped after 1 rounds");
      expect(result.code).toBe(0);
    });
  }
});
