import { describe, expect, it } from "vitest";
import { decodePod, pod } from "../pod.ts";
import { FORMATS } from "./index.ts";
import {
  freeCells,
  parseTicTacToeMove,
  readTicTacToeView,
  renderTicTacToe,
  TICTACTOE,
} from "./tictactoe-view.ts";

// A view as HackaGames' classic Tic-tac-toe sends it (its format, as docs/hackagames.md states it):
// player 1 has marked A-1 and C-2, player 2 has marked B-2.
const view = decodePod(
  [
    "4 0 0 4 : Grid",
    "6 3 0 0 : Line-A 1 0 0",
    "6 3 0 0 : Line-B 0 2 0",
    "6 3 0 0 : Line-C 0 1 0",
    "7 1 0 0 : Targets 1",
  ].join("\n"),
);

describe("Tic-tac-toe for players (HackaGames' TicTacToe-Classic)", () => {
  it("reads the lines by their names and draws them as HackaGames does", () => {
    const lines = readTicTacToeView(view);
    expect(lines).toEqual([
      [1, 0, 0],
      [0, 2, 0],
      [0, 1, 0],
    ]);
    expect(freeCells(lines)).toEqual(["A-2", "A-3", "B-1", "B-3", "C-1", "C-3"]);
    expect(renderTicTacToe(lines).split("\n")).toEqual([
      "    A   B   C",
      " 1  x │   │  ",
      "   ───┼───┼───",
      " 2    │ o │ x",
      "   ───┼───┼───",
      " 3    │   │  ",
    ]);
  });

  it("reads a typed move in several spellings and refuses a taken cell", () => {
    const lines = readTicTacToeView(view);
    for (const typed of ["a2", "A-2", " a 2 ", "A2"]) {
      expect(parseTicTacToeMove(typed, lines)).toEqual(pod("A-2"));
    }
    expect(parseTicTacToeMove("b2", lines)).toBe("B-2 is taken");
    expect(parseTicTacToeMove("d1", lines)).toMatch(/type a line letter and a cell, e.g. B-2/);
    expect(FORMATS[TICTACTOE]!.move("c3", view)).toEqual(pod("C-3"));
  });

  it("names the line and what was expected when a view is not Tic-tac-toe's", () => {
    const read = (children: typeof view.children) => () => readTicTacToeView({ ...view, children });
    expect(read(view.children.slice(0, 3))).toThrow(
      'TicTacToe view, line 5: expected "Targets" (where one may play), but the view ends after line 4',
    );
    expect(read([view.children[1]!, ...view.children.slice(1)])).toThrow(
      'TicTacToe view, line 2: expected "Line-A" with 3 cells (0 empty, 1 or 2 a mark), got "6 3 0 0 : Line-B 0 2 0"',
    );
    expect(() => FORMATS[TICTACTOE]!.configuration(pod("TicTacToe-Ultimate"))).toThrow(
      'TicTacToe-Classic configuration, line 1: expected a bare "TicTacToe-Classic", got "TicTacToe-Ultimate" with 0 integers, 0 values, 0 children',
    );
  });
});
