// HackaGames game server: a ROUTER that seats REQ players and asks each in turn for its action.
// Step 3: with --hub, the same game is a table behind a hub: a DEALER connected to it instead.
// Talks to: bot.ts, human.ts or any HackaGames player (REQ), directly or through hub.ts;
// spectator.ts (SUB) on its XPUB.
// Run: pnpm --filter hackagames game-server [--game connect4|421-solo|421-duo] [--games 3] [--hub tcp://localhost:1402]

import { setTimeout as wait } from "node:timers/promises";
import {
  attach,
  closeAndDrain,
  closeOnAbort,
  isMain,
  type Logger,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Router, XPublisher } from "zeromq";
import { Broadcast } from "./broadcast.ts";
import { gameNamed } from "./games/index.ts";
import { type AnyGame, type Random, seededRandom } from "./games/rules.ts";
import { decodePod, encodePod, type Pod, PodError } from "./pod.ts";
import {
  GAME_PORT,
  HEARTBEAT_LIVENESS,
  HEARTBEAT_MS,
  MAX_MESSAGE_BYTES,
  perceptionMessage,
  READY,
  SPECTATOR_PORT,
  STOP,
  sleepMessage,
  stopMessage,
  wakeUpMessage,
} from "./protocol.ts";
import { type Heard, type Player, RouterLink, Seats } from "./seats.ts";
import { TableLink } from "./table-link.ts";

export const gameServerDefaults = {
  bind: [`tcp://*:${GAME_PORT}`],
  connect: [] as string[],
  /** Where the spectator stream is published (XPUB); `--publish ""` publishes nothing. */
  publish: [`tcp://*:${SPECTATOR_PORT}`],
  game: "connect4",
  /** Games per session; the seats rotate between games. */
  games: 3,
  /** Sessions to serve before exiting; 0 serves for ever. */
  sessions: 0,
  /** Time a player has to answer (an action, or "ready"); a miss passes its turn. */
  moveTimeoutMs: 30_000,
  /** Deadlines missed in a row before a player counts as gone (it forfeits, leaves). */
  maxMissed: 2,
  /** Refused actions in one turn before the player forfeits the game. */
  maxInvalid: 3,
  /**
   * Ask again after a refused action with the unchanged perception, as HackaGames' own games
   * do, instead of adding an `error` node: HackaGames' shell players read every child of a
   * view as a column or a line, and break on the extra node. The reason is still logged.
   */
  plainRefusals: false,
  /** Spectators to wait for before the first game of a session (so they miss nothing). */
  waitSpectators: 0,
  /** Seed for the dice; 0 picks a new one each run. */
  seed: 0,
  /**
   * On SIGINT/SIGTERM: how long a seated player that is thinking (not waiting for us) has to
   * speak and hear that we stop. Keep it well under the 3 s a role has to end.
   */
  stopWaitMs: 1000,
  /**
   * Step 3: the hub's table endpoint (tcp://host:1402). When set, the server binds no ROUTER:
   * it connects to the hub as a table and plays the sessions of the players the hub seats.
   */
  hub: "",
  /** With --hub: the beat both sides send; silence of `liveness` beats means the other is lost. */
  heartbeatMs: HEARTBEAT_MS,
  liveness: HEARTBEAT_LIVENESS,
  name: "game",
};
export type GameServerOptions = typeof gameServerDefaults & RoleControl;

export interface GameRecord {
  game: number;
  /** The player number in each seat (index 0 is seat 1). */
  seats: number[];
  moves: { seat: number; action: string }[];
  /** Scores by seat. */
  scores: number[];
  forfeit?: { seat: number; reason: string };
}

export interface SessionReport {
  session: number;
  games: GameRecord[];
  /** Each player's total over the session, by player number (index 0 is player 1). */
  totals: number[];
}

interface Table {
  rules: AnyGame;
  seats: Seats;
  broadcast: Broadcast;
  random: Random;
  options: GameServerOptions;
  log: Logger;
}

/**
 * Serves sessions until the count is reached or it is stopped; returns their reports. A session
 * seats the players, plays the games (seats rotating), puts the players to sleep with their
 * score after each game, and ends with "stop". The players come through our own ROUTER, or
 * with --hub through a hub: the same sessions either way.
 */
