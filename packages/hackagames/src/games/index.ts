// The games this server can run, by their --game name, and what players know of each game
// HackaGames has (ours and theirs), by the label of the configuration it sends at wake-up:
// how to check that configuration, draw a view, and read a typed move.
import type { Pod } from "../pod.ts";
import {
  CONNECT4,
  connect4,
  parseConnect4Move,
  readConnect4Configuration,
  readConnect4View,
  renderConnect4,
} from "./connect4.ts";
import { four21Duo, four21Solo, parse421Move, read421View, render421 } from "./four21.ts";
import type { AnyGame } from "./rules.ts";
import {
  parseTicTacToeMove,
  readTicTacToeView,
  renderTicTacToe,
  TICTACTOE,
} from "./tictactoe-view.ts";
import { ViewError } from "./view.ts";

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

/** What a player knows of one game's format. Each function throws a ViewError on a bad Pod. */
export interface GameFormat {
  /** Checks the configuration sent at wake-up. */
  configuration(configuration: Pod): void;
  /** The view drawn for people: a few lines. */
  draw(state: Pod): string;
  /** What to type, for the prompt. */
  hint: string;
  /** A typed move as an action, or why it is not one. */
  move(typed: string, state: Pod): Pod | string;
}

const bareLabel = (label: string) => (configuration: Pod) => {
  const { integers, values, children } = configuration;
  if (configuration.label !== label || integers.length + values.length + children.length > 0) {
    throw new ViewError(
      `${label} configuration, line 1: expected a bare "${label}", got ${JSON.stringify(configuration.label)} with ${integers.length} integers, ${values.length} values, ${children.length} children`,
    );
  }
};

const DICE_HINT = "keep or roll each die (e.g. keep keep roll, or kkr)";

export const FORMATS: Record<string, GameFormat> = {
  "421-Solo": {
    configuration: bareLabel("421-Solo"),
    draw: (state) => render421(read421View(state)),
    hint: DICE_HINT,
    move: (typed) => parse421Move(typed),
  },
  "421-Duo": {
    configuration: bareLabel("421-Duo"),
    draw: (state) => render421(read421View(state)),
    hint: DICE_HINT,
    move: (typed) => parse421Move(typed),
  },
  [CONNECT4]: {
    configuration: readConnect4Configuration,
    draw: (state) => renderConnect4(readConnect4View(state)),
    hint: "a column, A to G",
    move: (typed, state) => parseConnect4Move(typed, readConnect4View(state)),
  },
  [TICTACTOE]: {
    configuration: bareLabel(TICTACTOE),
    draw: (state) => renderTicTacToe(readTicTacToeView(state)),
    hint: "a line and a cell, e.g. B-2",
    move: (typed, state) => parseTicTacToeMove(typed, readTicTacToeView(state)),
  },
};

/** The view drawn for people, by the game's configuration label; undefined for a game we do not know. */
export function drawView(game: string, state: Pod): string | undefined {
  return FORMATS[game]?.draw(state);
}
