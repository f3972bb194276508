// `pnpm --filter hackagames start [connect4|421-duo|421-solo|hub|seed]`: a session of bots against each
// other, each role in its own process, as you would run them in separate terminals. The game
// prints every turn and the final scores; the spectator draws the grids. Ends by itself.
import { guidePorts, type RoleProcess, startScenario } from "@zmq-patterns/helpers";
import { GAME_PORT, SPECTATOR_PORT, TABLE_PORT } from "./protocol.ts";

const [gamePort, spectatorPort, tablePort] = await guidePorts([
  GAME_PORT,
  SPECTATOR_PORT,
  TABLE_PORT,
]);
const game = `tcp://localhost:${gamePort}`;

/** The game server (held back until it listens), a spectator, then the players. */
function session(gameName: string, games: number, bots: [string, string][]): RoleProcess[] {
  return [
    {
      name: "game",
      script: "src/game-server.ts",
      args: [
        ...["--bind", `tcp://*:${gamePort}`, "--publish", `tcp://*:${spectatorPort}`],
        ...["--game", gameName, "--games", String(games), "--sessions", "1"],
        ...["--wait-spectators", "1", "--move-timeout-ms", "5000"],
      ],
      readyWhen: /waiting for \d+ player/,
      finishes: true,
    },
    {
      name: "spectator",
      script: "src/spectator.ts",
      args: ["--connect", `tcp://localhost:${spectatorPort}`, "--sessions", "1"],
      finishes: true,
    },
    // Each bot waits until the one before it has joined, so the first listed is player 1.
    ...bots.map(([name, strategy], i) => ({
      name,
      script: "src/bot.ts",
      args: ["--connect", game, "--strategy", strategy, "--name", name, "--seed", String(i + 1)],
      readyWhen: /joined the game/,
      finishes: true,
    })),
  ];
}

/** Step 3: a hub, three tables joining it one after the other, and two bots per table. */
function hubbed(): RoleProcess[] {
  const beat = ["--heartbeat-ms", "500"];
  const table = (name: string, gameName: string, games: number, finishes = true): RoleProcess => ({
    name,
    script: "src/game-server.ts",
    args: [
      ...["--hub", `tcp://localhost:${tablePort}`, "--name", name, "--publish", "", ...beat],
      ...["--game", gameName, "--games", String(games), "--sessions", "1"],
    ],
    readyWhen: /seated at the hub/,
    finishes, // a role the scenario kills never finishes
  });
  const bots = [1, 2, 3, 4, 5, 6].map((i) => ({
    name: `bot-${i}`,
    script: "src/bot.ts",
    args: ["--connect", game, "--name", `bot-${i}`, "--seed", String(i)],
    readyWhen: /joined the game/, // in turn: the hub seats each at the first open table
    finishes: true,
  }));
  return [
    {
      name: "hub",
      script: "src/hub.ts",
      args: ["--bind", `tcp://*:${gamePort}`, "--tables", `tcp://*:${tablePort}`, ...beat],
      readyWhen: /tables connect to/,
    },
    table("c4-a", "connect4", 3),
    table("c4-b", "connect4", 500, false), // a long session: it is killed in the middle
    table("421", "421-duo", 3),
    ...bots,
  ];
}

await startScenario({
  connect4: {
    title: "Connect 4, heuristic bot against random bot, 2 games (seats swap), with a spectator",
    roles: session("connect4", 2, [
      ["heuristic", "heuristic"],
      ["random", "random"],
    ]),
  },
  "421-duo": {
    title: "421 for two, heuristic bot against random bot, 3 games, with a spectator",
    roles: session("421-duo", 3, [
      ["heuristic", "heuristic"],
      ["random", "random"],
    ]),
  },
  "421-solo": {
    title: "421 solo: one heuristic bot, 3 games, with a spectator",
    roles: session("421-solo", 3, [["heuristic", "heuristic"]]),
  },
  hub: {
    title:
      "Step 3: a hub, three tables (two Connect 4, one 421), six bots; table c4-b is killed mid-game",
    roles: hubbed(),
    faults: [{ after: { role: "c4-b", line: /game 2 move 3:/ }, action: "kill", target: "c4-b" }],
  },
  seed: {
    title: "Step 1, the seed: a ROUTER answers three REQ clients by name once all three are there",
    roles: [
      {
        name: "seed-router",
        script: "src/seed-router.ts",
        args: ["--bind", `tcp://*:${gamePort}`],
        readyWhen: /bound to/,
      },
      ...["alice", "bob", "carol"].map((name) => ({
        name,
        script: "src/seed-client.ts",
        args: ["--connect", game, "--name", name],
        finishes: true,
      })),
    ],
  },
});
