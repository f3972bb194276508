import { describe, expect, it } from "vitest";
import { encodePod, pod } from "../pod.ts";
import {
  combinationScore,
  type Dice,
  FOUR21_ACTIONS,
  four21Duo,
  four21Solo,
  parse421Move,
  read421View,
  render421,
} from "./four21.ts";
import type { Random } from "./rules.ts";

/** Dice that come up in the order given: a die showing n comes from (n - 0.5) / 6. */
const loadedDice = (...faces: number[]): Random => {
  const queue = [...faces];
  return () => {
    const face = queue.shift();
    if (face === undefined) throw new Error("the loaded dice ran out");
    return (face - 0.5) / 6;
  };
};

describe("421 scoring", () => {
  const table: [Dice, number][] = [
    [[4, 2, 1], 800],
    [[1, 1, 1], 600], // as HackaGames scores it (py421 engine), below 4-2-1
    [[6, 1, 1], 406],
    [[5, 5, 5], 305],
    [[6, 5, 4], 206],
    [[3, 2, 1], 203],
    [[2, 2, 1], 0],
    [[6, 4, 1], 106],
  ];
  for (const [dice, points] of table) {
    it(`scores ${dice.join("-")} at ${points}`, () => {
      expect(combinationScore(dice)).toBe(points);
      expect(combinationScore([...dice].reverse() as Dice)).toBe(points); // order does not matter
    });
  }
});

describe("421 solo rules", () => {
  it("rolls three dice, shows them sorted with two rolls left, and ends after the third roll", () => {
    let state = four21Solo.start(loadedDice(1, 6, 4));
    expect(encodePod(four21Solo.view(state, 1))).toBe(
      "8 0 0 2 : 421-Solo\n7 1 0 0 : Horizon 2\n5 3 1 0 : Dices 6 4 1 106.0",
    );
    expect(four21Solo.turn(state)).toBe(1);
    state = four21Solo.play(state, 1, pod("roll-keep-keep"), loadedDice(2));
    expect(state.dice).toEqual([4, 2, 1]);
    expect(four21Solo.turn(state)).toBe(1);
    state = four21Solo.play(state, 1, pod("keep-keep-roll"), loadedDice(3));
    expect(state.dice).toEqual([4, 3, 2]);
    expect(four21Solo.turn(state)).toBeUndefined(); // three rolls: over
    expect(four21Solo.scores(state)).toEqual([204]);
  });

  it("stops early on keep-keep-keep", () => {
    const state = four21Solo.play(
      four21Solo.start(loadedDice(4, 2, 1)),
      1,
      pod("keep-keep-keep"),
      loadedDice(),
    );
    expect(four21Solo.turn(state)).toBeUndefined();
    expect(four21Solo.scores(state)).toEqual([800]);
  });

  it("checks actions and says why one is refused", () => {
    const state = four21Solo.start(loadedDice(1, 2, 3));
    for (const action of FOUR21_ACTIONS)
      expect(four21Solo.check(state, 1, pod(action))).toBeUndefined();
    expect(four21Solo.check(state, 1, pod("keep-keep"))).toMatch(
      /"keep-keep" is not an action: say keep or roll for each die/,
    );
    expect(four21Solo.check(state, 2, pod("keep-keep-keep"))).toBe("it is not your turn");
  });

  it("passing leaves the dice as they are and ends the turn", () => {
    const state = four21Solo.pass(four21Solo.start(loadedDice(6, 6, 6)), 1, loadedDice());
    expect(four21Solo.turn(state)).toBeUndefined();
    expect(four21Solo.scores(state)).toEqual([306]);
  });
});

describe("421 duo rules", () => {
  it("gives player 2 no more rolls than player 1 used, then compares", () => {
    let state = four21Duo.start(loadedDice(6, 5, 3));
    state = four21Duo.play(state, 1, pod("keep-keep-roll"), loadedDice(4)); // 6-5-4: 206
    expect(four21Duo.turn(state)).toBe(1);
    state = four21Duo.play(state, 1, pod("keep-keep-keep"), loadedDice(2, 2, 1)); // player 2 rolls 2-2-1
    expect(four21Duo.turn(state)).toBe(2);
    const seen = read421View(four21Duo.view(state, 2));
    expect(seen).toEqual({
      game: "421-Duo",
      horizon: 1, // player 1 rolled twice, so player 2 may roll once more
      dice: [2, 2, 1],
      score: 0,
      opponent: { dice: [6, 5, 4], score: 206 },
    });
    state = four21Duo.play(state, 2, pod("roll-roll-roll"), loadedDice(4, 2, 1));
    expect(four21Duo.turn(state)).toBeUndefined();
    expect(four21Duo.scores(state)).toEqual([-1, 1]);
  });

  it("gives player 2 no decision at all when player 1 kept its first roll", () => {
    let state = four21Duo.start(loadedDice(4, 2, 1));
    state = four21Duo.play(state, 1, pod("keep-keep-keep"), loadedDice(4, 2, 1));
    expect(four21Duo.turn(state)).toBeUndefined();
    expect(four21Duo.scores(state)).toEqual([0, 0]); // same combination: a draw
  });

  it("refuses a move out of turn, and a forfeit gives the other player the win", () => {
    const state = four21Duo.start(loadedDice(1, 2, 3));
    expect(four21Duo.check(state, 2, pod("keep-keep-keep"))).toBe("it is not your turn");
    expect(four21Duo.forfeit(state, 1)).toEqual([-1, 1]);
    expect(four21Duo.forfeit(state, 2)).toEqual([1, -1]);
  });
});

describe("421 for players", () => {
  it("reads typed moves in several spellings", () => {
    expect(parse421Move("keep keep roll")).toEqual(pod("keep-keep-roll"));
    expect(parse421Move(" K R R ")).toEqual(pod("keep-roll-roll"));
    expect(parse421Move("rrk")).toEqual(pod("roll-roll-keep"));
    expect(parse421Move("keep roll")).toMatch(/type keep or roll for each of the three dice/);
  });

  it("draws the dice, their points and the rolls left", () => {
    const view = read421View(four21Solo.view(four21Solo.start(loadedDice(4, 2, 1)), 1));
    expect(render421(view).split("\n")).toEqual([
      " ┌───┐ ┌───┐ ┌───┐",
      " │ 4 │ │ 2 │ │ 1 │  800 points",
      " └───┘ └───┘ └───┘  2 rolls left",
    ]);
  });
});
