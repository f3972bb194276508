// Exercise 02, reference solution: HackaGames' classic Tic-tac-toe, pure rules like
// src/games/connect4.ts, in HackaGames' format (Grid, Line-A to Line-C, Targets; "B-2").
import type { GameRules } from "#src/games/rules.ts";
import { pod } from "#src/pod.ts";

export interface TicTacToeState {
  /** lines[0] is Line-A, its cells A-1, A-2, A-3; 0 empty, 1 and 2 the seats' marks. */
  lines: number[][];
  next: number;
}

const LETTERS = ["A", "B", "C"];

/** The rows of three as [line, cell] pairs (0-based): lines, cells across, two diagonals. */
const ROWS: [number, number][][] = [
  ...[0, 1, 2].map((l) => [0, 1, 2].map((c): [number, number] => [l, c])),
  ...[0, 1, 2].map((c) => [0, 1, 2].map((l): [number, number] => [l, c])),
  [0, 1, 2].map((i): [number, number] => [i, i]), // A-1 B-2 C-3
  [0, 1, 2].map((i): [number, number] => [i, 2 - i]), // A-3 B-2 C-1
];

function winner(state: TicTacToeState): number {
  const mark = ([l, c]: [number, number]) => state.lines[l]![c]!;
  const row = ROWS.find(
    (cells) => mark(cells[0]!) !== 0 && cells.every((cell) => mark(cell) === mark(cells[0]!)),
  );
  return row ? mark(row[0]!) : 0;
}

/** "B-2" as [line, cell] (0-based), or undefined when it is not exactly a cell. */
function cellOf(label: string): [number, number] | undefined {
  const match = /^([ABC])-([123])$/.exec(label);
  return match ? [LETTERS.indexOf(match[1]!), Number(match[2]) - 1] : undefined;
}

const other = (seat: number) => (seat === 1 ? 2 : 1);
const full = (state: TicTacToeState) => state.lines.every((line) => !line.includes(0));

export const tictactoe: GameRules<TicTacToeState> = {
  name: "tictactoe",
  players: 2,
  configuration: () => pod("TicTacToe-Classic"),
  start: () => ({ lines: LETTERS.map(() => [0, 0, 0]), next: 1 }),
  turn: (state) => (winner(state) !== 0 || full(state) ? undefined : state.next),
  view: (state) =>
    pod(
      "Grid",
      [],
      [],
      [
        ...state.lines.map((cells, l) => pod(`Line-${LETTERS[l]}`, cells)),
        pod("Targets", [1]), // the classic game has one grid: a player may play anywhere on it
      ],
    ),
  check: (state, seat, action) => {
    if (tictactoe.turn(state) !== seat) return "it is not your turn";
    const cell = cellOf(action.label);
    if (!cell) {
      return `${JSON.stringify(action.label.slice(0, 40))} is not a cell: send a line and a cell, A-1 to C-3`;
    }
    return state.lines[cell[0]]![cell[1]] === 0 ? undefined : `${action.label} is taken`;
  },
  play: (state, seat, action) => {
    const [line, cell] = cellOf(action.label)!;
    const lines = state.lines.map((cells, l) =>
      cells.map((mark, c) => (l === line && c === cell ? seat : mark)),
    );
    return { lines, next: other(seat) };
  },
  pass: (state, seat) => ({ ...state, next: other(seat) }),
  scores: (state) => {
    const seat = winner(state);
    return seat === 0 ? [0, 0] : seat === 1 ? [1, -1] : [-1, 1];
  },
  forfeit: (_state, seat) => (seat === 1 ? [-1, 1] : [1, -1]),
  describe: (action) => `marks ${action.label}`,
};
