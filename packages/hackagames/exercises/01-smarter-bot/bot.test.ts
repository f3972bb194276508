import { exerciseModule, exerciseSubject, roleLog } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { botDefaults, runBot } from "#src/bot.ts";
import { playInArena } from "#src/bots/arena.ts";
import { randomConnect4 } from "#src/bots/connect4.ts";
import { gameServerDefaults, runGameServer } from "#src/game-server.ts";
import { connect4 } from "#src/games/connect4.ts";
import { seededRandom } from "#src/games/rules.ts";
import { runPlayer } from "#src/player.ts";

const { smarterConnect4 }: typeof import("./solution/bot.ts") = await import(
  exerciseModule(import.meta.url, "bot.ts")
);

describe(`exercise 01, a Connect 4 bot that beats random (${exerciseSubject()})`, () => {
  it("wins clearly over 40 games against the random bot (no sockets)", () => {
    const [mine, theirs] = playInArena(connect4, [smarterConnect4, randomConnect4], 40, 11);
    expect(mine).toBeGreaterThanOrEqual(30);
    expect(mine! + theirs!).toBe(0);
  });

  it("wins a real session over ZeroMQ against the random bot", async () => {
    const server = startRole(runGameServer, {
      ...gameServerDefaults,
      bind: [EPHEMERAL],
      publish: [],
      game: "connect4",
      games: 4,
      sessions: 1,
      seed: 3,
    });
    try {
      const [endpoint] = await server.ready;
      const random = seededRandom(5);
      const [mine] = await Promise.all([
        runPlayer({ connect: [endpoint!], bind: [] }, roleLog("smarter"), (turn) =>
          smarterConnect4(turn.state, turn.seat, random),
        ),
        runBot({ ...botDefaults, connect: [endpoint!], strategy: "random", seed: 9 }),
      ]);
      expect(mine.ended).toBe("stop");
      expect(mine.results.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
});