export async function runGameServer(
  options: GameServerOptions,
  rules: AnyGame = gameNamed(options.game),
): Promise<SessionReport[]> {
  const log = roleLog(options.name);
  const publisher = new XPublisher({ linger: 0 });
  closeOnAbort(options.signal, publisher);
  const published: string[] = [];
  for (const endpoint of options.publish.filter(Boolean)) {
    await publisher.bind(endpoint);
    log.info(`publishing moves on ${publisher.lastEndpoint ?? endpoint}`);
    published.push(publisher.lastEndpoint ?? endpoint);
  }
  const broadcast = new Broadcast(publisher, log);
  const watching = broadcast.watch();
  const base = { rules, broadcast, random: seededRandom(options.seed), options, log };
  const reports: SessionReport[] = [];
  try {
    if (options.hub) await serveThroughHub(base, published, reports);
    else await serveOnRouter(base, published, reports);
  } finally {
    publisher.close(); // also when a game's rules throw
  }
  await watching;
  log.info(`stopped after ${reports.length} session(s)`);
  return reports;
}

/** Plays sessions on these seats until the count is reached or the seats' link closes. */
async function serveSessions(table: Table, reports: SessionReport[]): Promise<void> {
  const { options } = table;
  while (options.sessions === 0 || reports.length < options.sessions) {
    const report = await playSession(table, reports.length + 1);
    if (!report) return; // the link closed while we waited for players
    reports.push(report);
  }
}

/** Step 2: our own ROUTER on :1400. */
async function serveOnRouter(
  base: Omit<Table, "seats">,
  published: string[],
  reports: SessionReport[],
): Promise<void> {
  const { options, log } = base;
  // mandatory: a send to a peer that has gone fails (EHOSTUNREACH) instead of vanishing.
  // heartbeats: libzmq pings every peer and drops one that stops answering; a REQ player's
  // libzmq answers the pings itself, so players need no code for it.
  const router = new Router({
    linger: 500, // the "stop" replies we send as we close still leave
    mandatory: true,
    sendTimeout: 1000,
    maxMessageSize: MAX_MESSAGE_BYTES,
    heartbeatInterval: 1000,
    heartbeatTimeout: 3000,
  });
  const endpoints = await attach(router, options, log);
  options.onReady?.([...endpoints, ...published]); // the game endpoint(s), then the spectators'
  // #region disconnect
  // The event says a peer has gone, but it names our own endpoint, not the peer, and there is
  // no safe way to ask a REQ player "are you there?" (see the docs). So we only log it: a player
  // who has gone is found when the game next answers it, as the mandatory ROUTER then refuses
  // the send (EHOSTUNREACH), or when its deadline passes, if it went during its own turn.
  router.events.on("disconnect", (event) => {
    log.warn(
      `a peer disconnected from ${event.address}; if it was a player, its next answer will fail`,
    );
  });
  // #endregion
  const seats = new Seats(new RouterLink(router), log);
  const serving = seats.serve();
  // #region stop
  // Stopped (SIGINT, SIGTERM): no player is left waiting for ever. Those whose request we hold
  // hear "stop\nerror the game server is stopping" at once, one that is thinking (a bot in the
  // middle of its move) when it next speaks, if it does within --stop-wait-ms; then we close.
  const stop = async () => {
    await seats.stop(stopMessage(STOPPING), options.stopWaitMs);
    await closeAndDrain(router); // the replies leave before the ROUTER goes
  };
  if (options.signal?.aborted) void stop();
  else options.signal?.addEventListener("abort", () => void stop(), { once: true });
  // #endregion
  try {
    await serveSessions({ ...base, seats }, reports);
  } finally {
    router.close(); // never leave the port bound
  }
  await serving;
}

// #region through-hub
/**
 * Step 3: a table behind a hub. The same seats and sessions, on a link to the hub; when the
 * hub is lost (silence, or it disconnects us) the session in play ends, and we connect again.
 */
