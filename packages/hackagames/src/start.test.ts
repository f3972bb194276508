import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter hackagames start <scenario>`, each role in its own process.
// --free-ports swaps the HackaGames ports (1400, 1401) for free ones.
describe("pnpm --filter hackagames start", () => {
  it("connect4 (the default): two bots play two games, the spectator draws them, all end cleanly", async () => {
    const result = await runRoleProcess("src/start.ts", ["--free-ports"]).exited;
    expect(result.stdout).toMatch(
      /\[game\] game 1 move 1: seat 1 \(player 1\) drops a disc in column [A-G]/,
    );
    expect(result.stdout).toMatch(
      /\[game\] game 2 over: seat 1 \(player 2\) -?\d, seat 2 \(player 1\) -?\d/,
    );
    expect(result.stdout).toMatch(/\[game\] session 1 over: player 1 -?\d, player 2 -?\d/);
    expect(result.stdout).toContain("[spectator]     A B C D E F G");
    expect(result.stdout).toContain("[spectator]    └─────────────┘");
    expect(result.stdout).toMatch(/\[heuristic\] session over: results -?\d -?\d/);
    expect(result.stdout).toContain("[start] every role ended cleanly");
    expect(result.code).toBe(0);
  });

  it("421-duo: three games of 421 for two", async () => {
    const result = await runRoleProcess("src/start.ts", ["421-duo", "--free-ports"]).exited;
    expect(result.stdout).toMatch(/\[spectator\] game 1 move 1: seat 1 \(player 1\) \w+-\w+-\w+\n/);
    expect(result.stdout).toMatch(/\[spectator\] {4}│ \d │ │ \d │ │ \d │ {2}\d+ points\n/);
    expect(result.stdout).toMatch(/\[spectator\] {4}opponent: \d \d \d \(\d+ points\)\n/);
    expect(result.stdout).toMatch(/\[game\] session 1 over: player 1 -?\d, player 2 -?\d/);
    expect(result.code).toBe(0);
  });

  it("421-solo: one bot, three games, its points", async () => {
    const result = await runRoleProcess("src/start.ts", ["421-solo", "--free-ports"]).exited;
    expect(result.stdout).toMatch(/\[heuristic\] session over: results \d+ \d+ \d+/);
    expect(result.code).toBe(0);
  });

  it("hub: three tables behind one hub; the killed table's bots are told, the others finish", async () => {
    const result = await runRoleProcess("src/start.ts", ["hub", "--free-ports"]).exited;
    expect(result.stdout).toContain("[start] killing c4-b now (SIGKILL)");
    expect(result.stdout).toMatch(
      /\[hub\] W: table c4-b \(connect4\) lost \((silent for \d+ ms|unreachable)\): 2 player/,
    );
    for (const victim of ["bot-3", "bot-4"]) {
      expect(result.stdout).toMatch(
        new RegExp(`\\[${victim}\\] session over \\(error table lost: c4-b: `),
      );
    }
    for (const survivor of ["bot-1", "bot-2", "bot-5", "bot-6"]) {
      expect(result.stdout).toMatch(
        new RegExp(`\\[${survivor}\\] session over: results -?\\d -?\\d -?\\d\\n`),
      );
    }
    expect(result.stdout).toContain("[start] every role ended cleanly");
    expect(result.code).toBe(0);
  });

  it("seed: the ROUTER answers alice, bob and carol by name", async () => {
    const result = await runRoleProcess("src/start.ts", ["seed", "--free-ports"]).exited;
    for (const name of ["alice", "bob", "carol"]) {
      expect(result.stdout).toMatch(
        new RegExp(`\\[${name}\\] received "hello ${name}, you are \\d of 3"`),
      );
    }
    expect(result.stdout).toContain("[seed-router] stopped after 1 round(s)");
    expect(result.code).toBe(0);
  });

  it("refuses an unknown scenario and names the real ones", async () => {
    const result = await runRoleProcess("src/start.ts", ["nonsense"]).exited;
    expect(result.stderr).toContain(
      'no scenario "nonsense"; choose one of: connect4, 421-duo, 421-solo, hub, seed',
    );
    expect(result.code).toBe(2);
  });
});
