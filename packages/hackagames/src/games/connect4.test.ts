import { describe, expect, it } from "vitest";
import { encodePod, type Pod, pod } from "../pod.ts";
import {
  type Connect4State,
  columnLetter,
  connect4,
  legalColumns,
  parseConnect4Move,
  readConnect4View,
  renderConnect4,
  winnerOf,
} from "./connect4.ts";
import { ViewError } from "./view.ts";

const noDice = () => 0;

/** Plays columns (1 is A) in turn from the start, seat 1 first. */
function playColumns(...columns: number[]): Connect4State {
  let state = connect4.start(noDice);
  for (const column of columns) {
    const seat = connect4.turn(state)!;
    const action = pod(columnLetter(column));
    expect(connect4.check(state, seat, action)).toBeUndefined();
    state = connect4.play(state, seat, action, noDice);
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

  it("sends the grid as HackaGames does: a node per column, A to G, cells from the bottom", () => {
    const text = encodePod(connect4.view(playColumns(1, 4, 4), 1));
    expect(text.split("\n")).toEqual([
      "8 0 0 7 : Connect4",
      "8 6 0 0 : column-A 1 0 0 0 0 0",
      "8 6 0 0 : column-B 0 0 0 0 0 0",
      "8 6 0 0 : column-C 0 0 0 0 0 0",
      "8 6 0 0 : column-D 2 1 0 0 0 0",
      "8 6 0 0 : column-E 0 0 0 0 0 0",
      "8 6 0 0 : column-F 0 0 0 0 0 0",
      "8 6 0 0 : column-G 0 0 0 0 0 0",
    ]);
    expect(encodePod(connect4.configuration())).toBe("8 2 0 0 : Connect4 7 6");
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
    const full = playColumns(1, 1, 1, 1, 2, 1, 1); // column A full, no winner yet
    expect(full.winner).toBe(0);
    expect(connect4.check(full, 2, pod("A"))).toBe("column A is full");
    for (const label of ["H", "b", "1", "4", "AB", " B", "B ", "", "column-B", "left"]) {
      expect(connect4.check(full, 2, pod(label)), JSON.stringify(label)).toBe(
        `${JSON.stringify(label)} is not a column: send a column letter from A to G`,
      );
    }
    expect(connect4.check(full, 1, pod("C"))).toBe("it is not your turn");
  });

  it("passes the turn to the other seat when a player misses its turn", () => {
    const state = connect4.pass(connect4.start(noDice), 1, noDice);
    expect(connect4.turn(state)).toBe(2);
  });
});

describe("Connect 4 for players", () => {
  it("reads the view back and draws it, top line first, O for player 1 and X for player 2", () => {
    const grid = readConnect4View(connect4.view(playColumns(4, 4, 1), 2));
    expect(renderConnect4(grid).split("\n")).toEqual([
      "  A B C D E F G",
      ...Array(4).fill(" │· · · · · · ·│"),
      " │· · · X · · ·│",
      " │O · · O · · ·│",
      " └─────────────┘",
    ]);
  });

  it("checks a typed move before sending it (a lower-case letter will do)", () => {
    const grid = playColumns(1, 1, 1, 1, 2, 1, 1).grid;
    expect(parseConnect4Move(" c ", grid)).toEqual(pod("C"));
    expect(parseConnect4Move("a", grid)).toBe("column A is full");
    expect(parseConnect4Move("4", grid)).toBe(
      '"4" is not a column: send a column letter from A to G',
    );
  });

  it("names the line and what was expected when a view is not Connect 4's", () => {
    const view = connect4.view(playColumns(1), 1);
    const read = (state: Pod) => () => readConnect4View(state);
    expect(read({ ...view, children: [] })).toThrow(
      new ViewError(
        'Connect4 view, line 2: expected "column-A" with 6 cells (0 empty, 1 or 2 a disc), but the view ends after line 1',
      ),
    );
    const lines = pod("Connect4", [7, 6], [], Array(6).fill(pod("Line", [0, 0, 0, 0, 0, 0, 0])));
    expect(read(lines)).toThrow(
      'Connect4 view, line 2: expected "column-A" with 6 cells (0 empty, 1 or 2 a disc), got "4 7 0 0 : Line 0 0 0 0 0 0 0"',
    );
    const children = [...view.children];
    children[3] = pod("column-D", [0, 0, 3, 0, 0, 0]);
    expect(read({ ...view, children })).toThrow(/^Connect4 view, line 5: expected "column-D"/);
    expect(read({ ...view, label: "Grid" })).toThrow(
      'Connect4 view, line 1: expected the root "Connect4", got "4 0 0 7 : Grid"',
    );
    expect(read({ ...view, children: view.children.slice(0, 3) })).toThrow(
      /^Connect4 view, line 5: expected "column-D" .* but the view ends after line 4$/,
    );
  });
});
