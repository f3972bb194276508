// Connect 4 as HackaGames plays it: two players drop discs in turn into a grid of 7 columns
// and 6 lines; a disc falls to the lowest free cell of its column. Four of your discs in a line
// (across, up, or diagonally) win: 1 for the winner, -1 for the other; a full grid is a draw.
// Player 1 starts; the server swaps the seats between games. On the wire (HackaGames 0.5):
//   configuration  8 2 0 0 : Connect4 7 6               columns, lines
//   view           8 0 0 7 : Connect4                   then one node per column, A to G:
//                  8 6 0 0 : column-A 1 2 0 0 0 0       its cells from the bottom, 0 empty
//   action         1 0 0 0 : D                          the column's letter
import { type Pod, pod } from "../pod.ts";
import { forfeitDuel, type GameRules } from "./rules.ts";
import { areCells, missingNode, ViewError, wrongNode } from "./view.ts";

export const COLUMNS = 7;
export const LINES = 6;
export const CONNECT4 = "Connect4";
/** The columns' names on the wire: an action is one of these letters. */
export const COLUMN_LETTERS = ["A", "B", "C", "D", "E", "F", "G"] as const;

/** Column 1 is "A", 7 is "G". */
export const columnLetter = (column: number): string => COLUMN_LETTERS[column - 1] ?? "?";
/** "A" is column 1, "G" is 7; anything else is undefined (exactly one capital letter). */
export const columnNumber = (label: string): number | undefined => {
  const index = (COLUMN_LETTERS as readonly string[]).indexOf(label);
  return index < 0 ? undefined : index + 1;
};

/** grid[line][column], line 0 at the bottom; 0 is empty, 1 and 2 are the seats' discs. */
export type Grid = number[][];

export interface Connect4State {
  grid: Grid;
  next: number;
  /** 0 while nobody has won. */
  winner: number;
}

export const emptyGrid = (): Grid => Array.from({ length: LINES }, () => Array(COLUMNS).fill(0));

/** The columns (1-based) that still have room. */
export const legalColumns = (grid: Grid): number[] =>
  Array.from({ length: COLUMNS }, (_, i) => i + 1).filter(
    (column) => grid[LINES - 1]?.[column - 1] === 0,
  );

/** The grid after `seat` drops a disc in `column` (1-based); the column must have room. */
export function drop(grid: Grid, column: number, seat: number): Grid {
  const line = grid.findIndex((cells) => cells[column - 1] === 0);
  if (line < 0) throw new Error(`column ${column} is full`);
  return grid.map((cells, i) =>
    i === line ? cells.map((c, j) => (j === column - 1 ? seat : c)) : cells,
  );
}

const DIRECTIONS = [
  [0, 1], // across
  [1, 0], // up
  [1, 1], // diagonal /
  [1, -1], // diagonal \
];

/** The seat with four in a line, or 0. */
export function winnerOf(grid: Grid): number {
  for (let line = 0; line < LINES; line++) {
    for (let column = 0; column < COLUMNS; column++) {
      const seat = grid[line]?.[column] ?? 0;
      if (seat === 0) continue;
      for (const [up, across] of DIRECTIONS as [number, number][]) {
        let count = 1;
        while (count < 4 && grid[line + up * count]?.[column + across * count] === seat) count++;
        if (count === 4) return seat;
      }
    }
  }
  return 0;
}

/** Why `label` is not a legal column in `grid`, or undefined. */
export function checkColumn(grid: Grid, label: string): string | undefined {
  const column = columnNumber(label);
  if (column === undefined) {
    return `${JSON.stringify(label.slice(0, 40))} is not a column: send a column letter from A to ${columnLetter(COLUMNS)}`;
  }
  if (!legalColumns(grid).includes(column)) return `column ${label} is full`;
  return undefined;
}

/** The cells of `column` (1-based), from the bottom up. */
const cellsOf = (grid: Grid, column: number): number[] =>
  grid.map((cells) => cells[column - 1] ?? 0);

const other = (seat: number): number => (seat === 1 ? 2 : 1);

