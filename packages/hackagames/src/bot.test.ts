import { EPHEMERAL, runRoleProcess, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { Request } from "zeromq";
import { botDefaults, runBot } from "./bot.ts";
import { gameServerDefaults, runGameServer } from "./game-server.ts";

describe("bot", () => {
  it("hears nop and leaves when every seat is taken", async () => {
    const server = startRole(runGameServer, {
      ...gameServerDefaults,
      bind: [EPHEMERAL],
      publish: [],
      game: "421-solo",
      sessions: 1,
      games: 1,
      stopWaitMs: 0, // the seated peer has gone by the stop: nobody to wait for
    });
    const [endpoint] = await server.ready;
    const seated = new Request({ linger: 0 });
    seated.connect(endpoint!);
    await seated.send("player");
    expect(String((await seated.receive())[0])).toBe("yes"); // the only seat is taken

    expect(await runBot({ ...botDefaults, connect: [endpoint!] })).toEqual({
      results: [],
      ended: "nop",
    });
    seated.close();
    await server.stop();
  });

  it("refuses a strategy it does not know", async () => {
    await expect(runBot({ ...botDefaults, strategy: "genius" })).rejects.toThrow(
      'no strategy "genius"; choose one of: random, heuristic',
    );
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal} while waiting for a game that is not there`, async () => {
      const bot = runRoleProcess("src/bot.ts", ["--connect", "tcp://127.0.0.1:1"]);
      await bot.waitForLine(/connecting to/);
      bot.signal(signal);
      const result = await bot.exited;
      expect(result.stdout).toContain("[bot] stopped");
      expect(result.code).toBe(0);
    });
  }
});
