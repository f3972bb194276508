// A human player in the terminal: shows the state, prompts for a move, says why a move is illegal.
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
import { parseConnect4Move, readConnect4View } from "./games/connect4.ts";
import { parse421Move } from "./games/four21.ts";
import { renderState } from "./games/index.ts";
import { type PlayerSummary, runPlayer, type Turn } from "./player.ts";
import { type Pod, pod } from "./pod.ts";
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
  const game = turn.configuration.label;
  if (game.startsWith("421-")) return parse421Move(typed);
  if (game === "Connect4") return parseConnect4Move(typed, readConnect4View(turn.state));
  return typed.trim() === "" ? "type your action" : pod(typed.trim()); // a game we do not know
}

const HINTS: Record<string, string> = {
  "421-Solo": "keep or roll each die (e.g. keep keep roll, or kkr)",
  "421-Duo": "keep or roll each die (e.g. keep keep roll, or kkr)",
  Connect4: "a column, 1 to 7",
};

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
    if (game === "Connect4") say(`you play ${turn.seat === 1 ? "X" : "O"}`);
    say(renderState(turn.state) ?? `state:\n${JSON.stringify(turn.state)}`);
    if (turn.error) say(`the game refused your last move: ${turn.error}`);
    for (;;) {
      const typed = await nextLine(`${HINTS[game] ?? "your action"}: `);
      if (typed === undefined) throw new InputClosed();
      const move = readMove(turn, typed);
      if (typeof move !== "string") return move;
      say(`illegal move: ${move}`);
    }
  };

  try {
    return await runPlayer(options, log, decide);
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
  await runHuman({ ...options, signal: stopOnSignals(options.name) });
}
