// For players: HackaGames' classic Tic-tac-toe as it travels (HackaGames 0.5), to read, draw and
// answer. The rules themselves are exercise 02 (exercises/02-add-a-game); any game that speaks
// this format (ours once the exercise is done, or HackaGames' own) can be played and watched.
//   configuration  17 0 0 0 : TicTacToe-Classic
//   view           4 0 0 4 : Grid
//                  6 3 0 0 : Line-A 1 0 0        Line-A, Line-B, Line-C: three cells each,
//                  6 3 0 0 : Line-B 0 2 0        0 empty, 1 or 2 the seats' marks
//                  6 3 0 0 : Line-C 0 0 0
//                  7 1 0 0 : Targets 1           where one may play: 1, the whole grid
//   action         3 0 0 0 : B-2                 the line's letter, then the cell, 1 to 3
import { type Pod, pod } from "../pod.ts";
import { areCells, missingNode, wrongNode } from "./view.ts";

export const TICTACTOE = "TicTacToe-Classic";
export const TICTACTOE_LINES = ["A", "B", "C"] as const;
/** Every action of the classic game, in order, ... C-3. */
export const TICTACTOE_CELLS: string[] = TICTACTOE_LINES.flatMap((line) =>
  [1, 2, 3].map((cell) => `${line}-${cell}`),
);

/** The three lines of a Tic-tac-toe view (lines[0] is Line-A), or a ViewError. */
export function readTicTacToeView(state: Pod): number[][] {
  const game = "TicTacToe";
  if (state.label !== "Grid") wrongNode(game, state, state, 'the root "Grid"');
  const lines = TICTACTOE_LINES.map((letter, i) => {
    const node = state.children[i];
    const expected = `"Line-${letter}" with 3 cells (0 empty, 1 or 2 a mark)`;
    if (!node) missingNode(game, state, state.children.at(-1) ?? state, expected);
    if (node.label !== `Line-${letter}` || node.integers.length !== 3 || !areCells(node.integers))
      wrongNode(game, state, node, expected);
    return node.integers;
  });
  const targets = state.children[3];
  if (!targets) missingNode(game, state, state.children[2]!, '"Targets" (where one may play)');
  if (targets.label !== "Targets" || targets.integers.length === 0)
    wrongNode(game, state, targets, '"Targets" with at least one integer');
  return lines;
}

/** The free cells, as actions ("A-1"...). */
export const freeCells = (lines: number[][]): string[] =>
  TICTACTOE_CELLS.filter((_, i) => lines[Math.floor(i / 3)]?.[i % 3] === 0);

/** HackaGames' marks: player 1 plays x, player 2 plays o. */
export const TICTACTOE_MARKS = [" ", "x", "o"];

/** The grid as HackaGames draws it: lines A, B, C across the top, cells 1 to 3 down. */
export function renderTicTacToe(lines: number[][]): string {
  const mark = (line: number, cell: number) => TICTACTOE_MARKS[lines[line]?.[cell] ?? 0] ?? "?";
  const rows = [0, 1, 2].map(
    (cell) => ` ${cell + 1}  ${[0, 1, 2].map((line) => mark(line, cell)).join(" │ ")}`,
  );
  const rule = "   ───┼───┼───";
  return ["    A   B   C", rows[0], rule, rows[1], rule, rows[2]].join("\n");
}

/** A typed move ("b2", "B-2", "b 2") as an action Pod, or why it is not legal. */
export function parseTicTacToeMove(text: string, lines: number[][]): Pod | string {
  const match = /^([a-c])[\s-]*([1-3])$/i.exec(text.trim());
  const label = match ? `${match[1]!.toUpperCase()}-${match[2]}` : undefined;
  if (!label) return "type a line letter and a cell, e.g. B-2 (or b2)";
  return freeCells(lines).includes(label) ? pod(label) : `${label} is taken`;
}
