import { EPHEMERAL, runRoleProcess, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request } from "zeromq";
import { botDefaults, runBot } from "./bot.ts";
import { gameServerDefaults, runGameServer, type SessionReport } from "./game-server.ts";
import type { PlayerSummary } from "./player.ts";
import { MAX_MESSAGE_BYTES, MAX_REQUEST_BYTES } from "./protocol.ts";

const quickServer = {
  ...gameServerDefaults,
  bind: [EPHEMERAL],
  publish: [EPHEMERAL],
  sessions: 1,
  moveTimeoutMs: 10_000,
  seed: 42,
};

const bot = (endpoint: string, strategy: string, name: string, seed = 1) =>
  runBot({ ...botDefaults, connect: [endpoint], strategy, name, seed });

/** A plain REQ socket, as a HackaGames player in any language would open it. */
function plainPlayer(endpoint: string): Request {
  const socket = new Request({ linger: 0 });
  socket.connect(endpoint);
  return socket;
}

/** One request, one reply: the whole REQ lockstep. */
async function say(socket: Request, ...frames: (string | Buffer)[]): Promise<string> {
  await socket.send(frames);
  const [reply] = await socket.receive();
  return String(reply);
}

/** Every player's results, game by game, are its seat's scores in the server's report. */
function expectConsistent(report: SessionReport, summaries: PlayerSummary[]): void {
  const resultsByPlayer = report.totals.map((_, i) =>
    report.games.map((game) => game.scores[game.seats.indexOf(i + 1)]!),
  );
  expect(summaries.map((summary) => summary.results).sort()).toEqual([...resultsByPlayer].sort());
  resultsByPlayer.forEach((results, i) => {
    expect(report.totals[i]).toBe(results.reduce((a, b) => a + b, 0));
  });
  for (const summary of summaries) expect(summary.ended).toBe("stop");
}

/** Records what the roles in this process log, and waits for a line (no sleeping). */
function watchLog() {
  const lines: string[] = [];
  const watchers: { pattern: RegExp; found: () => void }[] = [];
  const print = console.log;
  vi.spyOn(console, "log").mockImplementation((...parts: unknown[]) => {
    const line = parts.join(" ");
    lines.push(line);
    print(line);
    for (const watcher of watchers.filter((w) => w.pattern.test(line))) {
      watchers.splice(watchers.indexOf(watcher), 1);
      watcher.found();
    }
  });
  return {
    text: () => lines.join("\n"),
    waitFor: (pattern: RegExp) =>
      lines.some((line) => pattern.test(line))
        ? Promise.resolve()
        : new Promise<void>((found) => watchers.push({ pattern, found })),
  };
}

describe("game server: whole sessions between bots", () => {
  it("connect4: 3 games, seats rotate, every result matches the server's scores", async () => {
    const server = startRole(runGameServer, { ...quickServer, game: "connect4", games: 3 });
    const [endpoint] = await server.ready;
    const summaries = await Promise.all([
      bot(endpoint!, "heuristic", "heuristic"),
      bot(endpoint!, "random", "random", 2),
    ]);
    const [report] = await server.done;
    expect(report!.games.map((game) => game.seats)).toEqual([
      [1, 2],
      [2, 1],
      [1, 2],
    ]);
    for (const game of report!.games) {
      expect(game.scores[0]! + game.scores[1]!).toBe(0); // a win, a loss, or a draw
      expect(game.moves.map((move) => move.seat)).toEqual(game.moves.map((_, i) => (i % 2) + 1));
    }
    expectConsistent(report!, summaries);
  });

  it("421-duo: 4 games between a heuristic and a random bot", async () => {
    const server = startRole(runGameServer, { ...quickServer, game: "421-duo", games: 4 });
    const [endpoint] = await server.ready;
    const summaries = await Promise.all([
      bot(endpoint!, "heuristic", "heuristic"),
      bot(endpoint!, "random", "random", 2),
    ]);
    const [report] = await server.done;
    expect(report!.games).toHaveLength(4);
    expectConsistent(report!, summaries);
  });

  it("421-solo: a lone bot's results are its points", async () => {
    const server = startRole(runGameServer, { ...quickServer, game: "421-solo", games: 3 });
    const [endpoint] = await server.ready;
    const summary = await bot(endpoint!, "heuristic", "solo");
    const [report] = await server.done;
    expect(summary.results).toEqual(report!.games.map((game) => game.scores[0]));
    for (const points of summary.results) expect(points).toBeGreaterThanOrEqual(0);
    expectConsistent(report!, [summary]);
  });
});

