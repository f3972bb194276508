// Exercise 01, reference solution: win, else block, else avoid handing over a win, else middle.
import {
  columnLetter,
  drop,
  type Grid,
  legalColumns,
  readConnect4View,
  winnerOf,
} from "#src/games/connect4.ts";
import type { Random } from "#src/games/rules.ts";
import { type Pod, pod } from "#src/pod.ts";

const winsWith = (grid: Grid, column: number, seat: number) =>
  winnerOf(drop(grid, column, seat)) === seat;

export function smarterConnect4(state: Pod, seat: number, random: Random): Pod {
  const grid = readConnect4View(state);
  const opponent = seat === 1 ? 2 : 1;
  const legal = legalColumns(grid);
  const winning = legal.find((column) => winsWith(grid, column, seat));
  const blocking = legal.find((column) => winsWith(grid, column, opponent));
  if (winning ?? blocking) return pod(columnLetter((winning ?? blocking)!));
  // A move is safe when no reply of the opponent wins at once.
  const safe = legal.filter((column) => {
    const after = drop(grid, column, seat);
    return !legalColumns(after).some((reply) => winsWith(after, reply, opponent));
  });
  const choices = safe.length > 0 ? safe : legal;
  const closest = Math.min(...choices.map((column) => Math.abs(column - 4)));
  const middle = choices.filter((column) => Math.abs(column - 4) === closest);
  return pod(columnLetter(middle[Math.floor(random() * middle.length)]!));
}
