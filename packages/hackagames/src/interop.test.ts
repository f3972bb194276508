import { spawn, spawnSync } from "node:child_process";
import { atProcessEnd } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { tictactoe } from "../exercises/02-add-a-game/solution/tictactoe.ts";
import { botDefaults, runBot } from "./bot.ts";
import { gameServerDefaults, runGameServer, type SessionReport } from "./game-server.ts";
import { runSpectator, spectatorDefaults } from "./spectator.ts";

// Interoperability with another ZeroMQ implementation: a HackaGames 0.5 player written in Python
// with pyzmq (its own libzmq build), from the protocol alone (interop/hackagames_player.py). It
// reads the views the way HackaGames' own first bots do. CI installs pyzmq (Debian's
// python3-zmq); on a machine without it these tests are skipped and say so.
const python = ["python3", "/usr/bin/python3"].find(
  (candidate) => spawnSync(candidate, ["-c", "import zmq"], { stdio: "ignore" }).status === 0,
);
const interop = (name: string) => `${name} (needs python3 with pyzmq: apt install python3-zmq)`;

/** Runs the Python player to the end of its session; resolves with its output and exit code. */
function pythonPlayer(
  endpoint: string,
  seed: number,
): Promise<{ code: number | null; out: string }> {
  const child = spawn(
    python!,
    ["interop/hackagames_player.py", "--connect", endpoint, "--seed", String(seed)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const forget = atProcessEnd(() => child.kill("SIGKILL")); // no peer outlives the test run
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve) =>
    child.on("close", (code) => {
      forget();
      resolve({ code, out });
    }),
  );
}

/** The results a player printed ("results 1 -1"), as numbers. */
const resultsOf = (out: string) =>
  /^results (.*)$/m.exec(out)![1]!.split(" ").filter(Boolean).map(Number);

/** The scores of the player who joined `number`-th, game by game. */
const scoresOf = (report: SessionReport, number: number) =>
  report.games.map((game) => game.scores[game.seats.indexOf(number)]);

const quickServer = { ...gameServerDefaults, bind: [EPHEMERAL], publish: [], sessions: 1, seed: 4 };

describe.skipIf(!python)(interop("a HackaGames player in Python (pyzmq) on our games"), () => {
  it("Connect 4: it reads our columns, answers letters, and plays two games against our bot", async () => {
    const server = startRole(runGameServer, { ...quickServer, game: "connect4", games: 2 });
    const [endpoint] = await server.ready;
    const player = pythonPlayer(endpoint!, 1);
    const ours = runBot({ ...botDefaults, connect: [endpoint!], strategy: "heuristic" });
    const [{ code, out }, summary] = await Promise.all([player, ours]);
    const [report] = await server.done;
    expect(code, out).toBe(0);
    for (const game of report!.games) {
      expect(game.forfeit).toBeUndefined(); // none of its actions was refused
      expect(game.moves.every((move) => /^[A-G]$/.test(move.action))).toBe(true);
    }
    expect(summary.results).toHaveLength(2); // our bot played both games
    // Which of the two joined first is a race: match the Python results to a player number.
    const first = scoresOf(report!, 1);
    const theirs = resultsOf(out);
    expect([first, scoresOf(report!, 2)]).toContainEqual(theirs);
  });

  it("Tic-tac-toe (exercise 02's reference): two Python players, as HackaGames' bot reads it", async () => {
    const server = startRole(
      (options: typeof gameServerDefaults) => runGameServer(options, tictactoe),
      { ...quickServer, games: 3, publish: [EPHEMERAL], waitSpectators: 1 },
    );
    const [endpoint, spectatorEndpoint] = await server.ready;
    // The spectator draws each move's grid: it learns the game from "game N begins".
    const log = watchLog();
    const spectator = runSpectator({
      ...spectatorDefaults,
      connect: [spectatorEndpoint!],
      sessions: 1,
    });
    const players = await Promise.all([pythonPlayer(endpoint!, 2), pythonPlayer(endpoint!, 3)]);
    const [report] = await server.done;
    await spectator;
    expect(log.text()).toContain("[spectator]       A   B   C\n");
    expect(log.text()).toContain("[spectator]      ───┼───┼───\n");
    log.stop();
    for (const { code, out } of players) expect(code, out).toBe(0);
    for (const game of report!.games) {
      expect(game.forfeit).toBeUndefined();
      expect(game.moves.every((move) => /^[ABC]-[123]$/.test(move.action))).toBe(true);
    }
    const printed = players.map(({ out }) => resultsOf(out));
    expect(printed.sort()).toEqual([scoresOf(report!, 1), scoresOf(report!, 2)].sort());
  });
});