describe("game server: a player speaking the text protocol by hand", () => {
  it("joins, is refused a malformed action with a reason, and plays two games of 421", async () => {
    const server = startRole(runGameServer, { ...quickServer, game: "421-solo", games: 2 });
    const [endpoint] = await server.ready;
    const player = plainPlayer(endpoint!);

    expect(await say(player, "player")).toBe("yes");
    expect(await say(player, "ready")).toBe("wake-up\nplayer 1 on 1\n8 0 0 0 : 421-Solo");
    const first = await say(player, "ready");
    expect(first).toMatch(
      /^perception\n8 0 0 2 : 421-Solo\n7 1 0 0 : Horizon 2\n5 3 1 0 : Dices \d \d \d \d+\.0$/,
    );
    // Not a Pod: the same perception comes back, with an error node as its last child.
    const refused = await say(player, "keep-keep-roll");
    expect(refused).toMatch(/^perception\n8 0 0 3 : 421-Solo\n/);
    expect(refused).toMatch(/ : error the action is not a Pod: line 1: expected/);
    expect(await say(player, "14 0 0 0 : keep-keep-roll")).toMatch(/\n7 1 0 0 : Horizon 1\n/);
    const slept = await say(player, "14 0 0 0 : keep-keep-keep");
    expect(slept).toMatch(/^sleep\nresult \d+\n8 0 0 2 : 421-Solo\n7 1 0 0 : Horizon 0\n/);

    expect(await say(player, "ready")).toBe("wake-up\nplayer 1 on 1\n8 0 0 0 : 421-Solo");
    expect(await say(player, "ready")).toMatch(/^perception\n/);
    expect(await say(player, "14 0 0 0 : keep-keep-keep")).toMatch(/^sleep\nresult /);
    expect(await say(player, "ready")).toBe("stop");
    player.close();

    const [report] = await server.done;
    expect(report!.games.map((game) => game.moves.length)).toEqual([2, 1]);
  });
});

describe("game server: a Connect 4 player speaking the text protocol by hand", () => {
  it("plays a whole game with letter actions, reading HackaGames' columns from the text", async () => {
    const server = startRole(runGameServer, { ...quickServer, game: "connect4", games: 1 });
    const [endpoint] = await server.ready;
    const player = plainPlayer(endpoint!);
    expect(await say(player, "player")).toBe("yes"); // player 1: seat 1, plays O, starts
    const opponent = bot(endpoint!, "random", "opponent", 5);
    expect(await say(player, "ready")).toBe("wake-up\nplayer 1 on 2\n8 2 0 0 : Connect4 7 6");

    // A column line, written from the docs: "8 6 0 0 : column-<letter>" then six cells.
    const columnLine = /^8 6 0 0 : column-([A-G]) ([012]) ([012]) ([012]) ([012]) ([012]) ([012])$/;
    /** The columns of a perception or sleep, checked line by line: letter -> cells, bottom first. */
    const readColumns = (body: string[]) => {
      expect(body[0]).toBe("8 0 0 7 : Connect4");
      expect(body).toHaveLength(8);
      return body.slice(1).map((line, i) => {
        const match = columnLine.exec(line);
        expect(match, line).not.toBeNull();
        expect(match![1]).toBe("ABCDEFG"[i]);
        return match!.slice(2).map(Number);
      });
    };
    const discs = (columns: number[][]) => columns.flat().filter((cell) => cell !== 0).length;

    const sent: string[] = [];
    let reply = await say(player, "ready");
    while (reply.startsWith("perception\n")) {
      const columns = readColumns(reply.split("\n").slice(1));
      expect(discs(columns)).toBe(sent.length * 2); // ours and the opponent's, nothing else
      // The leftmost column with room: its top cell (the sixth) is empty.
      const letter = "ABCDEFG"[columns.findIndex((cells) => cells[5] === 0)]!;
      sent.push(letter);
      reply = await say(player, `1 0 0 0 : ${letter}`);
    }
    const [command, result, ...finalView] = reply.split("\n");
    expect(command).toBe("sleep");
    expect(result).toMatch(/^result (1|0|-1)$/);
    const final = readColumns(finalView);
    expect(await say(player, "ready")).toBe("stop");
    player.close();
    await opponent;

    const [report] = await server.done;
    const game = report!.games[0]!;
    expect(game.moves.filter((move) => move.seat === 1).map((move) => move.action)).toEqual(sent);
    expect(game.moves.every((move) => /^[A-G]$/.test(move.action))).toBe(true);
    expect(discs(final)).toBe(game.moves.length);
    expect(result).toBe(`result ${game.scores[0]}`);
  });
});

