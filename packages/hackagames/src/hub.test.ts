import {
  createTestNetwork,
  EPHEMERAL,
  networkNamespacesUnavailable,
  type RoleChild,
  runRoleProcess,
  startRole,
  type TestNetwork,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request } from "zeromq";
import { tictactoe } from "../exercises/02-add-a-game/solution/tictactoe.ts";
import { botDefaults, runBot } from "./bot.ts";
import { gameServerDefaults, runGameServer, type SessionReport } from "./game-server.ts";
import { hubDefaults, runHub } from "./hub.ts";
import type { PlayerSummary } from "./player.ts";
import { MAX_MESSAGE_BYTES, TABLE_PROTOCOL } from "./protocol.ts";

// Heartbeats at 500 ms (silence of 3 beats is death): never less, a loaded machine stalls.
const beat = { heartbeatMs: 500, liveness: 3 };
const quickHub = { ...hubDefaults, ...beat, bind: [EPHEMERAL], tables: [EPHEMERAL] };
const table = (hub: string, game: string, name: string, games = 2) => ({
  ...gameServerDefaults,
  ...beat,
  hub,
  game,
  name,
  games,
  sessions: 1,
  publish: [] as string[],
  moveTimeoutMs: 10_000,
  seed: name.length,
});
const bot = (endpoint: string, name: string, seed: number) =>
  runBot({ ...botDefaults, connect: [endpoint], strategy: "random", name, seed });

/** A plain REQ socket, as a HackaGames player in any language opens it; optionally named. */
function plainPlayer(endpoint: string, routingId?: string): Request {
  const socket = new Request({ linger: 0, ...(routingId ? { routingId } : {}) });
  socket.connect(endpoint);
  return socket;
}

async function say(socket: Request, text: string): Promise<string> {
  await socket.send(text);
  const [reply] = await socket.receive();
  return String(reply);
}

/** Each player's results in a session, game by game, from the table's own scores. */
const resultsByPlayer = (report: SessionReport) =>
  report.totals.map((_, i) => report.games.map((g) => g.scores[g.seats.indexOf(i + 1)]!));

/**
 * A raw Connect 4 player: plays the leftmost column with room, and checks that everything it
 * hears is Connect 4 (a 421 view would mean a reply from a table it does not sit at).
 */
async function rawConnect4(endpoint: string, routingId: string) {
  const socket = plainPlayer(endpoint, routingId);
  const heard: string[] = [];
  const results: number[] = [];
  let reply = await say(socket, "player");
  heard.push(reply);
  while (reply !== "stop" && !reply.startsWith("stop\n")) {
    let request = "ready";
    if (reply.startsWith("perception\n")) {
      const columns = reply.split("\n").slice(2);
      const free = columns.findIndex((line) => line.endsWith(" 0"));
      request = `1 0 0 0 : ${"ABCDEFG"[free]}`;
    } else if (reply.startsWith("sleep\n")) {
      results.push(Number(/^result (\S+)/.exec(reply.split("\n")[1]!)![1]));
    }
    reply = await say(socket, request);
    heard.push(reply);
  }
  socket.close();
  return { heard, results, last: reply };
}

afterEach(() => vi.restoreAllMocks());

