import { PassThrough } from "node:stream";
import { EPHEMERAL, runRoleProcess } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Router } from "zeromq";
import { botDefaults, runBot } from "./bot.ts";
import { humanDefaults, runHuman } from "./human.ts";
import type { PlayerSummary } from "./player.ts";

/**
 * A game that breaks HackaGames' format: a ROUTER answering a player's requests, in order,
 * with `replies` (then holding its last request). It records what the player sent, and
 * whether the player left (its connection closed).
 */
async function fakeGame(replies: string[]) {
  const router = new Router({ linger: 0 });
  await router.bind(EPHEMERAL);
  const heard: string[] = [];
  let markLeft = () => {};
  const left = new Promise<void>((resolve) => {
    markLeft = resolve;
  });
  router.events.on("disconnect", () => markLeft());
  const serving = (async () => {
    for await (const [id, , body] of router) {
      heard.push(String(body));
      const reply = replies[heard.length - 1];
      if (reply !== undefined) await router.send([id!, "", reply]);
    }
  })();
  return {
    endpoint: router.lastEndpoint!,
    heard,
    left,
    close: async () => {
      router.close();
      await serving;
    },
  };
}

const JOINED = ["yes"];
const connect4WakeUp = "wake-up\nplayer 1 on 2\n8 2 0 0 : Connect4 7 6";
/** The first three of the seven columns a Connect 4 view announces: the rest never came. */
const truncatedView = [
  "perception",
  "8 0 0 7 : Connect4",
  "8 6 0 0 : column-A 0 0 0 0 0 0",
  "8 6 0 0 : column-B 0 0 0 0 0 0",
  "8 6 0 0 : column-C 0 0 0 0 0 0",
].join("\n");
/** Connect 4 as this package sent it before HackaGames' format: rows, not columns. */
const rowsView = [
  "perception",
  "8 2 0 6 : Connect4 7 6",
  ...Array(6).fill("4 7 0 0 : Line 0 0 0 0 0 0 0"),
].join("\n");

/** What each player must say, in one E: line, for each thing a game may send it. */
const cases = [
  {
    what: "a foreign game (HackaGames' Ultimate Tic-tac-toe)",
    replies: [...JOINED, "wake-up\nplayer 1 on 2\n18 0 0 0 : TicTacToe-Ultimate"],
    bot: 'cannot read the TicTacToe-Ultimate configuration: line 1: expected one of the games this bot plays (421-Solo, 421-Duo, Connect4), got "TicTacToe-Ultimate"; leaving the game',
  },
  {
    what: "a Connect 4 view in a foreign format (rows)",
    replies: [...JOINED, connect4WakeUp, rowsView],
    both: 'cannot read the Connect4 perception: Connect4 view, line 2: expected "column-A" with 6 cells (0 empty, 1 or 2 a disc), got "4 7 0 0 : Line 0 0 0 0 0 0 0"; leaving the game',
  },
  {
    what: "a truncated view",
    replies: [...JOINED, connect4WakeUp, truncatedView],
    both: "cannot read the Connect4 perception: not a Pod: line 5: missing (a node was announced); leaving the game",
  },
  {
    what: "a configuration that is not Connect 4's",
    replies: [...JOINED, "wake-up\nplayer 1 on 2\n8 2 0 0 : Connect4 9 9"],
    both: 'cannot read the Connect4 configuration: Connect4 configuration, line 1: expected "Connect4 7 6", got "Connect4 9 9"; leaving the game',
  },
  {
    what: "garbage instead of a message",
    replies: ["\u00a7\u00a7 garbage \u00a7\u00a7"],
    both: `cannot read the game's reply: line 1: expected yes, nop, wake-up, perception, sleep or stop, got "\u00a7\u00a7 garbage \u00a7\u00a7"; leaving the game`,
  },
  {
    what: "garbage instead of a view",
    replies: [...JOINED, connect4WakeUp, "perception\n%%%"],
    both: `cannot read the Connect4 perception: not a Pod: line 1: expected "<label length> <integers> <values> <children> : <label> ...", got "%%%"; leaving the game`,
  },
];

/** Runs a player against the fake game; returns its summary, its E: lines and what it sent. */
async function play(replies: string[], player: (endpoint: string) => Promise<PlayerSummary>) {
  const errors: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => {
    errors.push(parts.join(" "));
  });
  const game = await fakeGame(replies);
  try {
    const summary = await player(game.endpoint);
    await game.left; // it closed its socket: its seat is free
    return { summary, errors, heard: game.heard };
  } finally {
    await game.close();
  }
}

/** A keyboard that types `lines` and stays open (as a person at a terminal would). */
function keyboard(lines: string[] = []) {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = "";
  output.on("data", (chunk: Buffer) => {
    screen += chunk.toString();
  });
  input.write(lines.map((line) => `${line}\n`).join(""));
  return { terminal: { input, output }, screen: () => screen };
}

describe("players never crash on what a game sends: one error line, they leave", () => {
  afterEach(() => vi.restoreAllMocks());

  for (const { what, replies, bot, both } of cases) {
    const expected = bot ?? both!;
    it(`bot: ${what}`, async () => {
      const run = (endpoint: string) => runBot({ ...botDefaults, connect: [endpoint] });
      const { summary, errors } = await play(replies, run);
      expect(summary.ended).toBe("unreadable");
      expect(errors).toEqual([`[bot] E: ${expected}`]);
    });
    if (!both) continue;
    it(`human: ${what}`, async () => {
      const keys = keyboard();
      const run = (endpoint: string) =>
        runHuman({ ...humanDefaults, connect: [endpoint] }, keys.terminal);
      const { summary, errors } = await play(replies, run);
      expect(summary.ended).toBe("unreadable");
      expect(errors).toEqual([`[human] E: ${both}`]);
    });
  }

  it("human: a game it does not know is shown as it came, and the typed label is the action", async () => {
    const keys = keyboard(["A-1"]);
    const foreign = ["perception", "4 0 0 1 : Grid", "6 3 0 0 : Line-A 0 0 0"].join("\n");
    const replies = [
      ...JOINED,
      "wake-up\nplayer 1 on 2\n18 0 0 0 : TicTacToe-Ultimate",
      foreign,
      "stop",
    ];
    const { summary, heard } = await play(replies, (endpoint) =>
      runHuman({ ...humanDefaults, connect: [endpoint] }, keys.terminal),
    );
    expect(summary).toEqual({ results: [], ended: "stop" });
    expect(keys.screen()).toContain(
      "the state, as the game sent it:\n4 0 0 1 : Grid\n6 3 0 0 : Line-A 0 0 0\nyour action (a label): ",
    );
    expect(heard).toEqual(["player", "ready", "ready", "3 0 0 0 : A-1"]);
  });

  it("as processes: the bot and the human exit 1 with one E: line and no stack trace", async () => {
    const games = await Promise.all(
      ["bot", "human"].map(() => fakeGame([...JOINED, connect4WakeUp, truncatedView])),
    );
    try {
      const results = await Promise.all(
        (["bot", "human"] as const).map(
          (role, i) => runRoleProcess(`src/${role}.ts`, ["--connect", games[i]!.endpoint]).exited,
        ),
      );
      for (const [i, role] of (["bot", "human"] as const).entries()) {
        const result = results[i]!;
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr.trim().split("\n")).toEqual([
          `[${role}] E: cannot read the Connect4 perception: not a Pod: line 5: missing (a node was announced); leaving the game`,
        ]);
        expect(result.stdout).not.toMatch(/Error|\n\s+at /);
      }
    } finally {
      await Promise.all(games.map((game) => game.close()));
    }
  });
});