describe("game server: players who break the rules, while the others finish", () => {
  afterEach(() => vi.restoreAllMocks());

  it("an illegal action is re-asked with the reason, and the third one forfeits the game", async () => {
    const log = watchLog();
    const server = startRole(runGameServer, { ...quickServer, game: "connect4", games: 1 });
    const [endpoint] = await server.ready;
    const cheat = plainPlayer(endpoint!);
    expect(await say(cheat, "player")).toBe("yes"); // player 1: seat 1 in game 1
    const opponent = bot(endpoint!, "heuristic", "heuristic");
    expect(await say(cheat, "ready")).toMatch(/^wake-up\nplayer 1 on 2\n8 2 0 0 : Connect4 7 6$/);
    expect(await say(cheat, "ready")).toMatch(/^perception\n8 0 0 7 : Connect4\n/);
    const again = await say(cheat, "1 0 0 0 : 4");
    expect(again).toMatch(/^perception\n8 0 0 8 : Connect4\n/);
    expect(again).toContain('error "4" is not a column: send a column letter from A to G');
    expect(await say(cheat, "1 0 0 0 : d")).toContain('error "d" is not a column');
    expect(await say(cheat, "1 0 0 0 : H")).toMatch(/^sleep\nresult -1\n/);
    expect(await say(cheat, "ready")).toBe("stop");
    cheat.close();

    expect((await opponent).results).toEqual([1]);
    const [report] = await server.done;
    expect(report!.games[0]!.forfeit).toEqual({ seat: 1, reason: "3 invalid actions" });
    expect(log.text()).toContain("seat 1 (player 1) sent a refused action (3/3)");
  });

  it("with --plain-refusals, a refused action is asked again with the unchanged perception", async () => {
    const server = startRole(runGameServer, {
      ...quickServer,
      game: "connect4",
      games: 1,
      plainRefusals: true,
    });
    const [endpoint] = await server.ready;
    const cheat = plainPlayer(endpoint!);
    expect(await say(cheat, "player")).toBe("yes");
    const opponent = bot(endpoint!, "random", "opponent");
    await say(cheat, "ready"); // wake-up
    const first = await say(cheat, "ready");
    expect(first).toMatch(/^perception\n8 0 0 7 : Connect4\n/);
    // Asked again exactly as before, as HackaGames' games do; the third refusal forfeits.
    expect(await say(cheat, "1 0 0 0 : a")).toBe(first);
    expect(await say(cheat, "1 0 0 0 : 4")).toBe(first);
    expect(await say(cheat, "1 0 0 0 : H")).toMatch(/^sleep\nresult -1\n/);
    expect(await say(cheat, "ready")).toBe("stop");
    cheat.close();
    expect((await opponent).results).toEqual([1]);
    const [report] = await server.done;
    expect(report!.games[0]!.forfeit).toEqual({ seat: 1, reason: "3 invalid actions" });
  });

  it("a player who never answers loses its turns, then the game; the other finishes", async () => {
    const server = startRole(runGameServer, {
      ...quickServer,
      game: "connect4",
      games: 2,
      sessions: 0, // stays up after the session, to answer the late player
      moveTimeoutMs: 2000, // long enough for the bot on a busy machine; the sleeper never answers
      maxMissed: 2,
    });
    const [endpoint] = await server.ready;
    const sleeper = plainPlayer(endpoint!);
    expect(await say(sleeper, "player")).toBe("yes"); // player 1, seat 1: its turn first
    const opponent = bot(endpoint!, "heuristic", "heuristic");
    expect(await say(sleeper, "ready")).toMatch(/^wake-up\n/);
    expect(await say(sleeper, "ready")).toMatch(/^perception\n/); // ... and it falls asleep

    const summary = await opponent;
    expect(summary).toEqual({ results: [1], ended: "stop" }); // the session ends: too few players
    // When it wakes up at last, its late action is answered: the session is over for it.
    expect(await say(sleeper, "1 0 0 0 : D")).toBe("stop\nerror timeout");
    sleeper.close();
    const [report] = await server.stop();
    const game = report!.games[0]!;
    expect(game.forfeit).toEqual({ seat: 1, reason: "missed 2 deadlines in a row" });
    expect(game.moves.every((move) => move.seat === 2)).toBe(true); // seat 1's turns passed
    expect(report!.games).toHaveLength(1);
  });

  it("a player killed mid-game (SIGKILL) forfeits; the other finishes; the next session plays", async () => {
    const log = watchLog();
    const server = startRole(runGameServer, {
      ...quickServer,
      game: "connect4",
      games: 3,
      sessions: 2,
      moveTimeoutMs: 120_000, // far longer than this test may take: the time-out cannot help
    });
    const [endpoint] = await server.ready;
    const doomed = runRoleProcess("src/bot.ts", ["--connect", endpoint!, "--name", "doomed"]);
    await doomed.waitForLine(/\[doomed\] joined the game/); // player 1: seat 1, moves first
    const survivor = plainPlayer(endpoint!);
    expect(await say(survivor, "player")).toBe("yes");
    expect(await say(survivor, "ready")).toMatch(/^wake-up\nplayer 2 on 2\n/);
    // Our perception comes once the bot has played: the bot now waits for its next turn.
    expect(await say(survivor, "ready")).toMatch(/^perception\n/);
    doomed.signal("SIGKILL");
    expect((await doomed.exited).signal).toBe("SIGKILL");
    await log.waitFor(/\[game\] W: a peer disconnected/);

    // Our move makes it the dead bot's turn: answering it fails, so it forfeits.
    expect(await say(survivor, "1 0 0 0 : D")).toMatch(/^sleep\nresult 1\n/);
    expect(await say(survivor, "ready")).toBe("stop"); // too few players left for game 2
    survivor.close();

    // The server is still up: two new players get a whole session.
    const next = await Promise.all([
      bot(endpoint!, "random", "late-1"),
      bot(endpoint!, "random", "late-2", 7),
    ]);
    const [first, second] = await server.done;
    expect(first!.games).toHaveLength(1);
    expect(first!.games[0]!.forfeit).toEqual({ seat: 1, reason: "disconnected" });
    expect(first!.games[0]!.scores).toEqual([-1, 1]);
    expect(log.text()).toContain("[game] W: player 1 has left: disconnected");
    expect(second!.games).toHaveLength(3);
    expectConsistent(second!, next);
  });

  it("a player that says something else than ready after wake-up gets stop\\nerror protocol", async () => {
    const server = startRole(runGameServer, { ...quickServer, game: "connect4", games: 2 });
    const [endpoint] = await server.ready;
    const rude = plainPlayer(endpoint!);
    expect(await say(rude, "player")).toBe("yes");
    const opponent = bot(endpoint!, "random", "random");
    expect(await say(rude, "ready")).toMatch(/^wake-up\n/);
    expect(await say(rude, "1 0 0 0 : D")).toBe("stop\nerror protocol"); // an action, out of turn
    rude.close();

    expect(await opponent).toEqual({ results: [1], ended: "stop" });
    const [report] = await server.done;
    expect(report!.games[0]!.forfeit).toEqual({ seat: 1, reason: "spoke out of turn" });
  });

  it("a peer that speaks twice without waiting (a DEALER) is told stop\\nerror protocol; its seat reopens", async () => {
    const log = watchLog();
    const server = startRole(runGameServer, { ...quickServer, game: "connect4", games: 2 });
    const [endpoint] = await server.ready;
    const dealer = new Dealer({ linger: 0 });
    dealer.connect(endpoint!);
    await dealer.send(["", "player"]);
    expect((await dealer.receive()).map(String)).toEqual(["", "yes"]);
    await dealer.send(["", "ready"]);
    await dealer.send(["", "ready"]); // a REQ socket could never do this
    expect((await dealer.receive()).map(String)).toEqual(["", "stop\nerror protocol"]);
    dealer.close();

    const summaries = await Promise.all([
      bot(endpoint!, "random", "a"),
      bot(endpoint!, "random", "b", 5),
    ]);
    const [report] = await server.done;
    expectConsistent(report!, summaries);
    expect(log.text()).toContain("player 1 has left: spoke out of turn");
  });

  it("a joining player that does not say ready is told stop\\nerror protocol", async () => {
    const server = startRole(runGameServer, { ...quickServer, game: "421-solo", games: 1 });
    const [endpoint] = await server.ready;
    const confused = plainPlayer(endpoint!);
    expect(await say(confused, "player")).toBe("yes");
    expect(await say(confused, "player")).toBe("stop\nerror protocol");
    confused.close();
    const summary = await bot(endpoint!, "heuristic", "solo");
    expect(summary.results).toHaveLength(1);
    await server.done;
  });
});

