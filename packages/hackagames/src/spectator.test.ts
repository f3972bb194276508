import { EPHEMERAL, runRoleProcess, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { botDefaults, runBot } from "./bot.ts";
import { gameServerDefaults, runGameServer } from "./game-server.ts";
import { runSpectator, spectatorDefaults } from "./spectator.ts";

describe("spectator", () => {
  it("sees every move and score, in order, from the first move on", async () => {
    // The server waits for one subscription before the first game: no move is published
    // before the spectator listens (the slow-joiner problem).
    const server = startRole(runGameServer, {
      ...gameServerDefaults,
      bind: [EPHEMERAL],
      publish: [EPHEMERAL],
      game: "connect4",
      games: 2,
      sessions: 1,
      waitSpectators: 1,
    });
    const [gameEndpoint, spectatorEndpoint] = await server.ready;
    const spectator = runSpectator({
      ...spectatorDefaults,
      connect: [spectatorEndpoint!],
      sessions: 1,
    });
    await Promise.all(
      ["heuristic", "random"].map((strategy) =>
        runBot({ ...botDefaults, connect: [gameEndpoint!], strategy, name: strategy }),
      ),
    );
    const [report] = await server.done;
    const seen = await spectator;

    const expected = report!.games.flatMap((game) => [
      `game ${game.game} begins`,
      ...game.moves.map(
        (move, i) =>
          `game ${game.game} move ${i + 1}: seat ${move.seat} (player ${game.seats[move.seat - 1]}) drops a disc in column ${move.action}`,
      ),
      `game ${game.game} ends: ${game.scores.map((score, i) => `seat ${i + 1} (player ${game.seats[i]}) ${score}`).join(", ")}`,
    ]);
    const relevant = seen.filter((line) => line.startsWith("game "));
    expect(relevant.map((line) => line.replace(/ begins: .*/, " begins"))).toEqual(expected);
    expect(seen[0]).toBe("session 1 begins: connect4, 2 player(s), 2 game(s)");
    expect(seen.at(-1)).toMatch(/^session 1 ends: player 1 -?\d, player 2 -?\d$/);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal} while no game is on`, async () => {
      const spectator = runRoleProcess("src/spectator.ts", ["--connect", "tcp://127.0.0.1:1"]);
      await spectator.waitForLine(/connecting to/);
      spectator.signal(signal);
      const result = await spectator.exited;
      expect(result.stdout).toContain(`[spectator] ${signal} received, closing sockets`);
      expect(result.code).toBe(0);
    });
  }
});
