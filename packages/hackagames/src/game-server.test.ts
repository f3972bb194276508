import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { botDefaults, runBot } from "./bot.ts";
import { gameServerDefaults, runGameServer } from "./game-server.ts";

const quickServer = {
  ...gameServerDefaults,
  bind: [EPHEMERAL],
  publish: [EPHEMERAL],
  sessions: 1,
  moveTimeoutMs: 5000,
  seed: 42,
};

describe("game server: whole sessions between bots", () => {
  it("connect4: heuristic vs random, 3 games, seats rotate, scores add up", async () => {
    const server = startRole(runGameServer, { ...quickServer, game: "connect4", games: 3 });
    const [endpoint] = await server.ready;
    const bots = [
      runBot({ ...botDefaults, connect: [endpoint!], strategy: "heuristic", seed: 1, name: "heuristic" }),
      runBot({ ...botDefaults, connect: [endpoint!], strategy: "random", seed: 2, name: "random" }),
    ];
    const summaries = await Promise.all(bots);
    const [report] = await server.done;
    expect(report!.games).toHaveLength(3);
    console.log(JSON.stringify(report), JSON.stringify(summaries));
  });
});
