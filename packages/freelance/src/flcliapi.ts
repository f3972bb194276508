// flcliapi: a Freelance Protocol client (RFC 10), the Guide's flcliapi. The application calls
// connect(endpoint) and request(body); an agent behind it keeps the servers' state: it pings
// each server it has not heard from lately, counts one silent for the TTL as dead, sends each
// request to a live server, and on a time-out sends it to the next one, until a deadline.
//
// Where the agent runs: on the application's event loop, not in a thread. The Guide's C and
// Python agents need a thread because the application blocks in request(); here request()
// returns a promise, so while the application waits the event loop runs the agent's receive
// loop and timers. No inproc pipe, no second thread, one ROUTER socket (docs/freelance.md).
//
//   const client = new FreelanceClient(freelanceDefaults);
//   client.connect("tcp://localhost:5555");
//   const answer = await client.request(["random name"]); // { reply: [OK], server } or undefined
//   client.close();
import { closeOnAbort, describeFrame, type Logger, roleLog } from "@zmq-patterns/helpers";
import { Router } from "zeromq";
import {
  GLOBAL_TIMEOUT_MS,
  isUnreachable,
  MAX_FRAMES,
  PING,
  PING_INTERVAL_MS,
  PONG,
  parseSequence,
  REQUEST_TIMEOUT_MS,
  ROUTER_OPTIONS,
  SERVER_TTL_MS,
} from "./protocol.ts";

export const freelanceDefaults = {
  /** Ping a server we have not heard from for this long. */
  pingIntervalMs: PING_INTERVAL_MS,
  /** A server silent for this long is dead: no requests go to it until it answers again. */
  serverTtlMs: SERVER_TTL_MS,
  /** Wait this long for one server's reply before sending the request to the next. */
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  /** Give up on a request after this long (the Guide's GLOBAL_TIMEOUT). */
  globalTimeoutMs: GLOBAL_TIMEOUT_MS,
  /** Log each send and each late reply (warnings are always logged). */
  verbose: false,
  name: "client",
};
export type FreelanceOptions = typeof freelanceDefaults & { signal?: AbortSignal };

/** A request's answer: the reply's body (after the control frame) and who sent it. */
export interface FreelanceAnswer {
  reply: Buffer[];
  server: string;
}

interface Server {
  /** What we connected to, and so the server's routing id. */
  endpoint: string;
  /** Heard from within the TTL (a server counts as alive only once it has answered). */
  alive: boolean;
  /** When to ping it next, unless we hear from it before. */
  pingAt: number;
  /** When it counts as dead, unless we hear from it before. */
  expiresAt: number;
  /** A connection to its endpoint has completed its handshake (and not closed since). */
  connected: boolean;
  /** Its connection closed since we last heard from it (a crash: the kernel closed it). */
  closed: boolean;
}

interface Pending {
  sequence: number;
  body: (Buffer | string)[];
  /** The whole request fails at this time. */
  deadline: number;
  /** The server it was last sent to, while we wait for that one's reply. */
  server?: Server;
  /** When to give up on that server and try the next. */
  tryDeadline: number;
  /** Servers tried for this request that have not answered. */
  tried: Set<Server>;
  done: (answer: FreelanceAnswer | undefined) => void;
}

/** What a server sent: a PONG, a reply to request `sequence`, or a problem. */
export function readServerMessage(
  frames: Buffer[],
): { kind: "pong" } | { kind: "reply"; sequence: number; body: Buffer[] } | { problem: string } {
  const shown = () => frames.map(describeFrame).join(" ");
  if (frames.length === 1 && frames[0]!.toString() === PONG) return { kind: "pong" };
  if (frames.length < 2 || frames.length > MAX_FRAMES)
    return {
      problem: `${frames.length} frame(s), neither PONG nor [sequence, body...]: ${shown()}`,
    };
  const sequence = parseSequence(frames[0]);
  if (sequence === undefined)
    return { problem: `a reply whose control frame is not a sequence number: ${shown()}` };
  return { kind: "reply", sequence, body: frames.slice(1) };
}

export class FreelanceClient {
  // protected, not #private: exercise 02's subclass uses them in its expireSilentServers().
  protected readonly options: FreelanceOptions;
  protected readonly log: Logger;
  /** Every server by endpoint, in the order connected: requests go round this list. */
  protected readonly serverByEndpoint = new Map<string, Server>();
  readonly #router = new Router(ROUTER_OPTIONS);
  #next = 0;
  #sequence = 0;
  #pending: Pending | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Resolves when the agent has stopped (close(), or the signal). */
  readonly stopped: Promise<void>;