async function serveThroughHub(
  base: Omit<Table, "seats">,
  published: string[],
  reports: SessionReport[],
): Promise<void> {
  const { options, log, rules } = base;
  let ready = false;
  while (!options.signal?.aborted) {
    // HELLO names the game these rules play: rules given in code (exercise 02's Tic-tac-toe)
    // may not be the --game named on the command line, which the hub would otherwise believe.
    const link = new TableLink(
      { ...options, game: rules.name, seats: rules.players, signal: options.signal },
      log,
    );
    const seats = new Seats(link, log);
    const serving = seats.serve();
    if (!ready) {
      void link.welcomed.then(() => options.onReady?.([options.hub, ...published]));
      ready = true;
    }
    await serveSessions({ ...base, seats }, reports);
    const done = options.sessions > 0 && reports.length >= options.sessions;
    if (done) link.close("all sessions served", true);
    await serving;
    if (done || options.signal?.aborted) {
      await link.gone; // BYE leaves before we return
      break;
    }
    log.warn(`${link.ended}; connecting to the hub again in ${options.heartbeatMs} ms`);
    await wait(options.heartbeatMs, undefined, { signal: options.signal }).catch((error) => {
      if (!options.signal?.aborted) throw error; // stopped while pausing: the loop ends
    });
  }
}
// #endregion

/** One session: seat the players, play the games with rotating seats, then "stop". */
async function playSession(table: Table, session: number): Promise<SessionReport | undefined> {
  const { rules, seats, broadcast, options, log } = table;
  log.info(`session ${session}: waiting for ${rules.players} player(s) for ${rules.name}`);
  const players = await seats.gather(rules.players);
  if (!players) return undefined;
  await broadcast.waitFor(options.waitSpectators);
  broadcast.publish(
    `session ${session} begins: ${rules.name}, ${players.length} player(s), ${options.games} game(s)`,
  );

  const report: SessionReport = { session, games: [], totals: players.map(() => 0) };
  for (let game = 1; game <= options.games; game++) {
    const gone = players.find((player) => player.left);
    if (gone) {
      log.warn(`session ${session} ends early: player ${gone.number} has left`);
      break;
    }
    // Seat s goes to player (s - 1 + game - 1) mod N + 1: everybody gets to start in turn.
    const order = players.map((_, seat) => players[(seat + game - 1) % players.length]!);
    const record = await playGame(table, order, game);
    record.scores.forEach((score, seat) => {
      report.totals[order[seat]!.number - 1]! += score;
    });
    report.games.push(record);
  }

  await Promise.all(
    players.filter((p) => !p.left).map((p) => seats.tell(p, STOP, options.moveTimeoutMs)),
  );
  seats.release(players);
  const totals = report.totals.map((total, i) => `player ${i + 1} ${total}`).join(", ");
  log.info(`session ${session} over: ${totals}`);
  broadcast.publish(`session ${session} ends: ${totals}`);
  return report;
}

/** One game: wake-up, turns until the rules say it is over (or someone forfeits), sleep. */
async function playGame(table: Table, order: Player[], game: number): Promise<GameRecord> {
  const { rules, seats, broadcast, random, options, log } = table;
  const who = (seat: number) => `seat ${seat} (player ${order[seat - 1]!.number})`;
  const record: GameRecord = { game, seats: order.map((p) => p.number), moves: [], scores: [] };
  const seating = order.map((_, i) => who(i + 1)).join(", ");
  log.info(`game ${game}: ${seating}`);
  broadcast.publish(`game ${game} begins: ${seating}\n${encodePod(rules.configuration())}`);

  const configuration = encodePod(rules.configuration());
  const woken = await Promise.all(
    order.map((player, i) =>
      seats.ask(player, wakeUpMessage(i + 1, order.length, configuration), options.moveTimeoutMs),
    ),
  );
  for (const [i, heard] of woken.entries()) expectReady(table, order[i]!, heard);

  let state = rules.start(random);
  // #region game-loop
  for (let seat = rules.turn(state); seat !== undefined; seat = rules.turn(state)) {
    const leaver = order.findIndex((player) => player.left);
    if (leaver >= 0) {
      record.forfeit = { seat: leaver + 1, reason: order[leaver]!.left! };
      break;
    }
    const player = order[seat - 1]!;
    const outcome = await takeTurn(table, player, seat, state, `game ${game}: ${who(seat)}`);
    switch (outcome.kind) {
      case "action": {
        state = rules.play(state, seat, outcome.action, random);
        record.moves.push({ seat, action: outcome.action.label });
        const played = `${who(seat)} ${rules.describe(outcome.action)}`;
        const move = `game ${game} move ${record.moves.length}: ${played}`;
        log.info(move);
        broadcast.publish(`${move}\n${encodePod(rules.view(state, seat))}`);
        break;
      }
      case "timeout": {
        if (player.missed >= options.maxMissed) {
          seats.leave(player, missedDeadlines(player), "timeout");
          break; // the top of the loop sees it has left
        }
        state = rules.pass(state, seat, random);
        const late = `did not answer in ${options.moveTimeoutMs} ms; the turn passes`;
        const missed = `game ${game}: ${who(seat)} ${late}`;
        log.warn(missed);
        broadcast.publish(missed);
        break;
      }
      case "refused":
        record.forfeit = { seat, reason: `${options.maxInvalid} invalid actions` };
        break;
      case "left":
        record.forfeit = { seat, reason: outcome.reason };
        break;
    }
    if (record.forfeit) break;
  }
  // #endregion

  if (record.forfeit) {
    const { seat, reason } = record.forfeit;
    log.warn(`game ${game}: ${who(seat)} forfeits (${reason})`);
    broadcast.publish(`game ${game} forfeit: ${who(seat)} (${reason})`);
  }
  record.scores = record.forfeit ? rules.forfeit(state, record.forfeit.seat) : rules.scores(state);
  const scores = record.scores.map((score, i) => `${who(i + 1)} ${score}`).join(", ");
  log.info(`game ${game} over: ${scores}`);
  broadcast.publish(`game ${game} ends: ${scores}\n${encodePod(rules.view(state, 1))}`);

  const slept = await Promise.all(
    order.map((player, i) => {
      const view = encodePod(rules.view(state, i + 1));
      return seats.ask(player, sleepMessage(record.scores[i]!, view), options.moveTimeoutMs);
    }),
  );
  for (const [i, heard] of slept.entries()) expectReady(table, order[i]!, heard);
  return record;
}

