// HackaGames hub: one ROUTER for plain REQ players (:1400), one ROUTER for tables (:1402). Each
// newcomer is seated at a table with a free seat, and from then on routed by AFFINITY: its every
// request goes to that table, and only that table's replies reach it. Tables and hub beat.
// Talks to: bot.ts, human.ts or any HackaGames player (REQ); game-server.ts --hub (DEALER).
// Run: pnpm --filter hackagames hub [--bind tcp://*:1400] [--tables tcp://*:1402] [--game ""]
import {
  attach,
  closeAndDrain,
  describeFrame,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Router } from "zeromq";
import { type OpenTable, type Seating, seatAtFirstOpenTable } from "./hub-seating.ts";
import {
  BYE,
  DISCONNECT,
  GAME_PORT,
  GONE,
  HEARTBEAT,
  HEARTBEAT_LIVENESS,
  HEARTBEAT_MS,
  HELLO,
  JOIN,
  MAX_GAME_NAME,
  MAX_MESSAGE_BYTES,
  MAX_SEATS,
  NOP,
  REPLY,
  REQUEST,
  SEATS,
  STOP,
  stopMessage,
  TABLE_PORT,
  TABLE_PROTOCOL,
  tableLostMessage,
  WELCOME,
} from "./protocol.ts";
import { checkRequestFrames } from "./seats.ts";

export const hubDefaults = {
  /** Where players connect (REQ), as they would to a game. */
  bind: [`tcp://*:${GAME_PORT}`],
  connect: [] as string[],
  /** Where tables connect (DEALER, game-server --hub). */
  tables: [`tcp://*:${TABLE_PORT}`],
  /** Seat players only at tables hosting this game; "" seats them at the first open table. */
  game: "",
  /** The beat the hub sends each table; a table silent for `liveness` beats is lost. */
  heartbeatMs: HEARTBEAT_MS,
  liveness: HEARTBEAT_LIVENESS,
  /** How long a newcomer may wait for a free seat before it is answered "nop". */
  seatWaitMs: 30_000,
  name: "hub",
};
export type HubOptions = typeof hubDefaults & RoleControl;

/** What the hub did, for tests and the log's last line. */
export interface HubReport {
  /** Players seated, over the hub's life. */
  seated: number;
  /** The tables that left or were lost, and why: "c4-a: silent for 1502 ms". */
  lost: string[];
}

interface Table {
  id: Buffer;
  key: string;
  name: string;
  game: string;
  seats: number;
  /** The seats the table last said it could fill. */
  free: number;
  /** Newcomers sent to it whose "player" it has not answered yet (they hold seats too). */
  pending: number;
  /** The players seated at it, by routing id in hex. */
  players: Set<string>;
  lastHeard: number;
}

interface Player {
  id: Buffer;
  table: Table;
  /** It has sent a request that its table has not answered yet. */
  waiting: boolean;
  /** That request is its "player": the table has not said yes or nop yet. */
  joining: boolean;
}

/** A newcomer held until some table can seat it. */
interface Newcomer {
  id: Buffer;
  request: string;
  since: number;
}

