import { describe, expect, it } from "vitest";
import { connect4 } from "./games/connect4.ts";
import { four21Duo, four21Solo, read421View } from "./games/four21.ts";
import { FORMATS } from "./games/index.ts";
import { decodePod, encodePod, pod } from "./pod.ts";

// HackaGames' formats as docs/hackagames.md states them (HackaGames 0.5: hacka 0.5.3,
// hackagames 0.2.5), written out by hand: what our games send must be exactly this text, and
// what our players read must be this text. Exercise 02's test pins Tic-tac-toe the same way.

const lines = (...text: string[]) => text.join("\n");
const noDice = () => 0;
/** Dice that come up with these faces, in order (then 1s). */
const loaded = (...faces: number[]) => {
  const queue = [...faces];
  return () => ((queue.shift() ?? 1) - 1) / 6;
};

describe("HackaGames' formats, as the docs state them", () => {
  it("Connect 4: Connect4 7 6 at wake-up; seven columns from the bottom; a letter per action", () => {
    expect(encodePod(connect4.configuration())).toBe("8 2 0 0 : Connect4 7 6");
    // The docs' example: player 1 plays A, player 2 D, player 1 D.
    let state = connect4.start(noDice);
    for (const [seat, letter] of [
      [1, "A"],
      [2, "D"],
      [1, "D"],
    ] as const) {
      expect(connect4.check(state, seat, pod(letter))).toBeUndefined();
      state = connect4.play(state, seat, decodePod(`1 0 0 0 : ${letter}`), noDice);
    }
    const view = lines(
      "8 0 0 7 : Connect4",
      "8 6 0 0 : column-A 1 0 0 0 0 0",
      "8 6 0 0 : column-B 0 0 0 0 0 0",
      "8 6 0 0 : column-C 0 0 0 0 0 0",
      "8 6 0 0 : column-D 2 1 0 0 0 0",
      "8 6 0 0 : column-E 0 0 0 0 0 0",
      "8 6 0 0 : column-F 0 0 0 0 0 0",
      "8 6 0 0 : column-G 0 0 0 0 0 0",
    );
    for (const seat of [1, 2]) expect(encodePod(connect4.view(state, seat))).toBe(view);
    // Our players read that text, and answer with one of the seven letters.
    const format = FORMATS.Connect4!;
    format.configuration(decodePod("8 2 0 0 : Connect4 7 6"));
    expect(format.move("b", decodePod(view))).toEqual(pod("B"));
    for (const letter of "ABCDEFG") expect(connect4.check(state, 2, pod(letter))).toBeUndefined();
    for (const label of ["d", "4", "D ", "column-D"])
      expect(connect4.check(state, 2, pod(label))).toMatch(/is not a column/);
  });

  it("421 solo: a bare 421-Solo; Horizon, then Dices with their points; keep or roll per die", () => {
    expect(encodePod(four21Solo.configuration())).toBe("8 0 0 0 : 421-Solo");
    const state = four21Solo.start(loaded(6, 4, 1));
    const view = lines("8 0 0 2 : 421-Solo", "7 1 0 0 : Horizon 2", "5 3 1 0 : Dices 6 4 1 106.0");
    expect(encodePod(four21Solo.view(state, 1))).toBe(view);
    expect(read421View(decodePod(view))).toEqual({
      game: "421-Solo",
      horizon: 2,
      dice: [6, 4, 1],
      score: 106,
    });
    expect(four21Solo.check(state, 1, decodePod("14 0 0 0 : keep-keep-roll"))).toBeUndefined();
    expect(four21Solo.check(state, 1, pod("k-k-r"))).toMatch(/is not an action/);
  });

  it("421 duo: a bare 421-Duo; the Opponent's dice are 0 0 0 until it has played", () => {
    expect(encodePod(four21Duo.configuration())).toBe("7 0 0 0 : 421-Duo");
    let state = four21Duo.start(loaded(6, 4, 1));
    expect(encodePod(four21Duo.view(state, 1))).toBe(
      lines(
        "7 0 0 3 : 421-Duo",
        "7 1 0 0 : Horizon 2",
        "5 3 1 0 : Dices 6 4 1 106.0",
        "8 3 1 0 : Opponent 0 0 0 0.0",
      ),
    );
    state = four21Duo.play(state, 1, pod("keep-keep-keep"), loaded(2, 2, 1)); // player 2 rolls 2 2 1
    const second = lines(
      "7 0 0 3 : 421-Duo",
      "7 1 0 0 : Horizon 0",
      "5 3 1 0 : Dices 2 2 1 0.0",
      "8 3 1 0 : Opponent 6 4 1 106.0",
    );
    expect(encodePod(four21Duo.view(state, 2))).toBe(second);
    expect(read421View(decodePod(second)).opponent).toEqual({ dice: [6, 4, 1], score: 106 });
  });
});
