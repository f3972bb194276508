import { describe, expect, it } from "vitest";
import { encodePod, pod } from "../pod.ts";
import {
  type Connect4State,
  connect4,
  legalColumns,
  parseConnect4Move,
  readConnect4View,
  renderConnect4,
  winnerOf,
} from "./connect4.ts";

const noDice = () => 0;

/** Plays columns in turn from the start, seat 1 first. */
function playColumns(...columns: number[]): Connect4State {
  let state = connect4.start(noDice);
  for (const column of columns) {
    const seat = connect4.turn(state)!;
    expect(connect4.check(state, seat, pod(String(column)))).toBeUndefined();
    state = connect4.play(state, seat, pod(String(column)), noDice);
  }
  return state;
}

describe("Connect 4 rules", () => {
  it("drops discs to the lowest free cell and alternates seats", () => {
    const state = playColumns(4, 4, 3);
    expect(state.grid[0]).toEqual([0, 0, 1, 1, 0, 0, 0]);
    expect(state.grid[1]).toEqual([0, 0, 0, 2, 0, 0, 0]);
    expect(connect4.turn(state)).toBe(2);
  });

  it("sends the grid as a Pod of lines, bottom first", () => {
    const text = encodePod(connect4.view(playColumns(1), 1));
    expect(text.split("\n")).toEqual([
      "8 2 0 6 : Connect4 7 6",
      "4 7 0 0 : Line 1 0 0 0 0 0 0",
      ...Array(5).fill("4 7 0 0 : Line 0 0 0 0 0 0 0"),
    ]);
  });

  const wins: [string, number[], number][] = [
    ["across", [1, 1, 2, 2, 3, 3, 4], 1],
    ["up", [1, 2, 1, 2, 1, 2, 1], 1],
    ["diagonally /", [1, 2, 2, 3, 4, 3, 3, 4, 5, 4, 4], 1],
    ["diagonally \\", [7, 6, 6, 5, 4, 5, 5, 4, 3, 4, 4], 1],
    ["for seat 2", [1, 2, 1, 2, 1, 2, 7, 2], 2],
  ];
  for (const [how, columns, winner] of wins) {
    it(`sees four in a line ${how}, ends the game and scores it`, () => {
      const state = playColumns(...columns);
      expect(state.winner).toBe(winner);
      expect(connect4.turn(state)).toBeUndefined();
      expect(connect4.scores(state)).toEqual(winner === 1 ? [1, -1] : [-1, 1]);
    });
  }

  it("calls a full grid with no line of four a draw", () => {
    const columns = [5, 4, 7, 1, 1, 2, 3, 4, 5, 1, 4, 4, 5, 5, 3, 3, 4, 3, 6, 5, 2];
    columns.push(6, 5, 1, 7, 7, 3, 2, 2, 4, 7, 3, 6, 1, 1, 2, 6, 6, 6, 2, 7, 7); // 42 discs
    const state = playColumns(...columns);
    expect(winnerOf(state.grid)).toBe(0);
    expect(legalColumns(state.grid)).toEqual([]);
    expect(connect4.turn(state)).toBeUndefined();
    expect(connect4.scores(state)).toEqual([0, 0]);
  });

  it("says why a move is illegal: no such column, a full column, not your turn", () => {
    const full = playColumns(1, 1, 1, 1, 2, 1, 1); // column 1 full, no winner yet
    expect(full.winner).toBe(0);
    expect(connect4.check(full, 2, pod("1"))).toBe("column 1 is full");
    expect(connect4.check(full, 2, pod("8"))).toMatch(
      /"8" is not a column: send a column number from 1 to 7/,
    );
    expect(connect4.check(full, 2, pod("left"))).toMatch(/"left" is not a column/);
    expect(connect4.check(full, 1, pod("3"))).toBe("it is not your turn");
  });

  it("passes the turn to the other seat when a player misses its turn", () => {
    const state = connect4.pass(connect4.start(noDice), 1, noDice);
    expect(connect4.turn(state)).toBe(2);
  });
});

describe("Connect 4 for players", () => {
  it("reads the view back and draws it", () => {
    const grid = readConnect4View(connect4.view(playColumns(4, 4), 2));
    expect(renderConnect4(grid).split("\n").slice(-3)).toEqual([
      "|. . . O . . .|",
      "|. . . X . . .|",
      " 1 2 3 4 5 6 7",
    ]);
  });

  it("checks a typed move before sending it", () => {
    const grid = playColumns(1, 1, 1, 1, 2, 1, 1).grid;
    expect(parseConnect4Move(" 3 ", grid)).toEqual(pod("3"));
    expect(parseConnect4Move("1", grid)).toBe("column 1 is full");
  });
});