describe("game server: bad input never stops the game", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers or logs garbage, strangers and oversized messages while a game goes on", async () => {
    const log = watchLog();
    const server = startRole(runGameServer, { ...quickServer, game: "421-solo", games: 1 });
    const [endpoint] = await server.ready;
    const player = plainPlayer(endpoint!);
    expect(await say(player, "player")).toBe("yes");
    expect(await say(player, "ready")).toMatch(/^wake-up\n/);
    expect(await say(player, "ready")).toMatch(/^perception\n/);
    // The game now waits for this player's action. Meanwhile, strangers:
    const stranger = plainPlayer(endpoint!);
    expect(await say(stranger, "player")).toBe("nop"); // no seat free
    expect(await say(stranger, "hello")).toBe("nop"); // unknown command
    expect(await say(stranger, "player", "extra")).toBe("nop"); // two frames
    expect(await say(stranger, Buffer.from([0xc3, 0x28, 0xff]))).toBe("nop"); // not UTF-8
    expect(await say(stranger, "x".repeat(MAX_REQUEST_BYTES + 1))).toBe("nop"); // too long
    stranger.close();
    const dealer = new Dealer({ linger: 0 });
    dealer.connect(endpoint!);
    await dealer.send("no delimiter"); // not a REQ: nothing it could read comes back
    const flooder = new Request({ linger: 0 });
    const dropped = new Promise<void>((resolve) =>
      flooder.events.on("disconnect", () => resolve()),
    );
    flooder.connect(endpoint!);
    await flooder.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1)); // libzmq cuts it off
    await dropped;
    flooder.close();

    // Garbage from the seated player is a refused action, with the reason.
    expect(await say(player, Buffer.from([0xff, 0xfe]))).toContain(
      "error request is not UTF-8 text: 0xfffe",
    );
    expect(await say(player, "y".repeat(MAX_REQUEST_BYTES + 1))).toContain(
      `error request is ${MAX_REQUEST_BYTES + 1} bytes; the limit is ${MAX_REQUEST_BYTES}`,
    );
    // ... and the game goes on: a third refusal would forfeit, a good action ends the game.
    expect(await say(player, "14 0 0 0 : keep-keep-keep")).toMatch(/^sleep\nresult \d+/);
    expect(await say(player, "ready")).toBe("stop");
    player.close();
    await server.done;
    dealer.close();

    const warnings = log.text();
    expect(warnings).toContain("asked to play but no seat is free; answered nop");
    expect(warnings).toContain('unexpected "hello"');
    expect(warnings).toContain("expected 1 text frame, got 2; answered nop");
    expect(warnings).toContain("request is not UTF-8 text: 0xc328ff; answered nop");
    expect(warnings).toContain(`request is ${MAX_REQUEST_BYTES + 1} bytes`);
    expect(warnings).toContain("with no empty delimiter (not a REQ peer)");
  });
});

