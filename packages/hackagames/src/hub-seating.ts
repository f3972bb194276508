// The hub's seating rule, on its own so it can be read (and changed, in exercise 03) alone:
// given a newcomer's first request and the tables that are up, which table seats it.
// Used by: hub.ts.
import { JOIN } from "./protocol.ts";

/** A table as the seating rule sees it. */
export interface OpenTable {
  /** The table's --name. */
  name: string;
  /** The game it hosts, by its --game name (connect4, 421-solo, 421-duo). */
  game: string;
  /** Seats it can fill now. */
  free: number;
}

/**
 * A table to seat the newcomer at; "wait" to hold its request until a seat frees up (a REQ
 * player simply waits for its reply); "refuse" when the request is not a join at all (it is
 * answered "nop", as a HackaGames game answers anything but "player" from a stranger).
 */
export type Seating = (
  request: string,
  tables: readonly OpenTable[],
  hubGame: string,
) => OpenTable | "wait" | "refuse";

// #region seating
/**
 * The rule: a plain HackaGames "player" is seated at the first table, in the order tables
 * joined the hub, that has a free seat and hosts the hub's --game (any game when --game is "").
 */
export const seatAtFirstOpenTable: Seating = (request, tables, hubGame) => {
  if (request !== JOIN) return "refuse";
  const open = tables.find((table) => table.free > 0 && (!hubGame || table.game === hubGame));
  return open ?? "wait";
};
// #endregion