describe("hub: many tables behind one port", () => {
  it("3 Connect 4 and 2 421 tables, every seat filled at once: each player hears only its table", async () => {
    const hub = startRole(runHub, quickHub);
    const [players, tables] = await hub.ready;
    const servers = [];
    // One at a time, so the hub lists them in this order (its rule: the first open table).
    for (const [game, name] of [
      ["connect4", "c4-a"],
      ["connect4", "c4-b"],
      ["connect4", "c4-c"],
      ["421-duo", "421-a"],
      ["421-duo", "421-b"],
    ] as const) {
      const server = startRole(runGameServer, table(tables!, game, name));
      await server.ready;
      servers.push(server);
    }
    // Two raw players first: the first open table, c4-a, seats them both.
    const log = watchLog();
    const raws = [rawConnect4(players!, "raw-1"), rawConnect4(players!, "raw-2")];
    await log.waitFor(/0x7261772d31 seated at table c4-a/);
    await log.waitFor(/0x7261772d32 seated at table c4-a/);
    const bots: Promise<PlayerSummary>[] = [];
    for (let i = 1; i <= 8; i++) bots.push(bot(players!, `bot-${i}`, i));
    const [raw1, raw2] = await Promise.all(raws);
    const summaries = await Promise.all(bots);
    const reports = await Promise.all(servers.map((server) => server.done));

    for (const raw of [raw1!, raw2!]) {
      expect(raw.last).toBe("stop");
      for (const text of raw.heard.filter((t) => /^(wake-up|perception|sleep)\n/.test(t))) {
        expect(text).toMatch(/\n8 \d 0 [07] : Connect4/); // never a 421 view
      }
    }
    // Every table played its session; the raw players' results are c4-a's, exactly.
    for (const sessions of reports) expect(sessions).toHaveLength(1);
    const [c4a] = reports[0]!;
    expect([raw1!.results, raw2!.results].sort()).toEqual(resultsByPlayer(c4a!).sort());
    // Every bot's results are one seat's results at one table: all seats, each once.
    for (const summary of summaries) expect(summary.ended).toBe("stop");
    const tablesResults = reports.slice(1).flatMap(([report]) => resultsByPlayer(report!));
    expect(summaries.map((s) => s.results).sort()).toEqual(tablesResults.sort());
    hub.stop();
    const report = await hub.done;
    expect(report.seated).toBe(10);
    // Each table said BYE after its session: nobody was left to stop.
    expect(report.lost.sort()).toEqual(
      ["421-a", "421-b", "c4-a", "c4-b", "c4-c"].map((name) => `${name}: the table stopped`),
    );
  });
});

