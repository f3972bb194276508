// What a game is for the game server: pure rules, no sockets. The server asks whose turn it is,
// shows that player its view (a Pod), checks the action it sends back, plays it, and scores.
// Seats are numbered from 1, as HackaGames numbers its players.
import type { Pod } from "../pod.ts";

/** A source of numbers in [0, 1), like Math.random; seeded in tests so dice are repeatable. */
export type Random = () => number;

export interface GameRules<State> {
  /** Name on the command line: `--game connect4`. */
  name: string;
  players: number;
  /** Sent at wake-up; its label tells a player which game it is in (e.g. "Connect4"). */
  configuration(): Pod;
  start(random: Random): State;
  /** The seat whose turn it is, or undefined when the game is over. */
  turn(state: State): number | undefined;
  /** What `seat` sees of the state: the body of its perception (and of its sleep). */
  view(state: State, seat: number): Pod;
  /** The legal-move checker: why `action` is not allowed for `seat` now, or undefined. */
  check(state: State, seat: number, action: Pod): string | undefined;
  /** Plays a checked action. */
  play(state: State, seat: number, action: Pod, random: Random): State;
  /** The turn passes without a move (the player missed its deadline). */
  pass(state: State, seat: number, random: Random): State;
  /** Each seat's score once the game is over, by seat (index 0 is seat 1). */
  scores(state: State): number[];
  /** The scores when `seat` forfeits: it loses, every other seat wins. */
  forfeit(state: State, seat: number): number[];
  /** The action in words, for logs and spectators ("drops a disc in column 4"). */
  describe(action: Pod): string;
}

/**
 * A game whose State type the caller does not need to know. (Methods are compared loosely by
 * TypeScript, so a GameRules<Connect4State> is a GameRules<unknown>; the server only passes back
 * the states the game itself made.)
 */
export type AnyGame = GameRules<unknown>;

/** A small seeded generator (mulberry32): the same seed gives the same dice. 0 = Math.random. */
export function seededRandom(seed: number): Random {
  if (seed === 0) return Math.random;
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number from 1 to `sides`. */
export const roll = (random: Random, sides = 6): number => 1 + Math.floor(random() * sides);

/** Scores for a forfeit in a two-player game: the forfeiting seat -1, the other +1. */
export const forfeitDuel = (seat: number): number[] => (seat === 1 ? [-1, 1] : [1, -1]);