  constructor(options: FreelanceOptions) {
    this.options = options;
    this.log = roleLog(options.name);
    closeOnAbort(options.signal, this.#router);
    options.signal?.addEventListener("abort", () => this.close(), { once: true });
    // A connection is up: ping the servers that have not answered yet at once, rather than at
    // their next ping. Until a server has answered, we send it no request: a ROUTER cannot
    // reach a peer before the connection is made (it would drop, or here refuse, the message).
    this.#router.events.on("handshake", ({ address }) => {
      const server = this.serverByEndpoint.get(address);
      if (!server) return;
      server.connected = true;
      if (!server.alive) server.pingAt = Date.now();
      this.#schedule();
    });
    this.#router.events.on("disconnect", ({ address }) => {
      const server = this.serverByEndpoint.get(address);
      if (!server) return;
      // A crashed server's kernel closes the connection: no need to wait for its silence.
      // (A hung one, or one behind a cut cable, closes nothing: only the TTL tells.)
      server.connected = false;
      if (!server.alive) return;
      server.closed = true;
      server.expiresAt = Date.now();
      this.#schedule();
    });
    this.stopped = this.#receive();
  }

  /** Connects to a server; its routing id must be this same endpoint string (RFC 10). */
  connect(endpoint: string): void {
    if (this.serverByEndpoint.has(endpoint)) return;
    this.#router.connect(endpoint);
    const now = Date.now();
    this.serverByEndpoint.set(endpoint, {
      endpoint,
      alive: false,
      pingAt: now,
      expiresAt: now,
      connected: false,
      closed: false,
    });
    this.log.info(`connecting to ${endpoint}`);
    this.#schedule();
  }

  /** Sends a request to a live server; the answer, or undefined when none answered in time. */
  request(body: (Buffer | string)[]): Promise<FreelanceAnswer | undefined> {
    if (this.#pending) throw new Error("one request at a time: await the last one first");
    if (this.#router.closed) return Promise.resolve(undefined);
    return new Promise((done) => {
      const now = Date.now();
      this.#sequence += 1;
      this.#pending = {
        sequence: this.#sequence,
        body,
        deadline: now + this.options.globalTimeoutMs,
        tryDeadline: 0,
        tried: new Set(),
        done,
      };
      this.#dispatch();
      this.#schedule();
    });
  }

  /** Each server and whether it counts as alive now. */
  servers(): { endpoint: string; alive: boolean }[] {
    return [...this.serverByEndpoint.values()].map(({ endpoint, alive }) => ({ endpoint, alive }));
  }

  /** Stops the agent; a request still waiting gets undefined. */
  close(): void {
    clearTimeout(this.#timer);
    this.#finish(undefined);
    if (!this.#router.closed) this.#router.close();
  }

  // #region receive
  /** The agent's receive loop: every message from a server, until the socket is closed. */
  async #receive(): Promise<void> {
    for await (const [id, ...frames] of this.#router) {
      const server = this.serverByEndpoint.get(id!.toString());
      if (!server) {
        this.log.warn(
          `message from unknown server ${describeFrame(id!)}: its routing id must be the endpoint we connected to; ignored`,
        );
        continue;
      }
      const message = readServerMessage(frames);
      if ("problem" in message) {
        this.log.warn(`invalid message from ${server.endpoint}: ${message.problem}; ignored`);
        continue;
      }
      this.#heardFrom(server);
      if (message.kind === "reply") {
        const pending = this.#pending;
        if (pending && message.sequence === pending.sequence) {
          this.#finish({ reply: message.body, server: server.endpoint });
        } else if (this.options.verbose) {
          // An answer to an earlier try that timed out: that request was answered or failed already.
          this.log.info(`discarded late reply ${message.sequence} from ${server.endpoint}`);
        }
      }
      this.#dispatch(); // a request waiting for a live server may have one now
      this.#schedule();
    }
    clearTimeout(this.#timer);
    this.#finish(undefined);
  }
  // #endregion receive

  #heardFrom(server: Server): void {
    const now = Date.now();
    server.pingAt = now + this.options.pingIntervalMs;
    server.expiresAt = now + this.options.serverTtlMs;
    server.closed = false;
    if (!server.alive) {
      server.alive = true;
      this.log.info(`server ${server.endpoint} is alive`);
    }
  }

  // #region dispatch
  /** Sends the waiting request to the next live server it has not tried, unless it is out already. */
  #dispatch(): void {
    const pending = this.#pending;
    if (!pending || pending.server || this.#router.closed) return;
    const servers = [...this.serverByEndpoint.values()];
    const live = servers.filter((server) => server.alive);
    if (live.length === 0) return; // it waits for a server to answer a ping, or for its deadline
    // Every live server tried and silent: another round with them, while the deadline allows.
    if (live.every((server) => pending.tried.has(server))) pending.tried.clear();
    // Round the list from where the last request went, so the load spreads and a server that
    // came back is used on its turn.
    const inTurn = servers.map((_, step) => servers[(this.#next + step) % servers.length]!);
    const server = inTurn.find((each) => each.alive && !pending.tried.has(each))!;
    this.#next = servers.indexOf(server) + 1;
    pending.server = server;
    pending.tryDeadline = Date.now() + this.options.requestTimeoutMs;
    if (this.options.verbose)
      this.log.info(`request ${pending.sequence} sent to ${server.endpoint}`);
    // sendTimeout 0 and mandatory: this completes at once, or fails if there is no connection.
    this.#router
      .send([server.endpoint, String(pending.sequence), ...pending.body])
      .catch((error) => {
        if (!isUnreachable(error)) throw error;
        // No connection to it now: it died, or its routing id is not the endpoint we connected to.
        server.alive = false;
        this.log.warn(`server ${server.endpoint} is not connected; marked dead`);
        if (this.#pending !== pending || pending.server !== server) return;
        pending.server = undefined;
        pending.tried.add(server);
        this.#dispatch();
        this.#schedule();
      });
  }
  // #endregion dispatch

  // #region timers
  /**
   * Marks dead every live server silent for the TTL (or whose connection closed) and starts its
   * connection over. A method of its own because exercise 02 writes this step itself.
   */
  protected expireSilentServers(now: number): void {
    for (const server of this.serverByEndpoint.values()) {
      if (!server.alive || now < server.expiresAt) continue;
      server.alive = false;
      const why = server.closed ? "connection closed" : `silent for ${this.options.serverTtlMs} ms`;
      this.log.warn(`server ${server.endpoint} ${why}; marked dead`);
      // Start its connection over: libzmq never reconnects one it dropped itself (for a frame
      // over maxMessageSize), and a new connection to a server that is back is as good as the old.
      this.reconnect(server.endpoint);
    }
  }

  /** Whatever is due now: dead servers, a try or a request that timed out, pings. */
  async #tick(): Promise<void> {
    // The timer runs on the event loop: after a stall it may fire before the loop has read the
    // messages that arrived meanwhile. One turn first, so those count before anything expires.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.#router.closed) return;
    const now = Date.now();
    this.expireSilentServers(now);
    const pending = this.#pending;
    // A request out to a server now dead goes to the next live one, without waiting for its try
    // to time out.
    if (pending?.server && !pending.server.alive) {
      pending.tried.add(pending.server);
      pending.server = undefined;
    }
    if (pending && now >= pending.deadline) {
      this.log.warn(
        `request ${pending.sequence}: no reply from any server in ${this.options.globalTimeoutMs} ms; failed`,
      );
      this.#finish(undefined);
    } else if (pending?.server && now >= pending.tryDeadline) {
      this.log.warn(
        `no reply from ${pending.server.endpoint} in ${this.options.requestTimeoutMs} ms; trying another server`,
      );
      pending.tried.add(pending.server);
      pending.server = undefined;
    }
    this.#dispatch();
    for (const server of this.serverByEndpoint.values()) {
      if (now < server.pingAt) continue;
      this.#router.send([server.endpoint, PING]).catch((error) => {
        if (!isUnreachable(error)) throw error;
        // Not connected (yet, or any more): ping again later. But connected and still no peer
        // with that routing id: the server's id is not the endpoint we know it by.
        if (server.connected)
          this.log.warn(
            `connected to ${server.endpoint}, but no peer there has that routing id: a Freelance server's routing id must be the endpoint its clients connect to`,
          );
      });
      server.pingAt = now + this.options.pingIntervalMs;
    }
    this.#schedule();
  }

  /** Sets the one timer for the next thing due (the Guide's "tickless" poll time-out). */
  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#router.closed) return;
    const due: number[] = [];
    for (const server of this.serverByEndpoint.values()) {
      due.push(server.pingAt);
      if (server.alive) due.push(server.expiresAt);
    }
    if (this.#pending) due.push(this.#pending.deadline);
    if (this.#pending?.server) due.push(this.#pending.tryDeadline);
    if (due.length === 0) return;
    this.#timer = setTimeout(() => void this.#tick(), Math.max(0, Math.min(...due) - Date.now()));
  }
  // #endregion timers

  /** Drops the connection to a server's endpoint, if there is one, and connects again. */
  protected reconnect(endpoint: string): void {
    try {
      this.#router.disconnect(endpoint);
    } catch (error) {
      if ((error as { code?: string }).code !== "ENOENT") throw error; // not connected: nothing to undo
    }
    this.#router.connect(endpoint);
  }

  #finish(answer: FreelanceAnswer | undefined): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.done(answer);
  }
}
