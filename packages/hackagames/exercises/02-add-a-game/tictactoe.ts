// Exercise 02: HackaGames' classic Tic-tac-toe as a game the server can run.
// The task is in TASK.md. Check your work: pnpm --filter hackagames exercise 02
import type { GameRules } from "#src/games/rules.ts";
import type { Pod } from "#src/pod.ts";

export interface TicTacToeState {
  /** lines[0] is Line-A, its cells A-1, A-2, A-3; 0 empty, 1 and 2 the seats' marks. */
  lines: number[][];
  next: number;
}

const notDone = (what: string): never => {
  throw new Error(`exercise 02 is not done yet: ${what}`);
};

export const tictactoe: GameRules<TicTacToeState> = {
  name: "tictactoe",
  players: 2,
  configuration: (): Pod => notDone("configuration"),
  start: () => notDone("start"),
  turn: () => notDone("turn"),
  view: () => notDone("view"),
  check: () => notDone("check"),
  play: () => notDone("play"),
  pass: () => notDone("pass"),
  scores: () => notDone("scores"),
  forfeit: () => notDone("forfeit"),
  describe: (action) => `marks ${action.label}`,
};
