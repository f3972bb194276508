// Exercise 01: a Connect 4 bot that beats the random one.
// The task is in TASK.md. Check your work: pnpm --filter hackagames exercise 01
import type { Random } from "#src/games/rules.ts";
import type { Pod } from "#src/pod.ts";

export function smarterConnect4(state: Pod, seat: number, random: Random): Pod {
  // TODO: read the grid (readConnect4View), choose a column with room, return
  // pod(columnLetter(column)).
  void random;
  throw new Error(`exercise 01 is not done yet (seat ${seat}, state ${state.label})`);
}