describe("hub: bad input from tables and players, while a real session goes on", () => {
  it("logs each, crashes nothing, and the seated player is not disturbed", async () => {
    const log = watchLog(); // W: lines go to console.log
    const hub = startRole(runHub, quickHub);
    const [players, tables] = await hub.ready;
    const real = startRole(runGameServer, table(tables!, "421-solo", "solo-table", 1));
    await real.ready;
    // The real player sits down (it has a routing id of its own, that an impostor will copy).
    const player = plainPlayer(players!, "alice");
    expect(await say(player, "player")).toBe("yes");

    // Tables that lie or babble.
    const fake = new Dealer({ linger: 0, routingId: "fake" });
    fake.connect(tables!);
    await fake.send(["garbage"]);
    await fake.send([TABLE_PROTOCOL, "DANCE"]);
    expect((await fake.receive()).map(String)).toEqual([
      TABLE_PROTOCOL,
      "DISCONNECT",
      "say HELLO first",
    ]);
    await fake.send([TABLE_PROTOCOL, "HELLO", "connect4", "99", "liar"]);
    const refused = (await fake.receive()).map(String);
    expect(refused.slice(0, 2)).toEqual([TABLE_PROTOCOL, "DISCONNECT"]);
    expect(refused[2]).toContain('claims "99" seats');
    await fake.send([TABLE_PROTOCOL, "HELLO", "connect4", "2", "fake"]);
    expect((await fake.receive()).map(String)).toEqual([TABLE_PROTOCOL, "WELCOME"]);
    await fake.send([TABLE_PROTOCOL, "SEATS", "5"]); // it has 2
    await fake.send([TABLE_PROTOCOL, "DANCE"]);
    // A table speaking for a player who sits at another table: the lesson's guard.
    await fake.send([TABLE_PROTOCOL, "REPLY", "alice", "stop"]);
    await log.waitFor(/replied to 0x616c696365, who is not seated at it; dropped/);
    // A frame over the limit: libzmq drops that connection; the hub never sees it.
    const huge = new Dealer({ linger: 0 });
    huge.connect(tables!);
    await huge.send([TABLE_PROTOCOL, "HELLO", Buffer.alloc(MAX_MESSAGE_BYTES + 1), "1", "x"]);
    await log.waitFor(/a table connection from .* closed \(it left, or sent a frame over/);

    // Players who are not players.
    const dealer = new Dealer({ linger: 0 });
    dealer.connect(players!);
    await dealer.send("player");
    const stranger = plainPlayer(players!);
    expect(await say(stranger, "hello")).toBe("nop");
    expect(await say(plainPlayer(players!), "x".repeat(5000))).toBe("nop");
    const bigPlayer = plainPlayer(players!);
    await bigPlayer.send("x".repeat(MAX_MESSAGE_BYTES + 1));
    await log.waitFor(/a player connection from .* closed \(it left, or sent a frame over/);
    // An impostor with alice's routing id: libzmq keeps the first peer with an id.
    const impostor = plainPlayer(players!, "alice");
    await impostor.send("ready");

    // Alice plays her whole session as if nothing happened.
    expect(await say(player, "ready")).toBe("wake-up\nplayer 1 on 1\n8 0 0 0 : 421-Solo");
    expect(await say(player, "ready")).toMatch(/^perception\n/);
    const slept = await say(player, "14 0 0 0 : keep-keep-keep");
    expect(slept).toMatch(/^sleep\nresult \d+/);
    expect(await say(player, "ready")).toBe("stop");
    const [report] = await real.done;
    expect(slept).toContain(`result ${report!.games[0]!.scores[0]}`);

    const text = log.text();
    expect(text).toContain("dropped a message from table 0x66616b65: not HGT01");
    expect(text).toContain("DANCE from unknown table 0x66616b65; told to DISCONNECT");
    expect(text).toContain('claims "5" free seats of its 2; ignored');
    expect(text).toContain('unknown command "DANCE" from table fake (connect4); ignored');
    expect(text).toContain("with no empty delimiter (not a REQ peer)");
    expect(text).toContain('cannot be seated ("hello")');
    expect(text).toContain("request is 5000 bytes");
    expect(text).not.toMatch(/spoke out of turn|at .*\.ts:\d+/); // no stack traces either
    for (const socket of [fake, huge, dealer, stranger, bigPlayer, impostor, player])
      socket.close();
    hub.stop();
    await hub.done;
  });
});

describe("hub: a player that vanishes", () => {
  it("the hub tells its table (GONE), which applies its rule: the game is forfeited", async () => {
    const log = watchLog();
    const hub = startRole(runHub, quickHub);
    const [players, tables] = await hub.ready;
    const server = startRole(runGameServer, table(tables!, "connect4", "c4", 1));
    await server.ready;
    const first = plainPlayer(players!, "first");
    const second = plainPlayer(players!, "second");
    expect(await say(first, "player")).toBe("yes");
    expect(await say(second, "player")).toBe("yes");
    const woken = say(second, "ready");
    expect(await say(first, "ready")).toMatch(/^wake-up\n/);
    expect(await woken).toMatch(/^wake-up\n/);
    await second.send("ready"); // it waits for its perception...
    expect(await say(first, "ready")).toMatch(/^perception\n/);
    second.close(); // ...and vanishes
    // Our move: the table answers the vanished player, the hub cannot deliver it.
    const after = await say(first, "1 0 0 0 : D");
    await log.waitFor(/0x7365636f6e64 has gone; telling table c4/);
    await log.waitFor(/player 2 has left: disconnected \(the hub could not reach it\)/);
    expect(after).toMatch(/^sleep\nresult 1\n/); // the vanished player forfeits
    expect(await say(first, "ready")).toBe("stop");
    const [report] = await server.done;
    expect(report!.games[0]!.forfeit).toEqual({
      seat: 2,
      reason: "disconnected (the hub could not reach it)",
    });
    first.close();
    hub.stop();
    await hub.done;
  });
});

describe("hub: a table running rules given in code", () => {
  it("says HELLO with its rules' name, so a hub for that game seats players there", async () => {
    // Exercise 02's way: the rules are passed in code, and --game keeps its default, connect4.
    // Its HELLO must name the game it plays, or a hub serving Tic-tac-toe never seats anyone
    // there, and one serving Connect 4 wakes Connect 4 players up in a Tic-tac-toe game.
    const log = watchLog();
    const hub = startRole(runHub, { ...quickHub, game: "tictactoe", seatWaitMs: 5000 });
    const [players, tables] = await hub.ready;
    const server = startRole(
      (options: typeof gameServerDefaults) => runGameServer(options, tictactoe),
      table(tables!, gameServerDefaults.game, "ttt", 1),
    );
    await server.ready; // welcomed: the hub has logged what the table said
    expect(log.text()).toContain("table ttt (tictactoe) joined with 2 seat(s)");
    const [first, second] = [plainPlayer(players!), plainPlayer(players!)];
    const join = async (player: Request) => {
      expect(await say(player, "player")).toBe("yes"); // "nop" after 5 s if never seated
      return say(player, "ready");
    };
    const [woken1, woken2] = await Promise.all([join(first), join(second)]);
    for (const woken of [woken1, woken2]) {
      expect(woken).toMatch(/^wake-up\nplayer [12] on 2\n17 0 0 0 : TicTacToe-Classic$/);
    }
    first.close();
    second.close();
    await server.stop();
    hub.stop();
    await hub.done;
  });
});

/** The hub or a table as a child process; its endpoint(s) from its log. */
async function hubProcess(): Promise<{ hub: RoleChild; players: string; tables: string }> {
  const hub = runRoleProcess("src/hub.ts", [
    ...["--bind", EPHEMERAL, "--tables", EPHEMERAL, "--heartbeat-ms", "500"],
  ]);
  const [, players] = await hub.waitForLine(/bound to (tcp:\/\/\S+)/);
  const [, tables] = await hub.waitForLine(/tables connect to (tcp:\/\/\S+)/);
  return { hub, players: players!, tables: tables! };
}
async function tableProcess(tables: string, name: string, sessions = 0): Promise<RoleChild> {
  const child = runRoleProcess("src/game-server.ts", [
    ...["--hub", tables, "--name", name, "--heartbeat-ms", "500", "--publish", ""],
    ...["--game", "connect4", "--games", "2", "--sessions", String(sessions), "--seed", "7"],
  ]);
  await child.waitForLine(/seated at the hub/);
  return child;
}

/** A raw player seated with a bot, holding its first turn: the table is mid-game. */
async function midGame(players: string, name: string) {
  const raw = plainPlayer(players, name);
  expect(await say(raw, "player")).toBe("yes");
  const opponent = bot(players, `${name}-bot`, 3);
  expect(await say(raw, "ready")).toMatch(/^wake-up\nplayer 1 on 2\n/);
  expect(await say(raw, "ready")).toMatch(/^perception\n/); // our turn; the bot waits
  return { raw, opponent };
}

describe("hub: tables that die, hang, come back and stop (real processes)", () => {
  it("a killed and a stopped table's players are told; the rest play on; fresh tables are used", async () => {
    const { hub, players, tables } = await hubProcess();
    const a = await tableProcess(tables, "A");
    const atA = await midGame(players, "pa");
    const b = await tableProcess(tables, "B");
    const atB = await midGame(players, "pb");
    const c = await tableProcess(tables, "C", 1);
    const atC = await midGame(players, "pc");

    await a.kill(); // SIGKILL: a crash
    b.hang(); // SIGSTOP: connected, silent
    // The raw players send their moves into the void; within the expiry the hub answers.
    expect(await say(atA.raw, "1 0 0 0 : A")).toMatch(
      /^stop\nerror table lost: A: (unreachable|silent for \d+ ms)$/,
    );
    expect(await say(atB.raw, "1 0 0 0 : A")).toMatch(
      /^stop\nerror table lost: B: silent for \d+ ms$/,
    );
    for (const summary of [await atA.opponent, await atB.opponent]) {
      expect(summary.ended).toBe("stop");
      expect(summary.error).toMatch(/^table lost: [AB]: (unreachable|silent for \d+ ms)$/);
    }
    // C played on: its raw player finishes the session.
    let reply = await say(atC.raw, "1 0 0 0 : A");
    while (reply !== "stop") {
      const columns = reply.split("\n").slice(2);
      const free = "ABCDEFG"[columns.findIndex((line) => line.endsWith(" 0"))];
      reply = await say(atC.raw, reply.startsWith("perception\n") ? `1 0 0 0 : ${free}` : "ready");
      expect(reply).not.toMatch(/^stop\nerror/);
    }
    expect((await atC.opponent).ended).toBe("stop");
    await c.waitForLine(/session 1 over/);

    // A fresh table seats the next players, and B, woken, says HELLO again and is used too.
    const d = await tableProcess(tables, "D", 1);
    const since = b.lines.length;
    b.resume();
    await b.waitForLine(/seated at the hub/, { since });
    const next = await Promise.all([1, 2, 3, 4].map((i) => bot(players, `next-${i}`, i)));
    for (const summary of next)
      expect(summary).toMatchObject({
        ended: "stop",
        results: [expect.any(Number), expect.any(Number)],
      });
    await d.waitForLine(/session 1 over/);
    await hub.waitForLine(/seated at table B \(connect4\)/);

    // Stopping: a table on SIGTERM (its waiting player is told), then the hub on SIGINT.
    const lonely = plainPlayer(players, "lonely");
    expect(await say(lonely, "player")).toBe("yes");
    const sinceLonely = b.lines.length;
    const waiting = say(lonely, "ready"); // waits for an opponent who never comes
    // Only once B holds that request is its SIGTERM a table stopping on a waiting player (sent
    // earlier, the hub's forward can find B gone: "unreachable", another case).
    await b.waitForLine(/player 1 is ready \(1 of 2\)/, { since: sinceLonely });
    b.signal("SIGTERM");
    expect(await waiting).toBe("stop\nerror table lost: B: the table stopped");
    expect((await b.exited).code).toBe(0);
    const e = await tableProcess(tables, "E");
    const last = plainPlayer(players, "last");
    expect(await say(last, "player")).toBe("yes");
    const stranded = say(last, "ready");
    await e.waitForLine(/player 1 is ready \(1 of 2\)/); // it sits there, waiting
    hub.signal("SIGINT");
    expect(await stranded).toBe("stop\nerror the hub is stopping");
    expect((await hub.exited).code).toBe(0);
    await e.waitForLine(/the hub disconnected us: the hub is stopping/);
    e.signal("SIGINT");
    expect((await e.exited).code).toBe(0);
    for (const socket of [atA.raw, atB.raw, atC.raw, lonely, last]) socket.close();
  });
});

describe("hub: stopping while idle", () => {
  it("a table exits 0 on SIGINT and the hub on SIGTERM", async () => {
    const { hub, tables } = await hubProcess();
    const lone = await tableProcess(tables, "lone");
    lone.signal("SIGINT");
    expect((await lone.exited).code).toBe(0);
    await hub.waitForLine(/table lone \(connect4\) left/);
    hub.signal("SIGTERM");
    const result = await hub.exited;
    expect(result.stdout).toContain("[hub] stopped: 0 player(s) seated, 1 table(s) gone");
    expect(result.code).toBe(0);
  });
});

// A table on another machine: its own network namespace, and a silent cut (no FIN, no RST).
const noNetns = networkNamespacesUnavailable();
describe.skipIf(noNetns)(
  `hub: a table across a network partition${noNetns ? ` (skipped: needs root and Linux network namespaces: ${noNetns})` : ""}`,
  () => {
    let network: TestNetwork | undefined;
    afterEach(async () => {
      await network?.remove();
    });

    it("a cut table is lost like a dead one (its players told), and used again once healed", async () => {
      network = await createTestNetwork(["hub", "far"]);
      const { hosts } = network;
      const hub = runRoleProcess(
        "src/hub.ts",
        [
          ...["--bind", "tcp://127.0.0.1:1400", "--tables", `tcp://${hosts.hub!.address}:1402`],
          ...["--heartbeat-ms", "500"],
        ],
        { host: hosts.hub! },
      );
      await hub.waitForLine(/tables connect to/);
      const far = runRoleProcess(
        "src/game-server.ts",
        [
          ...["--hub", `tcp://${hosts.hub!.address}:1402`, "--name", "far", "--publish", ""],
          ...["--heartbeat-ms", "500", "--games", "100000", "--seed", "3"],
        ],
        { host: hosts.far! },
      );
      await far.waitForLine(/seated at the hub/);
      // The players live on the hub's host; the session is long: it is in play at the cut.
      const players = ["p1", "p2"].map((name) =>
        runRoleProcess("src/bot.ts", ["--connect", "tcp://127.0.0.1:1400", "--name", name], {
          host: hosts.hub!,
        }),
      );
      await far.waitForLine(/game 2 move 1:/);
      const since = far.lines.length;
      await network.cut("far");
      for (const player of players) {
        const result = await player.exited;
        expect(result.stdout).toMatch(/session over \(error table lost: far: silent for \d+ ms\)/);
        expect(result.code).toBe(0);
      }
      await far.waitForLine(/the hub has been silent for \d+ ms/, { since });
      await network.heal("far");
      await far.waitForLine(/seated at the hub/, { since });
      const hubSince = hub.lines.length;
      const next = runRoleProcess("src/bot.ts", ["--connect", "tcp://127.0.0.1:1400"], {
        host: hosts.hub!,
      });
      await hub.waitForLine(/seated at table far \(connect4\)/, { since: hubSince });
      next.signal("SIGTERM");
      expect((await next.exited).code).toBe(0);
      for (const role of [far, hub]) role.signal("SIGTERM");
      expect((await far.exited).code).toBe(0);
      expect((await hub.exited).code).toBe(0);
    });
  },
);
