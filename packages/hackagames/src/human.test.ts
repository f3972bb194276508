import { PassThrough } from "node:stream";
import { EPHEMERAL, runRoleProcess, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { botDefaults, runBot } from "./bot.ts";
import { gameServerDefaults, runGameServer } from "./game-server.ts";
import { humanDefaults, runHuman } from "./human.ts";

const quickServer = {
  ...gameServerDefaults,
  bind: [EPHEMERAL],
  publish: [],
  sessions: 1,
  games: 1,
  seed: 7,
};

/** A terminal whose keyboard is the lines given, typed ahead, and whose screen we can read. */
function terminal(lines: string[], close = true) {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = "";
  output.on("data", (chunk: Buffer) => {
    screen += chunk.toString();
  });
  input.write(lines.map((line) => `${line}\n`).join(""));
  if (close) input.end();
  return { terminal: { input, output }, screen: () => screen };
}

describe("human player in the terminal", () => {
  it("shows the dice, explains an illegal move, and plays 421 from typed lines", async () => {
    const server = startRole(runGameServer, { ...quickServer, game: "421-solo" });
    const [endpoint] = await server.ready;
    const keyboard = terminal(["keep roll", "kkk"], false);
    const summary = await runHuman({ ...humanDefaults, connect: [endpoint!] }, keyboard.terminal);
    const [report] = await server.done;
    expect(summary).toEqual({ results: report!.games.map((g) => g.scores[0]), ended: "stop" });
    expect(keyboard.screen()).toContain("--- your turn: player 1 of 1 at 421-Solo ---");
    expect(keyboard.screen()).toMatch(
      / │ \d │ │ \d │ │ \d │ {2}\d+ points\n └───┘ └───┘ └───┘ {2}2 rolls left\n/,
    );
    expect(keyboard.screen()).toMatch(
      /--- game over at 421-Solo: \d+ points \(result \d+\) ---\n ┌───┐/,
    );
    expect(keyboard.screen()).toContain(
      "illegal move: type keep or roll for each of the three dice, e.g. `keep keep roll` (or `kkr`)",
    );
    expect(report!.games[0]!.moves).toEqual([{ seat: 1, action: "keep-keep-keep" }]);
  });

  it("draws the Connect 4 grid and refuses a column that does not exist", async () => {
    const server = startRole(runGameServer, { ...quickServer, game: "connect4" });
    const [endpoint] = await server.ready;
    const keyboard = terminal(
      ["9", ...Array.from({ length: 60 }, (_, i) => "abcdefg"[i % 7]!)],
      false,
    );
    const human = runHuman({ ...humanDefaults, connect: [endpoint!] }, keyboard.terminal);
    const opponent = runBot({ ...botDefaults, connect: [endpoint!], name: "bot" });
    const [summary] = await Promise.all([human, opponent]);
    expect(summary.ended).toBe("stop");
    expect(summary.results).toHaveLength(1);
    expect(keyboard.screen()).toContain("  A B C D E F G\n │· · · · · · ·│\n");
    expect(keyboard.screen()).toContain("you play O"); // player 1, as HackaGames marks it
    expect(keyboard.screen()).toContain(
      'illegal move: "9" is not a column: send a column letter from A to G',
    );
    expect(keyboard.screen()).toMatch(/--- game over at Connect4: (you win|you lose|a draw) /);
    await server.done;
  });

  it("leaves when the keyboard closes; the game finds it gone at its deadline", async () => {
    const server = startRole(runGameServer, {
      ...quickServer,
      game: "421-solo",
      moveTimeoutMs: 2000, // long enough for a busy machine; the closed keyboard never answers
      maxMissed: 1,
    });
    const [endpoint] = await server.ready;
    const keyboard = terminal(["maybe"]); // one useless line, then the end of input
    const summary = await runHuman({ ...humanDefaults, connect: [endpoint!] }, keyboard.terminal);
    expect(summary).toEqual({ results: [], ended: "stopped" });
    const [report] = await server.done;
    expect(report!.games[0]!.forfeit).toEqual({ seat: 1, reason: "missed 1 deadline in a row" });
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal} while waiting for a game`, async () => {
      const human = runRoleProcess("src/human.ts", ["--connect", "tcp://127.0.0.1:1"]);
      await human.waitForLine(/connecting to/);
      human.signal(signal);
      const result = await human.exited;
      expect(result.stdout).toContain(`[human] ${signal} received, closing sockets`);
      expect(result.code).toBe(0);
    });
  }
});
