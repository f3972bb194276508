// Exercise 02, reference solution: Tic-tac-toe, pure rules like src/games/connect4.ts.
import type { GameRules } from "#src/games/rules.ts";
import { pod } from "#src/pod.ts";

export interface TicTacToeState {
  /** board[line][column], line 0 at the top; 0 empty, 1 and 2 the seats' marks. */
  board: number[][];
  next: number;
}

const LINES = [
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8], // across
  [0, 3, 6],
  [1, 4, 7],
  [2, 5, 8], // down
  [0, 4, 8],
  [2, 4, 6], // diagonals
];

const cells = (state: TicTacToeState) => state.board.flat();

function winner(state: TicTacToeState): number {
  const flat = cells(state);
  const line = LINES.find(
    ([a, b, c]) => flat[a!] !== 0 && flat[a!] === flat[b!] && flat[b!] === flat[c!],
  );
  return line ? flat[line[0]!]! : 0;
}

const other = (seat: number) => (seat === 1 ? 2 : 1);

export const tictactoe: GameRules<TicTacToeState> = {
  name: "tictactoe",
  players: 2,
  configuration: () => pod("TicTacToe"),
  start: () => ({
    board: [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ],
    next: 1,
  }),
  turn: (state) => (winner(state) !== 0 || !cells(state).includes(0) ? undefined : state.next),
  view: (state) =>
    pod(
      "TicTacToe",
      [],
      [],
      state.board.map((line) => pod("Line", line)),
    ),
  check: (state, seat, action) => {
    if (tictactoe.turn(state) !== seat) return "it is not your turn";
    const cell = Number(action.label);
    if (!/^[1-9]$/.test(action.label))
      return `${JSON.stringify(action.label)} is not a cell: send 1 to 9`;
    return cells(state)[cell - 1] === 0 ? undefined : `cell ${cell} is taken`;
  },
  play: (state, seat, action) => {
    const index = Number(action.label) - 1;
    const board = state.board.map((line, l) =>
      line.map((mark, c) => (l * 3 + c === index ? seat : mark)),
    );
    return { board, next: other(seat) };
  },
  pass: (state, seat) => ({ ...state, next: other(seat) }),
  scores: (state) => {
    const seat = winner(state);
    return seat === 0 ? [0, 0] : seat === 1 ? [1, -1] : [-1, 1];
  },
  forfeit: (_state, seat) => (seat === 1 ? [-1, 1] : [1, -1]),
  describe: (action) => `marks cell ${action.label}`,
};
