// The game server's ROUTER seen as a table of seats. One receive loop reads every message,
// checks it, and files it under the player who sent it; the game asks for a player's next
// request with a deadline. A REQ player always waits for exactly one reply, so the table
// *holds* each player's last request until the game has something to say to that player.
// The seats do not care how the players' messages arrive: through the game server's own ROUTER
// (RouterLink, step 2) or relayed by a hub (TableLink in table-link.ts, step 3).
// Talks to: players (REQ) over the ROUTER that game-server.ts binds, or through hub.ts.
import { describeFrame, type Logger } from "@zmq-patterns/helpers";
import type { Router } from "zeromq";
import { JOIN, MAX_REQUEST_BYTES, NOP, READY, stopMessage, YES } from "./protocol.ts";

export interface Player {
  /** 1, 2... in join order: the number used in logs and in the session's totals. */
  number: number;
  /** The routing id the ROUTER gave this peer. */
  id: Buffer;
  /** A request has arrived and has not been answered yet (the player is waiting for us). */
  held: boolean;
  /** A request that nobody has read yet. */
  unread?: Heard;
  /** The game is waiting for this player's next request. */
  waiter?: (heard: Heard) => void;
  /** It missed its last deadline, so its next request is late: answered, but not read. */
  late: boolean;
  /** Deadlines missed in a row. */
  missed: number;
  /** Why it left the session, once it has. */
  left?: string;
}

/** What the game hears when it waits for a player. */
export type Heard =
  | { kind: "request"; text: string; problem?: string }
  | { kind: "timeout" }
  | { kind: "left"; reason: string };

const playerName = (player: Player) => `player ${player.number}`;

/** Why a message from a REQ peer (after its routing id) cannot be read, or undefined. */
export function checkRequestFrames(frames: Buffer[]): string | undefined {
  const [, payload] = frames;
  if (frames.length !== 2 || !payload) return `expected 1 text frame, got ${frames.length - 1}`;
  if (payload.length > MAX_REQUEST_BYTES) {
    return `request is ${payload.length} bytes; the limit is ${MAX_REQUEST_BYTES}`;
  }
  if (payload.toString("utf8").includes("\uFFFD")) {
    return `request is not UTF-8 text: ${describeFrame(payload)}`;
  }
  return undefined;
}

// #region link
/** What reaches the seats: a player's message (its frames after the routing id), or news that it has gone. */
export type LinkEvent =
  | { kind: "message"; id: Buffer; frames: Buffer[] }
  | { kind: "gone"; id: Buffer; reason: string };

/** How the seats reach their players: a ROUTER of our own, or a hub relaying for us. */
export interface PlayerLink {
  /** Every event until the link closes. */
  events(): AsyncIterable<LinkEvent>;
  /** Sends `text` as the reply to the player's request; false if it cannot be delivered. */
  send(id: Buffer, text: string): Promise<boolean>;
  /** Says how many seats are free now (a hub uses it to seat players); a ROUTER needs none. */
  seats?(free: number): void;
  readonly closed: boolean;
}

/** Step 2: the game server's own ROUTER. */
export class RouterLink implements PlayerLink {
  constructor(private readonly router: Router) {}

  get closed(): boolean {
    return this.router.closed;
  }

  async *events(): AsyncIterable<LinkEvent> {
    for await (const [id, ...frames] of this.router) {
      if (id) yield { kind: "message", id, frames };
    }
  }

  /** False when the peer is unreachable: gone (EHOSTUNREACH), or not reading (EAGAIN). */
  async send(id: Buffer, text: string): Promise<boolean> {
    if (this.router.closed) return false;
    try {
      await this.router.send([id, "", text]); // the empty delimiter a REQ socket expects
      return true;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (this.router.closed || code === "EHOSTUNREACH" || code === "EAGAIN") return false;
      throw error;
    }
  }
}
// #endregion

/** Players joining a session that has not started yet. */
interface Gathering {
  count: number;
  joined: Player[];
  ready: Set<Player>;
  finish: (players: Player[] | undefined) => void;
}

