import { exerciseModule } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { Request } from "zeromq";
import { gameServerDefaults, runGameServer } from "#src/game-server.ts";
import { hubDefaults, runHub } from "#src/hub.ts";
import type { OpenTable } from "#src/hub-seating.ts";

const { seatByName }: typeof import("./solution/seating.ts") = await import(
  exerciseModule(import.meta.url, "seating.ts")
);

const table = (name: string, game: string, free: number): OpenTable => ({ name, game, free });
// The hub lists tables in the order they joined; the first open one is a Connect 4 table.
const tables = [
  table("c4-full", "connect4", 0),
  table("c4", "connect4", 2),
  table("duo", "421-duo", 1),
  table("solo-full", "421-solo", 0),
  table("ttt", "tictactoe-classic", 2),
];

describe("exercise 03: a player asks for a game by name", () => {
  it("a plain HackaGames 'player' is seated exactly as before (their players keep working)", () => {
    expect(seatByName("player", tables, "")).toBe(tables[1]);
    expect(seatByName("player", tables, "421-duo")).toBe(tables[2]);
    expect(seatByName("player", [tables[0]!], "")).toBe("wait");
  });

  it("'player <game>' sits at the first table of that game with a free seat, whatever the order", () => {
    expect(seatByName("player 421-duo", tables, "")).toBe(tables[2]);
    expect(seatByName("player tictactoe-classic", tables, "")).toBe(tables[4]);
    expect(seatByName("player connect4", tables, "")).toBe(tables[1]);
    const [, , duo] = tables;
    const second = table("duo-2", "421-duo", 2);
    expect(seatByName("player 421-duo", [{ ...duo!, free: 0 }, second], "")).toBe(second);
  });

  it("a game whose tables are all full waits; a game nobody hosts is refused at once", () => {
    expect(seatByName("player 421-solo", tables, "")).toBe("wait");
    expect(seatByName("player chess", tables, "")).toBe("refuse");
    expect(seatByName("player connect", tables, "")).toBe("refuse"); // a name, not a prefix
    expect(seatByName("player 421", tables, "")).toBe("refuse");
  });

  it("anything else is not a join; a hub with --game serves only that game", () => {
    for (const request of ["hello", "player ", "player  connect4", "players", "ready", ""]) {
      expect(seatByName(request, tables, ""), JSON.stringify(request)).toBe("refuse");
    }
    expect(seatByName("player connect4", tables, "421-duo")).toBe("refuse");
    expect(seatByName("player 421-duo", tables, "421-duo")).toBe(tables[2]);
  });

  it("through a real hub: asked for by name, 421 is played at the 421 table behind a Connect 4 one", async () => {
    const hub = startRole((options: typeof hubDefaults) => runHub(options, seatByName), {
      ...hubDefaults,
      bind: [EPHEMERAL],
      tables: [EPHEMERAL],
      heartbeatMs: 500,
    });
    const [players, tablesEndpoint] = await hub.ready;
    const server = (game: string, name: string) =>
      startRole(runGameServer, {
        ...gameServerDefaults,
        hub: tablesEndpoint!,
        heartbeatMs: 500,
        publish: [],
        game,
        name,
        games: 1,
        sessions: 1,
      });
    const c4 = server("connect4", "c4");
    await c4.ready; // first in the hub's list
    const solo = server("421-solo", "solo");
    await solo.ready;

    const player = new Request({ linger: 0 });
    player.connect(players!);
    const say = async (text: string) => {
      await player.send(text);
      return String((await player.receive())[0]);
    };
    expect(await say("player 421-solo")).toBe("yes");
    expect(await say("ready")).toBe("wake-up\nplayer 1 on 1\n8 0 0 0 : 421-Solo");
    expect(await say("ready")).toMatch(/^perception\n8 0 0 2 : 421-Solo\n/);
    expect(await say("14 0 0 0 : keep-keep-keep")).toMatch(/^sleep\nresult \d+\n/);
    expect(await say("ready")).toBe("stop");
    await solo.done;
    // A HackaGames player, unchanged, still finds the Connect 4 table.
    const plain = new Request({ linger: 0 });
    plain.connect(players!);
    await plain.send("player");
    expect(String((await plain.receive())[0])).toBe("yes");
    for (const socket of [player, plain]) socket.close();
    c4.stop();
    await c4.done;
    hub.stop();
    await hub.done;
  });
});
