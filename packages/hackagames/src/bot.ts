// A HackaGames bot: a REQ player with a random or heuristic brain, chosen by the game's name.
// Talks to: game-server.ts, or an original HackaGames game (ROUTER on port 1400).
// Run: pnpm --filter hackagames bot [--connect tcp://localhost:1400] [--strategy random|heuristic]
import {
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { BRAINS, STRATEGIES, type Strategy } from "./bots/index.ts";
import { seededRandom } from "./games/rules.ts";
import { type PlayerSummary, runPlayer } from "./player.ts";
import { GAME_PORT } from "./protocol.ts";

export const botDefaults = {
  connect: [`tcp://localhost:${GAME_PORT}`],
  bind: [] as string[],
  strategy: "heuristic",
  /** Seed for the random choices; 0 picks a new one each run. */
  seed: 0,
  name: "bot",
};
export type BotOptions = typeof botDefaults & RoleControl;

/** Plays whatever game it is woken up in (421-Solo, 421-Duo or Connect4) with its strategy. */
export async function runBot(options: BotOptions): Promise<PlayerSummary> {
  const log = roleLog(options.name);
  if (!STRATEGIES.includes(options.strategy as Strategy)) {
    throw new Error(`no strategy "${options.strategy}"; choose one of: ${STRATEGIES.join(", ")}`);
  }
  const strategy = options.strategy as Strategy;
  const random = seededRandom(options.seed);
  return runPlayer(options, log, (turn) => {
    const brains = BRAINS[turn.configuration.label];
    if (!brains) throw new Error(`this bot cannot play "${turn.configuration.label}"`);
    return brains[strategy](turn.state, turn.seat, random);
  });
}

if (isMain(import.meta.url)) {
  const options = parseFlags(botDefaults);
  const summary = await runBot({ ...options, signal: stopOnSignals(options.name) });
  if (summary.ended === "stopped") roleLog(options.name).info("stopped");
}
