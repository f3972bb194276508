// Which brain plays which game: a bot learns the game from the configuration Pod's label at
// wake-up ("421-Solo", "421-Duo", "Connect4") and looks up its strategy here.
import type { Random } from "../games/rules.ts";
import type { Pod } from "../pod.ts";
import { heuristicConnect4, randomConnect4 } from "./connect4.ts";
import { heuristic421, random421 } from "./four21.ts";

/** A player's decision: the action Pod for this perception. */
export type Brain = (state: Pod, seat: number, random: Random) => Pod;

export const STRATEGIES = ["random", "heuristic"] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const BRAINS: Record<string, Record<Strategy, Brain>> = {
  "421-Solo": { random: random421, heuristic: heuristic421 },
  "421-Duo": { random: random421, heuristic: heuristic421 },
  Connect4: { random: randomConnect4, heuristic: heuristicConnect4 },
};
