// A human player in the terminal: draws the board (Connect 4, Tic-tac-toe, 421's dice), prompts
// for a move, says why a move is illegal; a view it cannot read: one E: line, exit code 1.
// Talks to: game-server.ts, or an original HackaGames game (ROUTER on port 1400).
// Run: pnpm --filter hackagames human [--connect tcp://localhost:1400]
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import {
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { CONNECT4_MARKS } from "./games/connect4.ts";
import { FORMATS } from "./games/index.ts";
import { TICTACTOE, TICTACTOE_MARKS } from "./games/tictactoe-view.ts";
import { type PlayerSummary, runPlayer, type Seating, type Turn } from "./player.ts";
import { encodePod, type Pod, pod } from "./pod.ts";
import { GAME_PORT } from "./protocol.ts";

export const humanDefaults = {
  connect: [`tcp://localhost:${GAME_PORT}`],
  bind: [] as string[],
  name: "human",
};
export type HumanOptions = typeof humanDefaults & RoleControl;

/** Where the human reads and types; a test passes streams of its own. */
export interface Terminal {
  input: Readable;
  output: Writable;
}

/** A typed move as an action Pod for this game, or why it is not a legal one. */
export function readMove(turn: Turn, typed: string): Pod | string {
  const format = FORMATS[turn.configuration.label];
  if (format) return format.move(typed, turn.state);
  return typed.trim() === "" ? "type your action" : pod(typed.trim()); // a game we do not know
}

/** The view for people: drawn for the games we know, the Pod as it came for the others. */
function picture(seating: Seating, state: Pod): string {
  const format = FORMATS[seating.configuration.label];
  return format ? format.draw(state) : `the state, as the game sent it:\n${encodePod(state)}`;
}

/** Which mark is ours, in the games that have marks. */
function yourMark(seating: Seating): string | undefined {
  const marks: Record<string, string[]> = {
    Connect4: CONNECT4_MARKS,
    [TICTACTOE]: TICTACTOE_MARKS,
  };
  const mark = marks[seating.configuration.label]?.[seating.seat];
  return mark ? `you play ${mark}` : undefined;
}

/** The same REQ player loop as the bots; the decision comes from the keyboard. */
export async function runHuman(
  options: HumanOptions,
  terminal: Terminal = { input: process.stdin, output: process.stdout },
): Promise<PlayerSummary> {
  const log = roleLog(options.name);
  const say = (text: string) => terminal.output.write(`${text}\n`);
  const nextLine = typedLines(terminal, options.signal);

  const decide = async (turn: Turn): Promise<Pod> => {
    const game = turn.configuration.label;
    say(`--- your turn: player ${turn.seat} of ${turn.players} at ${game} ---`);
    say(picture(turn, turn.state));
    const mark = yourMark(turn);
    if (mark) say(mark);
    if (turn.error) say(`the game refused your last move: ${turn.error}`);
    for (;;) {
      const typed = await nextLine(`${FORMATS[game]?.hint ?? "your action (a label)"}: `);
      if (typed === undefined) throw new InputClosed();
      const move = readMove(turn, typed);
      if (typeof move !== "string") return move;
      say(`illegal move: ${move}`);
    }
  };

  const hooks = {
    wakeUp: (seating: Seating) =>
      FORMATS[seating.configuration.label]?.configuration(seating.configuration),
    sleep: (seating: Seating, result: number, state: Pod) => {
      const outcome = result > 0 ? "you win" : result < 0 ? "you lose" : "a draw";
      const game = seating.configuration.label;
      const headline =
        game.startsWith("421-") && seating.players === 1 ? `${result} points` : outcome;
      say(`--- game over at ${game}: ${headline} (result ${result}) ---`);
      say(picture(seating, state));
    },
  };
  try {
    return await runPlayer(options, log, decide, hooks);
  } catch (error) {
    if (!(error instanceof InputClosed)) throw error;
    log.info("no more input: leaving the game");
    return { results: [], ended: "stopped" };
  } finally {
    nextLine.close();
  }
}

class InputClosed extends Error {}

/** Reads typed lines one at a time (lines typed ahead wait their turn); undefined at the end. */
function typedLines(terminal: Terminal, signal?: AbortSignal) {
  const lines = createInterface({ input: terminal.input });
  const typedAhead: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let closed = false;
  lines.on("line", (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else typedAhead.push(line);
  });
  lines.on("close", () => {
    closed = true;
    for (const waiter of waiting.splice(0)) waiter(undefined);
  });
  signal?.addEventListener("abort", () => lines.close(), { once: true });

  const next = (prompt: string): Promise<string | undefined> => {
    terminal.output.write(prompt);
    if (typedAhead.length > 0) return Promise.resolve(typedAhead.shift());
    if (closed) return Promise.resolve(undefined);
    return new Promise((resolve) => waiting.push(resolve));
  };
  return Object.assign(next, { close: () => lines.close() });
}

if (isMain(import.meta.url)) {
  const options = parseFlags(humanDefaults);
  const summary = await runHuman({ ...options, signal: stopOnSignals(options.name) });
  if (summary.ended === "unreadable") process.exitCode = 1;
}
