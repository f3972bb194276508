// The games this server can run, by their --game name, and how a player recognises each one
// from the configuration Pod it gets at wake-up.
import type { Pod } from "../pod.ts";
import { connect4, readConnect4View, renderConnect4 } from "./connect4.ts";
import { four21Duo, four21Solo, read421View, render421 } from "./four21.ts";
import type { AnyGame } from "./rules.ts";

export const GAMES: Record<string, AnyGame> = {
  "421-solo": four21Solo,
  "421-duo": four21Duo,
  connect4,
};

/** The game named on the command line; throws with the known names otherwise. */
export function gameNamed(name: string): AnyGame {
  const game = GAMES[name];
  if (!game) throw new Error(`no game "${name}"; choose one of: ${Object.keys(GAMES).join(", ")}`);
  return game;
}

/** A state Pod as text for people (a 421 line, a Connect 4 grid), or undefined if unknown. */
export function renderState(state: Pod): string | undefined {
  if (state.label.startsWith("421-")) return render421(read421View(state));
  if (state.label === "Connect4") return renderConnect4(readConnect4View(state));
  return undefined;
}
