// A HackaGames bot: a REQ player with a random or heuristic brain, chosen by the game's name.
// A game it does not know, or a view it cannot read: one E: line, it leaves, exit code 1.
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
import { FORMATS } from "./games/index.ts";
import { seededRandom } from "./games/rules.ts";
import { ViewError } from "./games/view.ts";
import { type PlayerSummary, runPlayer, type Turn } from "./player.ts";
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
  const decide = (turn: Turn) =>
    BRAINS[turn.configuration.label]![strategy](turn.state, turn.seat, random);
  return runPlayer(options, log, decide, {
    wakeUp: ({ configuration }) => {
      const format = FORMATS[configuration.label];
      if (!format || !BRAINS[configuration.label]) {
        const known = Object.keys(BRAINS).join(", ");
        throw new ViewError(
          `line 1: expected one of the games this bot plays (${known}), got ${JSON.stringify(configuration.label.slice(0, 40))}`,
        );
      }
      format.configuration(configuration);
    },
  });
}

if (isMain(import.meta.url)) {
  const options = parseFlags(botDefaults);
  const summary = await runBot({ ...options, signal: stopOnSignals(options.name) });
  if (summary.ended === "stopped") roleLog(options.name).info("stopped");
  if (summary.ended === "unreadable") process.exitCode = 1;
}
