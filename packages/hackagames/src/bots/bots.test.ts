import { describe, expect, it } from "vitest";
import { connect4, drop, emptyGrid } from "../games/connect4.ts";
import { four21Duo, four21Solo } from "../games/four21.ts";
import { seededRandom } from "../games/rules.ts";
import { pod } from "../pod.ts";
import { playInArena } from "./arena.ts";
import { heuristicConnect4, randomConnect4 } from "./connect4.ts";
import { heuristic421, random421 } from "./four21.ts";

const view = (grid: number[][]) => connect4.view({ grid, next: 1, winner: 0 }, 1);
const random = seededRandom(3);

describe("Connect 4 bots", () => {
  it("heuristic: takes a winning column when it has one", () => {
    let grid = emptyGrid();
    for (const column of [1, 2, 3]) grid = drop(grid, column, 1);
    expect(heuristicConnect4(view(grid), 1, random)).toEqual(pod("D"));
  });

  it("heuristic: blocks the opponent's winning column", () => {
    let grid = emptyGrid();
    for (const column of [5, 6, 7]) grid = drop(grid, column, 2);
    expect(heuristicConnect4(view(grid), 1, random)).toEqual(pod("D"));
  });

  it("random: only ever plays legal columns (a whole game of it stays legal)", () => {
    expect(() => playInArena(connect4, [randomConnect4, randomConnect4], 20)).not.toThrow();
  });

  it("heuristic beats random over 40 games", () => {
    const [heuristic, randomTotal] = playInArena(connect4, [heuristicConnect4, randomConnect4], 40);
    expect(heuristic).toBeGreaterThan(30); // a win is +1, a loss -1
    expect(heuristic! + randomTotal!).toBe(0);
  });
});

describe("421 bots", () => {
  it("heuristic: keeps 4-2-1 pieces and rolls the rest; stops on a good hand", () => {
    const state = (dice: number[], score: number) =>
      pod("421-Solo", [], [], [pod("Horizon", [2]), pod("Dices", dice, [score])]);
    expect(heuristic421(state([6, 4, 1], 106))).toEqual(pod("roll-keep-keep"));
    expect(heuristic421(state([2, 2, 2], 302))).toEqual(pod("keep-roll-roll"));
    expect(heuristic421(state([4, 2, 1], 800))).toEqual(pod("keep-keep-keep"));
    expect(heuristic421(state([5, 1, 1], 405))).toEqual(pod("keep-keep-keep"));
  });

  it("random: plays one of the eight actions", () => {
    const state = four21Solo.view(four21Solo.start(random), 1);
    expect(
      four21Solo.check(four21Solo.start(random), 1, random421(state, 1, random)),
    ).toBeUndefined();
  });

  it("heuristic scores more than random at 421 solo and wins the duel", () => {
    const [heuristicPoints] = playInArena(four21Solo, [heuristic421], 200);
    const [randomPoints] = playInArena(four21Solo, [random421], 200);
    expect(heuristicPoints!).toBeGreaterThan(randomPoints!);
    const [heuristicWins, randomWins] = playInArena(four21Duo, [heuristic421, random421], 200);
    expect(heuristicWins!).toBeGreaterThan(randomWins!);
  });
});