type TurnOutcome =
  | { kind: "action"; action: Pod }
  | { kind: "timeout" }
  | { kind: "refused" }
  | { kind: "left"; reason: string };

/**
 * Asks one player for its action. A refused action is answered with the same perception plus
 * an `error` node saying why, up to maxInvalid times; then the player forfeits.
 */
async function takeTurn(
  table: Table,
  player: Player,
  seat: number,
  state: unknown,
  who: string,
): Promise<TurnOutcome> {
  const { rules, seats, options, log } = table;
  const view = rules.view(state, seat);
  let error: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const explain = error !== undefined && !options.plainRefusals;
    const shown = explain ? { ...view, children: [...view.children, errorNode(error!)] } : view;
    const heard = await seats.ask(
      player,
      perceptionMessage(encodePod(shown)),
      options.moveTimeoutMs,
    );
    if (heard.kind !== "request") return heard;
    const action = readAction(heard);
    error = typeof action === "string" ? action : rules.check(state, seat, action);
    if (error === undefined && typeof action !== "string") return { kind: "action", action };
    const refused = `${who} sent a refused action (${attempt}/${options.maxInvalid}): ${error}`;
    log.warn(refused);
    table.broadcast.publish(refused);
    if (attempt >= options.maxInvalid) return { kind: "refused" };
  }
}

/** The error a player gets with its re-asked perception: a last child of the state. */
const errorNode = (message: string): Pod => ({
  label: `error ${message}`.replace(/\s+/g, " ").slice(0, 200),
  integers: [],
  values: [],
  children: [],
});

/** The action Pod in a request, or why the request is not one. */
function readAction(heard: Heard & { kind: "request" }): Pod | string {
  if (heard.problem) return heard.problem;
  try {
    return decodePod(heard.text);
  } catch (error) {
    if (error instanceof PodError) return `the action is not a Pod: ${error.message}`;
    throw error;
  }
}

const missedDeadlines = (player: Player) =>
  `missed ${player.missed} deadline${player.missed === 1 ? "" : "s"} in a row`;

/** After wake-up and sleep, a player must say "ready": anything else ends its session. */
function expectReady(table: Table, player: Player, heard: Heard): void {
  if (heard.kind === "request" && (heard.problem || heard.text !== READY)) {
    table.log.warn(
      `player ${player.number} said ${JSON.stringify(heard.text.slice(0, 40))} when "ready" was due`,
    );
    table.seats.leave(player, "spoke out of turn", "protocol");
  } else if (heard.kind === "timeout" && player.missed >= table.options.maxMissed) {
    table.seats.leave(player, missedDeadlines(player), "timeout");
  }
}

const STOPPING = "the game server is stopping";

if (isMain(import.meta.url)) {
  const options = parseFlags(gameServerDefaults);
  await runGameServer({ ...options, signal: stopOnSignals(options.name) });
}
