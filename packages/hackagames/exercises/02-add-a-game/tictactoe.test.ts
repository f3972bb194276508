import { exerciseModule, exerciseSubject, roleLog } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { gameServerDefaults, runGameServer } from "#src/game-server.ts";
import { runPlayer, type Turn } from "#src/player.ts";
import { encodePod, pod } from "#src/pod.ts";

const { tictactoe }: typeof import("./solution/tictactoe.ts") = await import(
  exerciseModule(import.meta.url, "tictactoe.ts")
);

const noDice = () => 0;

/** Plays cells in turn from the start, seat 1 first. */
function playCells(...cellsPlayed: number[]) {
  let state = tictactoe.start(noDice);
  for (const cell of cellsPlayed) {
    const seat = tictactoe.turn(state)!;
    expect(tictactoe.check(state, seat, pod(String(cell)))).toBeUndefined();
    state = tictactoe.play(state, seat, pod(String(cell)), noDice);
  }
  return state;
}

/** The eight lines of three, as cells 1 to 9. */
const LINES_OF_THREE = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
  [1, 4, 7],
  [2, 5, 8],
  [3, 6, 9],
  [1, 5, 9],
  [3, 5, 7],
];
const hasLine = (cells: number[]) =>
  LINES_OF_THREE.some((line) => line.every((cell) => cells.includes(cell)));

/**
 * A game in which `seat` fills `line` (in that order) and wins with its last mark, while the
 * other seat plays the lowest free cells that make no line of its own.
 */
function gameWon(line: number[], seat: number): number[] {
  const mine: number[] = [];
  const theirs: number[] = [];
  const moves: number[] = [];
  for (let move = 0; mine.length < 3; move++) {
    const seatToPlay = move % 2 === 0 ? 1 : 2;
    if (seatToPlay === seat) {
      mine.push(line[mine.length]!);
      moves.push(mine.at(-1)!);
    } else {
      const free = [1, 2, 3, 4, 5, 6, 7, 8, 9].filter(
        (cell) => !moves.includes(cell) && !line.includes(cell) && !hasLine([...theirs, cell]),
      );
      theirs.push(free[0]!);
      moves.push(free[0]!);
    }
  }
  return moves;
}

describe(`exercise 02, Tic-tac-toe (${exerciseSubject()})`, () => {
  it("ends on each of the eight lines, for either seat, and not a move before", () => {
    for (const line of LINES_OF_THREE) {
      for (const seat of [1, 2]) {
        const moves = gameWon(line, seat);
        const before = playCells(...moves.slice(0, -1));
        expect(tictactoe.turn(before), `before ${seat} completes ${line}`).toBe(seat);
        expect(tictactoe.scores(before), `nobody has won before ${moves}`).toEqual([0, 0]);
        const after = playCells(...moves);
        expect(tictactoe.turn(after), `seat ${seat} completed ${line}`).toBeUndefined();
        expect(tictactoe.scores(after), `seat ${seat} won with ${line}`).toEqual(
          seat === 1 ? [1, -1] : [-1, 1],
        );
      }
    }
  });

  it("scores a win on the ninth mark as a win, not a draw", () => {
    const full = playCells(1, 2, 3, 5, 4, 6, 8, 9, 7); // seat 1 ends with 1-4-7
    expect(tictactoe.turn(full)).toBeUndefined();
    expect(tictactoe.scores(full)).toEqual([1, -1]);
  });

  it("refuses every action that is not one of the cells 1 to 9", () => {
    const state = tictactoe.start(noDice);
    for (const label of ["0", "10", "", " 5", "5 ", "05", "1.5", "-1", "+1", "five", "x"]) {
      expect(tictactoe.check(state, 1, pod(label)), JSON.stringify(label)).toBe(
        `${JSON.stringify(label)} is not a cell: send 1 to 9`,
      );
    }
    for (let cell = 1; cell <= 9; cell++) {
      expect(tictactoe.check(state, 1, pod(String(cell)))).toBeUndefined();
      expect(tictactoe.check(playCells(cell), 2, pod(String(cell)))).toBe(`cell ${cell} is taken`);
    }
  });

  it("starts empty, seat 1 first, and shows the board as three lines, top first", () => {
    expect(encodePod(tictactoe.configuration())).toBe("9 0 0 0 : TicTacToe");
    const state = playCells(1, 9);
    expect(tictactoe.turn(state)).toBe(1);
    expect(encodePod(tictactoe.view(state, 1)).split("\n")).toEqual([
      "9 0 0 3 : TicTacToe",
      "4 3 0 0 : Line 1 0 0",
      "4 3 0 0 : Line 0 0 0",
      "4 3 0 0 : Line 0 0 2",
    ]);
  });

  it("says why a move is refused", () => {
    const state = playCells(5);
    expect(tictactoe.check(state, 2, pod("5"))).toBe("cell 5 is taken");
    expect(tictactoe.check(state, 2, pod("x"))).toBe('"x" is not a cell: send 1 to 9');
    expect(tictactoe.check(state, 2, pod("10"))).toBe('"10" is not a cell: send 1 to 9');
    expect(tictactoe.check(state, 1, pod("1"))).toBe("it is not your turn");
  });

  it("ends on three in a row, across, down or diagonal, and scores it", () => {
    expect(tictactoe.scores(playCells(1, 4, 2, 5, 3))).toEqual([1, -1]); // across the top
    expect(tictactoe.scores(playCells(2, 1, 3, 4, 9, 7))).toEqual([-1, 1]); // seat 2, down the left
    const diagonal = playCells(1, 2, 5, 3, 9);
    expect(tictactoe.turn(diagonal)).toBeUndefined();
    expect(tictactoe.scores(diagonal)).toEqual([1, -1]);
  });

  it("calls a full board with no line a draw; forfeits and passes", () => {
    const full = playCells(1, 2, 3, 5, 4, 6, 8, 7, 9);
    expect(tictactoe.turn(full)).toBeUndefined();
    expect(tictactoe.scores(full)).toEqual([0, 0]);
    const start = tictactoe.start(noDice);
    expect(tictactoe.forfeit(start, 1)).toEqual([-1, 1]);
    expect(tictactoe.forfeit(start, 2)).toEqual([1, -1]);
    expect(tictactoe.turn(tictactoe.pass(start, 1, noDice))).toBe(2);
  });

  it("runs on the real game server: two players play a whole session over ZeroMQ", async () => {
    const server = startRole(
      (options: typeof gameServerDefaults) => runGameServer(options, tictactoe),
      { ...gameServerDefaults, bind: [EPHEMERAL], publish: [], games: 2, sessions: 1 },
    );
    try {
      const [endpoint] = await server.ready;
      // A player who knows only the wire format: the first empty cell, reading the lines.
      const firstEmpty = (turn: Turn) => {
        const marks = turn.state.children.flatMap((line) => line.integers);
        return pod(String(marks.indexOf(0) + 1));
      };
      const players = ["noughts", "crosses"].map((name) =>
        runPlayer({ connect: [endpoint!], bind: [] }, roleLog(name), firstEmpty),
      );
      // If the rules throw, the server stops: fail at once rather than wait for the players.
      const summaries = await Promise.race([Promise.all(players), server.done.then(() => [])]);
      const [report] = await server.done;
      expect(report!.games).toHaveLength(2);
      // First empty cell against itself: seat 1 wins on the diagonal 3-5-7 at its fourth mark.
      for (const game of report!.games) expect(game.scores).toEqual([1, -1]);
      for (const summary of summaries) expect(summary.results.sort()).toEqual([-1, 1]);
    } finally {
      await server.stop();
    }
  });
});
