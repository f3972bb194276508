// Step 3: a game server's seats reached through a hub. A DEALER connects to the hub's table
// endpoint, says HELLO (which game, how many seats), then relays: each REQUEST from the hub is a
// player's message as a ROUTER would give it, each reply goes back as REPLY. Both sides beat.
// Talks to: hub.ts (ROUTER on TABLE_PORT). Used by game-server.ts --hub.
import { closeAndDrain, describeFrame, type Logger } from "@zmq-patterns/helpers";
import { Dealer } from "zeromq";
import {
  BYE,
  DISCONNECT,
  GONE,
  HEARTBEAT,
  HELLO,
  MAX_MESSAGE_BYTES,
  REPLY,
  REQUEST,
  SEATS,
  TABLE_PROTOCOL,
  WELCOME,
} from "./protocol.ts";
import type { LinkEvent, PlayerLink } from "./seats.ts";

export interface TableLinkOptions {
  hub: string;
  /** The name of the game the table plays (its rules' name), as the hub's --game names it. */
  game: string;
  seats: number;
  name: string;
  heartbeatMs: number;
  liveness: number;
  signal?: AbortSignal;
}

/** One connection to the hub; its events end when the hub is lost, refuses us, or we stop. */
export class TableLink implements PlayerLink {
  private readonly socket: Dealer;
  private readonly timer: NodeJS.Timeout;
  private lastHeard = Date.now();
  private sending: Promise<unknown> = Promise.resolve();
  /** Resolves once the socket is gone: closed, and its BYE out (or its linger over). */
  gone: Promise<void> = Promise.resolve();
  /** Why the link ended, once it has ("stopped" when we were asked to stop). */
  ended?: string;
  /** Resolves when the hub has answered HELLO. */
  readonly welcomed: Promise<void>;
  private welcome!: () => void;

  constructor(
    private readonly options: TableLinkOptions,
    private readonly log: Logger,
  ) {
    // sendTimeout 0: a DEALER whose connection libzmq dropped has nowhere to send, and would
    // wait for ever; a send that cannot leave now is simply "not delivered". linger: BYE leaves.
    this.socket = new Dealer({ linger: 500, sendTimeout: 0, maxMessageSize: MAX_MESSAGE_BYTES });
    this.welcomed = new Promise((resolve) => {
      this.welcome = resolve;
    });
    this.socket.connect(options.hub);
    this.post([HELLO, options.game, String(options.seats), options.name]);
    this.timer = setInterval(() => this.beat(), options.heartbeatMs);
    options.signal?.addEventListener("abort", () => this.close("stopped", true), { once: true });
  }

  get closed(): boolean {
    return this.socket.closed;
  }

  // #region table-loop
  async *events(): AsyncIterable<LinkEvent> {
    for await (const [protocol, command, ...rest] of this.socket) {
      this.lastHeard = Date.now(); // any message from the hub says it is alive
      if (String(protocol) !== TABLE_PROTOCOL || !command) {
        this.log.warn(`dropped a message from the hub that is not ${TABLE_PROTOCOL}`);
        continue;
      }
      const [id, ...frames] = rest;
      switch (String(command)) {
        case REQUEST:
          if (id) yield { kind: "message", id, frames }; // exactly what a ROUTER would give
          break;
        case GONE:
          if (id) yield { kind: "gone", id, reason: "disconnected (the hub could not reach it)" };
          break;
        case WELCOME:
          this.log.info(`seated at the hub ${this.options.hub} as ${this.options.name}`);
          this.welcome();
          break;
        case HEARTBEAT:
          break;
        case DISCONNECT:
          this.log.warn(`the hub disconnected us: ${String(id ?? "")}`);
          this.close("the hub disconnected us", false);
          break;
        default:
          this.log.warn(`unknown command ${describeFrame(command)} from the hub; ignored`);
      }
    }
  }
  // #endregion

  send(id: Buffer, text: string): Promise<boolean> {
    return this.post([REPLY, id, text]);
  }

  seats(free: number): void {
    void this.post([SEATS, String(free)]);
  }

  /** Beats, and ends the link when the hub has been silent for `liveness` beats. */
  private beat(): void {
    const silent = Date.now() - this.lastHeard;
    if (silent > this.options.heartbeatMs * this.options.liveness) {
      this.log.warn(`the hub has been silent for ${silent} ms; leaving it, to connect again`);
      this.close("the hub was lost", false);
      return;
    }
    void this.post([HEARTBEAT]);
  }

  /** Closes the link; says BYE first when we stop, so the hub tells our players at once. */
  close(why: string, sayBye: boolean): void {
    if (this.ended) return;
    this.ended = why;
    clearInterval(this.timer);
    const last = sayBye ? this.post([BYE]) : Promise.resolve(false);
    // closeAndDrain, not close(): a stop signal during the drain is then logged, and exits 0.
    this.gone = last.catch(() => false).then(() => closeAndDrain(this.socket));
  }

  /** One send at a time; false when it cannot leave now (no connection, or the queue is full). */
  private post(frames: (string | Buffer)[]): Promise<boolean> {
    const sent = this.sending.then(async () => {
      if (this.socket.closed) return false;
      try {
        await this.socket.send([TABLE_PROTOCOL, ...frames]);
        return true;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (this.socket.closed || code === "EAGAIN") return false;
        throw error;
      }
    });
    this.sending = sent.catch(() => false);
    return sent;
  }
}
