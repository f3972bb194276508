// Exercise 03, a reference: `player <game>` asks for a game by name; a plain "player" (what every
// HackaGames player sends) is seated as the hub always did, so their players keep working.
import { type Seating, seatAtFirstOpenTable } from "#src/hub-seating.ts";
import { JOIN } from "#src/protocol.ts";

/** `player <game>`: the game's --game name, as tables announce it. */
const askingFor = new RegExp(`^${JOIN} ([\\w.-]+)$`);

export const seatByName: Seating = (request, tables, hubGame) => {
  if (request === JOIN) return seatAtFirstOpenTable(request, tables, hubGame);
  const wanted = askingFor.exec(request)?.[1];
  if (!wanted) return "refuse"; // not a join at all
  if (hubGame && wanted !== hubGame) return "refuse"; // this hub serves one game only
  const hosting = tables.filter((table) => table.game === wanted);
  if (hosting.length === 0) return "refuse"; // nobody hosts it: waiting would be for ever
  return hosting.find((table) => table.free > 0) ?? "wait"; // full for now: a seat will free up
};
