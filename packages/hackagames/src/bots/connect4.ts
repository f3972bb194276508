// Two Connect 4 players' brains, as pure functions of the perception: no sockets here.
// They think in column numbers (1 to 7) and answer with the column's letter (A to G).
import {
  columnLetter,
  drop,
  type Grid,
  legalColumns,
  readConnect4View,
  winnerOf,
} from "../games/connect4.ts";
import type { Random } from "../games/rules.ts";
import { type Pod, pod } from "../pod.ts";

const pick = <T>(items: T[], random: Random): T => items[Math.floor(random() * items.length)]!;

/** Any column with room, at random. */
export const randomConnect4 = (state: Pod, _seat: number, random: Random): Pod =>
  pod(columnLetter(pick(legalColumns(readConnect4View(state)), random)));

const winsWith = (grid: Grid, column: number, seat: number): boolean =>
  winnerOf(drop(grid, column, seat)) === seat;

/**
 * Wins if it can, else blocks the opponent's winning column, else avoids columns that hand the
 * opponent a win, preferring the middle (more lines of four go through it).
 */
export function heuristicConnect4(state: Pod, seat: number, random: Random): Pod {
  const grid = readConnect4View(state);
  const opponent = seat === 1 ? 2 : 1;
  const legal = legalColumns(grid);
  const choose = (column: number) => pod(columnLetter(column));

  const winning = legal.find((column) => winsWith(grid, column, seat));
  if (winning) return choose(winning);
  const blocking = legal.find((column) => winsWith(grid, column, opponent));
  if (blocking) return choose(blocking);

  const safe = legal.filter((column) => {
    const after = drop(grid, column, seat);
    return legalColumns(after).every((reply) => !winsWith(after, reply, opponent));
  });
  const candidates = safe.length > 0 ? safe : legal;
  const distance = (column: number) => Math.abs(column - 4);
  const best = Math.min(...candidates.map(distance));
  return choose(
    pick(
      candidates.filter((column) => distance(column) === best),
      random,
    ),
  );
}