describe("game server: stopping", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal} while waiting for players`, async () => {
      const server = runRoleProcess("src/game-server.ts", [
        "--bind",
        EPHEMERAL,
        "--publish",
        EPHEMERAL,
      ]);
      await server.waitForLine(/waiting for 2 player\(s\) for connect4/);
      server.signal(signal);
      const result = await server.exited;
      expect(result.stdout).toContain(`[game] ${signal} received, closing sockets`);
      expect(result.stdout).toContain("[game] stopped after 0 session(s)");
      expect(result.code).toBe(0);
    });

    it(`stops mid-game on ${signal} and tells its players: the bot leaves by itself`, async () => {
      const server = runRoleProcess("src/game-server.ts", [
        "--bind",
        EPHEMERAL,
        "--publish",
        EPHEMERAL,
      ]);
      const [, endpoint] = await server.waitForLine(/bound to (tcp:\/\/\S+)/);
      const botProcess = runRoleProcess("src/bot.ts", ["--connect", endpoint!]);
      await botProcess.waitForLine(/joined the game/); // player 1, moves first
      const slow = plainPlayer(endpoint!);
      expect(await say(slow, "player")).toBe("yes");
      expect(await say(slow, "ready")).toMatch(/^wake-up\n/);
      expect(await say(slow, "ready")).toMatch(/^perception\n/); // the bot has played: our turn
      // The server holds the bot's request (it waits for its next perception), not ours.
      server.signal(signal);
      await botProcess.waitForLine(/\[bot\] session over \(error the game server is stopping\)/);
      // We were thinking: the move we send while the server stops is answered with the stop.
      expect(await say(slow, "1 0 0 0 : D")).toBe("stop\nerror the game server is stopping");
      const stopped = await server.exited;
      expect(stopped.stdout).toContain(
        "[game] stopping: 1 player(s) told at once, 1 told if they speak within 1000 ms",
      );
      expect(stopped.stdout).toContain("[game] stopped after 1 session(s)");
      expect(stopped.code).toBe(0);
      const botResult = await botProcess.exited; // never signalled: it left on the stop
      expect(botResult.stdout).toContain(
        "[bot] session over (error the game server is stopping): results none",
      );
      expect(botResult.code).toBe(0);
      slow.close();
    });
  }
});