export const connect4: GameRules<Connect4State> = {
  name: "connect4",
  players: 2,
  configuration: () => pod(CONNECT4, [COLUMNS, LINES]),
  start: () => ({ grid: emptyGrid(), next: 1, winner: 0 }),
  turn: (state) =>
    state.winner !== 0 || legalColumns(state.grid).length === 0 ? undefined : state.next,
  view: (state) =>
    pod(
      CONNECT4,
      [],
      [],
      COLUMN_LETTERS.map((letter, i) => pod(`column-${letter}`, cellsOf(state.grid, i + 1))),
    ),
  check: (state, seat, action) =>
    connect4.turn(state) !== seat ? "it is not your turn" : checkColumn(state.grid, action.label),
  play: (state, seat, action) => {
    const grid = drop(state.grid, columnNumber(action.label)!, seat);
    return { grid, next: other(seat), winner: winnerOf(grid) };
  },
  pass: (state, seat) => ({ ...state, next: other(seat) }),
  scores: (state) => (state.winner === 0 ? [0, 0] : state.winner === 1 ? [1, -1] : [-1, 1]),
  forfeit: (_state, seat) => forfeitDuel(seat),
  describe: (action) => `drops a disc in column ${action.label}`,
};

// ---- For players: read a Connect 4 view, draw it, read a typed move. ----

/**
 * The grid in a Connect 4 view (grid[line][column], line 0 at the bottom); a ViewError says
 * which line of the Pod is not what HackaGames' format promises.
 */
export function readConnect4View(state: Pod): Grid {
  if (state.label !== CONNECT4) {
    wrongNode(CONNECT4, state, state, `the root "${CONNECT4}"`);
  }
  const grid = emptyGrid();
  for (const [i, letter] of COLUMN_LETTERS.entries()) {
    const node = state.children[i];
    const expected = `"column-${letter}" with ${LINES} cells (0 empty, 1 or 2 a disc)`;
    if (!node) missingNode(CONNECT4, state, state.children.at(-1) ?? state, expected);
    if (
      node.label !== `column-${letter}` ||
      node.integers.length !== LINES ||
      !areCells(node.integers)
    )
      wrongNode(CONNECT4, state, node, expected);
    for (const [line, cell] of node.integers.entries()) grid[line]![i] = cell;
  }
  if (state.children.length > COLUMNS) {
    wrongNode(CONNECT4, state, state.children[COLUMNS]!, `no more than ${COLUMNS} columns`);
  }
  return grid;
}

/** Reads the configuration a Connect 4 game sends at wake-up (`Connect4 7 6`). */
export function readConnect4Configuration(configuration: Pod): void {
  const [columns, lines] = configuration.integers;
  if (configuration.label !== CONNECT4 || columns !== COLUMNS || lines !== LINES) {
    throw new ViewError(
      `${CONNECT4} configuration, line 1: expected "${CONNECT4} ${COLUMNS} ${LINES}", got ${JSON.stringify(`${configuration.label} ${configuration.integers.join(" ")}`.trim())}`,
    );
  }
}

/** HackaGames' marks: player 1 plays O, player 2 plays X (and "·" shows an empty cell). */
export const CONNECT4_MARKS = ["·", "O", "X"];

/** The grid as a few lines of text, top line first, the letters to play above it. */
export function renderConnect4(grid: Grid): string {
  const letters = `  ${COLUMN_LETTERS.join(" ")}`;
  const lines = [...grid]
    .reverse()
    .map((cells) => ` │${cells.map((c) => CONNECT4_MARKS[c] ?? "?").join(" ")}│`);
  const bottom = ` └${"─".repeat(COLUMNS * 2 - 1)}┘`;
  return [letters, ...lines, bottom].join("\n");
}

/** A typed move ("d" or "D") as an action Pod, or why it is not legal in `grid`. */
export function parseConnect4Move(text: string, grid: Grid): Pod | string {
  const label = text.trim().toUpperCase();
  return checkColumn(grid, label) ?? pod(label);
}