export class Seats {
  /** Everyone seated (or joining) in the current session, by routing id in hex. */
  private readonly players = new Map<string, Player>();
  /** Players who left while still connected: told `stop\nerror <why>` when they speak again. */
  private readonly departed = new Map<string, "protocol" | "timeout">();
  private gathering?: Gathering;
  /** Once the server is stopping: the reply every message gets, and who has now heard it. */
  private stopping?: { message: string; heard: (key: string) => void };
  private sending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly link: PlayerLink,
    private readonly log: Logger,
  ) {}

  // #region receive-loop
  /** The receive loop: files every message under its sender, until the ROUTER closes. */
  async serve(): Promise<void> {
    for await (const event of this.link.events()) {
      if (event.kind === "gone") {
        this.gone(event.id, event.reason);
        continue;
      }
      const { id, frames } = event;
      const key = id.toString("hex");
      // A REQ peer puts an empty delimiter frame before its request; anything else is not a
      // HackaGames player, and there is no reply it could read: log it and go on.
      if (frames[0]?.length !== 0) {
        this.log.warn(`dropped a message from 0x${key} with no empty delimiter (not a REQ peer)`);
        continue;
      }
      if (this.stopping) {
        await this.send(id, this.stopping.message); // whatever it said: we are closing
        this.stopping.heard(key);
        continue;
      }
      const problem = checkRequestFrames(frames);
      const text = problem ? "" : frames[1]!.toString("utf8");
      const player = this.players.get(key);
      if (player) {
        this.file(player, problem ? { kind: "request", text, problem } : { kind: "request", text });
        continue;
      }
      const departedBecause = this.departed.get(key);
      if (departedBecause) {
        this.departed.delete(key);
        await this.send(id, stopMessage(departedBecause));
      } else if (problem) {
        this.log.warn(`bad request from 0x${key}: ${problem}; answered ${NOP}`);
        await this.send(id, NOP);
      } else if (text === JOIN) {
        await this.join(id, key);
      } else {
        // Only "player" opens a conversation; HackaGames answers anything else with "nop".
        this.log.warn(`unexpected ${describeFrame(frames[1]!)} from 0x${key}; answered ${NOP}`);
        await this.send(id, NOP);
      }
    }
    // The link has closed: nobody will answer any more.
    for (const player of [...this.players.values()]) this.leave(player, "the game server stopped");
    this.gathering?.finish(undefined);
  }
  // #endregion

  /** A request from a seated player: hand it to whoever waits, or keep it until asked. */
  private file(player: Player, heard: Heard & { kind: "request" }): void {
    if (player.held) {
      // A REQ socket cannot send twice without a reply in between: this peer is not
      // following the protocol (a DEALER, or a client that lost track of the conversation).
      this.leave(player, "spoke out of turn", "protocol");
      return;
    }
    player.held = true;
    const waiter = player.waiter;
    if (waiter) {
      player.waiter = undefined;
      waiter(heard);
    } else if (player.late) {
      player.late = false;
      this.log.warn(
        `${playerName(player)} answered after its deadline; the late answer is ignored`,
      );
    } else {
      player.unread = heard;
    }
  }

  /** "player" from a new peer: a seat and "yes" while a session is gathering, else "nop". */
  private async join(id: Buffer, key: string): Promise<void> {
    const gathering = this.gathering;
    if (!gathering || gathering.joined.length >= gathering.count) {
      this.log.warn(`0x${key} asked to play but no seat is free; answered ${NOP}`);
      await this.send(id, NOP);
      return;
    }
    const number = gathering.joined.length + 1;
    const player: Player = { number, id, held: true, late: false, missed: 0 };
    this.players.set(key, player);
    gathering.joined.push(player);
    this.link.seats?.(gathering.count - gathering.joined.length); // before the "yes" it costs
    if (!(await this.reply(player, YES))) return;
    this.log.info(`0x${key} joined as ${playerName(player)}`);
    void this.awaitReady(player, gathering);
  }

  /** After "yes" a player must say "ready"; anything else ends its session. */
  private async awaitReady(player: Player, gathering: Gathering): Promise<void> {
    const heard = await this.listen(player, Number.POSITIVE_INFINITY);
    if (heard.kind === "request" && heard.text === READY && !heard.problem) {
      gathering.ready.add(player);
      this.log.info(
        `${playerName(player)} is ready (${gathering.ready.size} of ${gathering.count})`,
      );
    } else if (heard.kind === "request") {
      this.leave(player, "spoke out of turn", "protocol");
    }
    this.checkGathering();
  }

  private checkGathering(): void {
    const gathering = this.gathering;
    if (!gathering) return;
    const before = gathering.joined.length;
    gathering.joined = gathering.joined.filter((player) => !player.left);
    const { joined, count, ready } = gathering;
    if (joined.length < before) this.link.seats?.(count - joined.length); // seats free again
    if (joined.length < count || !joined.every((player) => ready.has(player))) return;
    joined.forEach((player, index) => {
      player.number = index + 1; // numbered in join order, without those who left
    });
    gathering.finish(joined);
  }

  /**
   * Opens `count` seats and waits until that many players have joined and said "ready".
   * Resolves with them, numbered in join order; undefined if the server stops first.
   */
  gather(count: number): Promise<Player[] | undefined> {
    if (this.link.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.gathering = {
        count,
        joined: [],
        ready: new Set(),
        finish: (players) => {
          this.gathering = undefined;
          resolve(players);
        },
      };
      this.link.seats?.(count);
    });
  }

  // #region ask
  /**
   * The exchange at the heart of the game: answer the player's held request with `message`,
   * then wait for its next request. The player has `timeoutMs` for the whole exchange. A
   * player who missed an earlier deadline must come back first: its late request is answered
   * with `message`, but never read as the answer to it.
   */
  async ask(player: Player, message: string, timeoutMs: number): Promise<Heard> {
    const deadline = Date.now() + timeoutMs;
    if (!player.held) {
      const late = await this.listen(player, timeoutMs);
      if (late.kind !== "request") return this.count(player, late);
    }
    player.unread = undefined; // whatever it said before this question is not the answer
    player.late = false;
    if (!(await this.reply(player, message))) {
      return { kind: "left", reason: player.left ?? "disconnected" };
    }
    return this.count(player, await this.listen(player, deadline - Date.now()));
  }
  // #endregion

  /** Answers the held request (waiting for it until the deadline) and expects nothing back. */
  async tell(player: Player, message: string, timeoutMs: number): Promise<boolean> {
    if (!player.held && (await this.listen(player, timeoutMs)).kind !== "request") return false;
    player.unread = undefined;
    return this.reply(player, message);
  }

  /** Keeps count of the deadlines a player missed in a row. */
  private count(player: Player, heard: Heard): Heard {
    if (heard.kind === "timeout") {
      player.late = true;
      player.missed += 1;
    } else if (heard.kind === "request") {
      player.missed = 0;
    }
    return heard;
  }

  /** The player's next request, or a time-out, or the news that it has left. */
  private listen(player: Player, timeoutMs: number): Promise<Heard> {
    if (player.left) return Promise.resolve({ kind: "left", reason: player.left });
    const unread = player.unread;
    if (unread) {
      player.unread = undefined;
      return Promise.resolve(unread);
    }
    return new Promise((resolve) => {
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(
            () => {
              player.waiter = undefined;
              resolve({ kind: "timeout" });
            },
            Math.max(0, timeoutMs),
          )
        : undefined;
      player.waiter = (heard) => {
        clearTimeout(timer);
        resolve(heard);
      };
    });
  }

  /** Sends `message` as the reply to the player's held request; false if it has gone. */
  private async reply(player: Player, message: string): Promise<boolean> {
    if (player.left) return false;
    player.held = false;
    if (await this.send(player.id, message)) return true;
    this.leave(player, "disconnected");
    return false;
  }

  /**
   * The player is out of the session, and whoever waits for it hears so at once. When it is
   * still connected, it is told `stop\nerror <word>`: now if it is waiting for a reply,
   * otherwise as the answer to whatever it says next.
   */
  leave(player: Player, reason: string, word?: "protocol" | "timeout"): void {
    if (player.left) return;
    player.left = reason;
    const key = player.id.toString("hex");
    this.players.delete(key);
    this.log.warn(`${playerName(player)} has left: ${reason}`);
    if (word && player.held) void this.send(player.id, stopMessage(word));
    else if (word) this.departed.set(key, word);
    const waiter = player.waiter;
    player.waiter = undefined;
    waiter?.({ kind: "left", reason });
    this.checkGathering();
  }

  /** The link says this player has gone (a hub could not deliver its reply). */
  private gone(id: Buffer, reason: string): void {
    const key = id.toString("hex");
    this.departed.delete(key);
    const player = this.players.get(key);
    if (player) this.leave(player, reason);
  }

  /**
   * The server is stopping, and no player may be left waiting for a reply that never comes.
   * Each one whose request we hold hears `message` now; from now on, whoever speaks hears it as
   * the answer (a player that was thinking, a stranger). Resolves, with the replies handed to
   * the link, once every seated player has heard it, or after `waitMs`: a player still
   * thinking then is not told.
   */
  async stop(message: string, waitMs: number): Promise<void> {
    if (this.link.closed) return;
    const thinking = new Set<string>();
    for (const [key, player] of this.players) {
      if (player.held) void this.reply(player, message);
      else thinking.add(key);
    }
    if (this.players.size > 0) {
      this.log.info(
        `stopping: ${this.players.size - thinking.size} player(s) told at once, ${thinking.size} told if they speak within ${waitMs} ms`,
      );
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      const check = () => {
        if (thinking.size > 0) return;
        clearTimeout(timer);
        resolve();
      };
      this.stopping = {
        message,
        heard: (key) => {
          thinking.delete(key);
          check();
        },
      };
      check();
    });
    await this.sending;
  }

  /** The session is over: these players are strangers again (they may join the next one). */
  release(players: Player[]): void {
    for (const player of players) this.players.delete(player.id.toString("hex"));
  }

  /** One send at a time on the link (zeromq.js allows one in flight); false if undeliverable. */
  private send(id: Buffer, text: string): Promise<boolean> {
    const sent = this.sending.then(() => this.link.send(id, text));
    this.sending = sent.catch(() => false);
    return sent;
  }
}
