// Exercise 03: your seating rule for the hub. Today it is the hub's own (src/hub-seating.ts):
// "player" sits at the first open table. Make `player <game>` ask for a game by name (TASK.md).
import type { OpenTable, Seating } from "#src/hub-seating.ts";
import { JOIN } from "#src/protocol.ts";

export const seatByName: Seating = (request, tables, hubGame) => {
  if (request !== JOIN) return "refuse";
  const open = tables.find(
    (table: OpenTable) => table.free > 0 && (!hubGame || table.game === hubGame),
  );
  return open ?? "wait";
};