/** Serves until stopped; returns what it did. */
export async function runHub(
  options: HubOptions,
  seating: Seating = seatAtFirstOpenTable,
): Promise<HubReport> {
  const log = roleLog(options.name);
  // mandatory + sendTimeout 0: a send to a peer that has gone fails at once (EHOSTUNREACH)
  // instead of vanishing or waiting; ZMTP heartbeats drop players whose connection died.
  const socketOptions = { mandatory: true, sendTimeout: 0, maxMessageSize: MAX_MESSAGE_BYTES };
  const front = new Router({
    ...socketOptions,
    linger: 500, // the "stop" we send at shutdown still leaves
    heartbeatInterval: 1000,
    heartbeatTimeout: 3000,
  });
  const back = new Router({ ...socketOptions, linger: 500 });
  // libzmq cuts off a peer whose frame is over the limit before our code sees the frame: this
  // line (logged too for every peer that simply leaves) is all there is to see of it.
  for (const [side, socket] of [
    ["player", front],
    ["table", back],
  ] as const) {
    socket.events.on("disconnect", ({ address }) =>
      log.info(
        `a ${side} connection from ${address} closed (it left, or sent a frame over ${MAX_MESSAGE_BYTES} bytes)`,
      ),
    );
  }
  const endpoints = await attach(front, options, log);
  for (const endpoint of options.tables) {
    await back.bind(endpoint);
    log.info(`tables connect to ${back.lastEndpoint ?? endpoint}`);
    endpoints.push(back.lastEndpoint ?? endpoint);
  }
  options.onReady?.(endpoints); // the players' endpoint(s), then the tables'

  const tables = new Map<string, Table>(); // in the order they said HELLO
  const players = new Map<string, Player>();
  const newcomers = new Map<string, Newcomer>();
  /** Players whose table was lost while they were thinking: told when they speak next. */
  const orphans = new Map<string, string>();
  const report: HubReport = { seated: 0, lost: [] };
  /** Once stopping, every player who speaks hears `stop\nerror the hub is stopping`. */
  let stopping = false;
  const stopReply = stopMessage(STOPPING);
  const expiry = options.heartbeatMs * options.liveness;
  const hex = (id: Buffer) => `0x${id.toString("hex")}`;
  const label = (table: Table) => `table ${table.name} (${table.game})`;

  const toPlayer = sender(front);
  const toTable = sender(back);
  const tell = (table: Table, ...frames: (string | Buffer)[]) =>
    toTable([table.id, TABLE_PROTOCOL, ...frames]);

  // #region seat
  /** Offers each waiting newcomer, in arrival order, to the seating rule. */
  function seatNewcomers(): void {
    for (const [key, newcomer] of newcomers) {
      const open = [...tables.values()].map((table) => ({
        table,
        view: { name: table.name, game: table.game, free: table.free - table.pending },
      }));
      const choice = seating(
        newcomer.request,
        open.map((o) => o.view),
        options.game,
      );
      if (choice === "wait") continue;
      newcomers.delete(key);
      const table = open.find((o) => o.view === (choice as OpenTable))?.table;
      if (choice === "refuse" || !table || choice.free <= 0) {
        log.warn(`${hex(newcomer.id)} cannot be seated (${describe(newcomer.request)}); ${NOP}`);
        void toPlayer([newcomer.id, "", NOP]);
        continue;
      }
      // Affinity: from now on, this player's requests go to this table and nowhere else.
      players.set(key, { id: newcomer.id, table, waiting: true, joining: true });
      table.players.add(key);
      table.pending += 1;
      report.seated += 1;
      log.info(`${hex(newcomer.id)} seated at ${label(table)}`);
      void tell(table, REQUEST, newcomer.id, "", JOIN); // the table sees a plain "player"
    }
  }
  // #endregion

  /** The table is gone: each of its players is stopped now, or when it next speaks. */
  function lose(table: Table, why: string, saidBye = false): void {
    if (!tables.delete(table.key)) return;
    const message = tableLostMessage(`${table.name}: ${why}`);
    let told = 0;
    for (const key of table.players) {
      const player = players.get(key);
      if (!player) continue;
      players.delete(key);
      if (player.waiting) {
        void toPlayer([player.id, "", message]);
        told += 1;
      } else {
        orphans.set(key, message);
      }
    }
    report.lost.push(`${table.name}: ${why}`);
    const stopped = `${told} player(s) stopped, ${table.players.size - told} told when they speak`;
    if (saidBye) {
      log.info(`${label(table)} left: ${stopped}`);
      return;
    }
    log.warn(`${label(table)} lost (${why}): ${stopped}`);
    // If it is only hung, this is the first thing it reads when it wakes: it will HELLO again.
    void tell(table, DISCONNECT, why);
  }

  // #region player-loop
  async function servePlayers(): Promise<void> {
    for await (const [id, ...frames] of front) {
      if (!id) continue;
      const key = id.toString("hex");
      if (frames[0]?.length !== 0) {
        log.warn(`dropped a message from ${hex(id)} with no empty delimiter (not a REQ peer)`);
        continue;
      }
      if (stopping) {
        void toPlayer([id, "", stopReply]); // whatever it said: we are closing
        continue;
      }
      const player = players.get(key);
      if (player) {
        // Affinity: the seat's table gets it, whatever it says (the table applies its rules).
        player.waiting = true;
        if (!(await tell(player.table, REQUEST, id, ...frames))) {
          lose(player.table, "unreachable");
        }
        continue;
      }
      const orphaned = orphans.get(key);
      if (orphaned) {
        orphans.delete(key);
        void toPlayer([id, "", orphaned]);
        continue;
      }
      if (newcomers.has(key)) {
        log.warn(`${hex(id)} spoke again while waiting for a seat (not a REQ peer); dropped`);
        continue;
      }
      const problem = checkRequestFrames(frames); // [delimiter, text]
      if (problem) {
        log.warn(`bad request from ${hex(id)}: ${problem}; answered ${NOP}`);
        void toPlayer([id, "", NOP]);
        continue;
      }
      newcomers.set(key, { id, request: frames[1]!.toString("utf8"), since: Date.now() });
      seatNewcomers();
      if (newcomers.has(key)) log.info(`${hex(id)} waits for a free seat`);
    }
  }
  // #endregion

  // #region table-loop
  async function serveTables(): Promise<void> {
    for await (const [id, protocol, command, ...rest] of back) {
      if (!id) continue;
      const key = id.toString("hex");
      if (String(protocol) !== TABLE_PROTOCOL || !command) {
        log.warn(`dropped a message from table ${hex(id)}: not ${TABLE_PROTOCOL} <command> ...`);
        continue;
      }
      const table = tables.get(key);
      const name = String(command);
      if (name === HELLO) {
        if (table) log.warn(`${label(table)} said ${HELLO} again; ignored`);
        else await welcome(id, rest);
        continue;
      }
      if (!table) {
        if (name !== BYE && name !== HEARTBEAT) {
          log.warn(`${name} from unknown table ${hex(id)}; told to ${DISCONNECT}`);
        }
        if (name !== BYE) void toTable([id, TABLE_PROTOCOL, DISCONNECT, `say ${HELLO} first`]);
        continue;
      }
      table.lastHeard = Date.now(); // any message is a heartbeat
      switch (name) {
        case HEARTBEAT:
          break;
        case SEATS: {
          const free = Number(String(rest[0] ?? ""));
          if (rest.length !== 1 || !Number.isInteger(free) || free < 0 || free > table.seats) {
            log.warn(
              `${label(table)} claims ${describe(rest[0])} free seats of its ${table.seats}; ignored`,
            );
            break;
          }
          table.free = free;
          seatNewcomers();
          break;
        }
        case REPLY:
          await relay(table, rest);
          break;
        case BYE:
          lose(table, "the table stopped", true);
          break;
        default:
          log.warn(`unknown command ${describeFrame(command)} from ${label(table)}; ignored`);
      }
    }
  }
  // #endregion

  /** HELLO <game> <seats> <name>: a new table, if what it claims holds. */
  async function welcome(id: Buffer, frames: Buffer[]): Promise<void> {
    const [game, seatsFrame, nameFrame] = frames.map(String);
    const seats = Number(seatsFrame);
    const problem =
      frames.length !== 3
        ? `expected ${HELLO} <game> <seats> <name>, got ${frames.length} frame(s)`
        : !/^[\w.-]+$/.test(game!) || game!.length > MAX_GAME_NAME
          ? `game ${describe(frames[0])} is not a game name`
          : !Number.isInteger(seats) || seats < 1 || seats > MAX_SEATS
            ? `it claims ${describe(frames[1])} seats; a table has 1 to ${MAX_SEATS}`
            : undefined;
    if (problem) {
      log.warn(`refused table ${hex(id)}: ${problem}`);
      await toTable([id, TABLE_PROTOCOL, DISCONNECT, problem]);
      return;
    }
    const name = nameFrame!.slice(0, 40) || hex(id);
    const table: Table = {
      id,
      key: id.toString("hex"),
      name,
      game: game!,
      seats,
      free: 0, // until it says SEATS
      pending: 0,
      players: new Set(),
      lastHeard: Date.now(),
    };
    tables.set(table.key, table);
    log.info(`${label(table)} joined with ${seats} seat(s)`);
    await tell(table, WELCOME);
  }

  /** REPLY <player id> <text>: to the player, if it sits at this table and is waiting. */
  async function relay(table: Table, frames: Buffer[]): Promise<void> {
    const [playerId, text] = frames;
    if (frames.length !== 2 || !playerId || !text) {
      log.warn(`${label(table)} sent a ${REPLY} with ${frames.length} frame(s), not 2; dropped`);
      return;
    }
    const key = playerId.toString("hex");
    const player = players.get(key);
    if (player?.table !== table) {
      // The lesson's guard: a table answers only its own players.
      log.warn(`${label(table)} replied to ${hex(playerId)}, who is not seated at it; dropped`);
      return;
    }
    if (!player.waiting) {
      log.warn(`${label(table)} replied twice to ${hex(playerId)}; dropped`);
      return;
    }
    player.waiting = false;
    const reply = text.toString("utf8");
    const ends = reply === NOP || reply === STOP || reply.startsWith(`${STOP}\n`);
    if (player.joining) {
      player.joining = false;
      table.pending -= 1;
    }
    if (ends) {
      // The conversation with this table is over: the player is a stranger again.
      players.delete(key);
      table.players.delete(key);
    }
    if (!(await toPlayer([playerId, "", text]))) {
      log.warn(`${hex(playerId)} has gone; telling ${label(table)}`);
      players.delete(key);
      table.players.delete(key);
      if (!ends) await tell(table, GONE, playerId);
    }
    seatNewcomers();
  }

  /** Beats, loses silent tables, and answers newcomers who waited too long. */
  const timer = setInterval(() => {
    const now = Date.now();
    for (const table of [...tables.values()]) {
      if (now - table.lastHeard > expiry) lose(table, `silent for ${now - table.lastHeard} ms`);
      else void tell(table, HEARTBEAT);
    }
    for (const [key, newcomer] of newcomers) {
      if (now - newcomer.since < options.seatWaitMs) continue;
      newcomers.delete(key);
      log.warn(`${hex(newcomer.id)} found no seat in ${options.seatWaitMs} ms; answered ${NOP}`);
      void toPlayer([newcomer.id, "", NOP]);
    }
  }, options.heartbeatMs);

  // #region shutdown
  /** Stopping: seated players hear "stop" with the reason, tables are disconnected. */
  async function shutdown(): Promise<void> {
    clearInterval(timer);
    stopping = true;
    for (const player of players.values()) {
      if (player.waiting) void toPlayer([player.id, "", stopReply]);
    }
    for (const newcomer of newcomers.values()) void toPlayer([newcomer.id, "", NOP]);
    for (const table of tables.values()) void tell(table, DISCONNECT, STOPPING);
    await Promise.all([toPlayer.idle(), toTable.idle()]);
    await closeAndDrain(front, back); // the stops leave; a second Ctrl-C meanwhile still exits 0
  }
  if (options.signal?.aborted) void shutdown();
  else options.signal?.addEventListener("abort", () => void shutdown(), { once: true });
  // #endregion

  await Promise.all([servePlayers(), serveTables()]);
  clearInterval(timer);
  log.info(`stopped: ${report.seated} player(s) seated, ${report.lost.length} table(s) gone`);
  return report;
}

const STOPPING = "the hub is stopping";

/** One send at a time per socket; false when the peer is gone or cannot take it now. */
function sender(socket: Router) {
  let queue: Promise<unknown> = Promise.resolve();
  const send = (frames: (string | Buffer)[]): Promise<boolean> => {
    const sent = queue.then(async () => {
      if (socket.closed) return false;
      try {
        await socket.send(frames);
        return true;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (socket.closed || code === "EHOSTUNREACH" || code === "EAGAIN") return false;
        throw error;
      }
    });
    queue = sent.catch(() => false);
    return sent;
  };
  return Object.assign(send, { idle: () => queue });
}

/** A frame or text as a log shows it (short, printable). */
const describe = (value: Buffer | string | undefined): string =>
  value === undefined
    ? "nothing"
    : typeof value === "string"
      ? JSON.stringify(value.slice(0, 40))
      : describeFrame(value);

if (isMain(import.meta.url)) {
  const options = parseFlags(hubDefaults);
  await runHub({ ...options, signal: stopOnSignals(options.name) });
}
