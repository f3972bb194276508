// Two 421 players' brains, as pure functions of the perception: no sockets here.
import { FOUR21_ACTIONS, read421View } from "../games/four21.ts";
import type { Random } from "../games/rules.ts";
import { type Pod, pod } from "../pod.ts";

/** Any of the eight actions, at random. */
export const random421 = (_state: Pod, _seat: number, random: Random): Pod =>
  pod(FOUR21_ACTIONS[Math.floor(random() * FOUR21_ACTIONS.length)]!);

/**
 * Goes for 4-2-1: keeps one 4, one 2 and one 1 and rolls the rest; stops on two aces or better,
 * or (second player) as soon as it beats the opponent's dice.
 */
export function heuristic421(state: Pod): Pod {
  const view = read421View(state);
  const beatsOpponent = view.opponent !== undefined && view.score > view.opponent.score;
  if (view.score >= 400 || beatsOpponent) return pod("keep-keep-keep");
  const wanted = [4, 2, 1];
  const choices = view.dice.map((die) => {
    const index = wanted.indexOf(die);
    if (index < 0) return "roll";
    wanted.splice(index, 1); // keep only one of each
    return "keep";
  });
  return pod(choices.join("-"));
}
