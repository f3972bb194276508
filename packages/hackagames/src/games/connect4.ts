// Connect 4: two players drop discs in turn into a grid of 7 columns and 6 lines; a disc falls
// to the lowest free cell of its column. Four of your discs in a line (across, up, or
// diagonally) win: 1 for the winner, -1 for the other; a full grid is a draw (0 each).
// Player 1 starts; the server swaps the seats between games. An action is the column number.
import { type Pod, pod } from "../pod.ts";
import { forfeitDuel, type GameRules } from "./rules.ts";

export const COLUMNS = 7;
export const LINES = 6;

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
  const column = Number(label);
  if (!/^\d+$/.test(label.trim()) || column < 1 || column > COLUMNS) {
    return `${JSON.stringify(label.slice(0, 40))} is not a column: send a column number from 1 to ${COLUMNS}`;
  }
  if (!legalColumns(grid).includes(column)) return `column ${column} is full`;
  return undefined;
}

const other = (seat: number): number => (seat === 1 ? 2 : 1);

export const connect4: GameRules<Connect4State> = {
  name: "connect4",
  players: 2,
  configuration: () => pod("Connect4", [COLUMNS, LINES]),
  start: () => ({ grid: emptyGrid(), next: 1, winner: 0 }),
  turn: (state) =>
    state.winner !== 0 || legalColumns(state.grid).length === 0 ? undefined : state.next,
  view: (state) =>
    pod(
      "Connect4",
      [COLUMNS, LINES],
      [],
      state.grid.map((cells) => pod("Line", cells)),
    ),
  check: (state, seat, action) =>
    connect4.turn(state) !== seat ? "it is not your turn" : checkColumn(state.grid, action.label),
  play: (state, seat, action) => {
    const grid = drop(state.grid, Number(action.label), seat);
    return { grid, next: other(seat), winner: winnerOf(grid) };
  },
  pass: (state, seat) => ({ ...state, next: other(seat) }),
  scores: (state) => (state.winner === 0 ? [0, 0] : state.winner === 1 ? [1, -1] : [-1, 1]),
  forfeit: (_state, seat) => forfeitDuel(seat),
  describe: (action) => `drops a disc in column ${action.label}`,
};

// ---- For players: read a Connect 4 view, show it, read a typed move. ----

/** The grid in a Connect 4 perception; throws when it is not one. */
export function readConnect4View(state: Pod): Grid {
  const lines = state.children.filter((child) => child.label === "Line").map((c) => c.integers);
  if (
    state.label !== "Connect4" ||
    lines.length !== LINES ||
    lines.some((l) => l.length !== COLUMNS)
  ) {
    throw new Error(`not a Connect 4 state: ${state.label} with ${lines.length} lines`);
  }
  return lines;
}

/** The grid as text, top line first: `X` for seat 1, `O` for seat 2. */
export function renderConnect4(grid: Grid): string {
  const marks = [".", "X", "O"];
  const lines = [...grid]
    .reverse()
    .map((cells) => `|${cells.map((c) => marks[c] ?? "?").join(" ")}|`);
  const numbers = ` ${Array.from({ length: COLUMNS }, (_, i) => i + 1).join(" ")}`;
  return [...lines, numbers].join("\n");
}

/** A typed move ("4") as an action Pod, or why it is not legal in `grid`. */
export function parseConnect4Move(text: string, grid: Grid): Pod | string {
  const label = text.trim();
  return checkColumn(grid, label) ?? pod(label);
}
