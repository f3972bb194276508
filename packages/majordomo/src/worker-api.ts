// Majordomo worker API (the Guide's mdwrkapi): a DEALER that offers one service to the broker.
//
//   const worker = new MajordomoWorker({ broker: "tcp://localhost:5555", service: "echo" });
//   for await (const request of worker.requests()) {
//     await worker.reply(request, ...request.body);
//   }
//   // or, the same in one line: await worker.serve((body) => body);
//
// It says READY with its service name, heartbeats the broker every `heartbeatMs` (also while a
// request is being handled), and counts the broker dead after `liveness` intervals of silence:
// then, or when the broker says DISCONNECT, it starts over on a new socket with a new READY.
import { setTimeout as sleep } from "node:timers/promises";
import { describeFrame, type Logger, Poller, roleLog } from "@zmq-patterns/helpers";
import { Dealer } from "zeromq";
import {
  BROKER_ENDPOINT,
  commandName,
  DISCONNECT,
  type Frame,
  HEARTBEAT,
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_LIVENESS,
  isMmi,
  MAX_FRAME_BYTES,
  MDPW01,
  READY,
  RECONNECT_MS,
  REPLY,
  REQUEST,
  workerIdentity,
} from "./protocol.ts";

export interface MajordomoWorkerOptions {
  /** The service this worker offers ("echo"); never an `mmi.*` name, those are the broker's. */
  service: string;
  broker?: string;
  /** Heartbeat the broker this often... */
  heartbeatMs?: number;
  /** ...and count it dead after this many intervals without a word from it. */
  liveness?: number;
  /** How long to wait before connecting again after the broker went silent. */
  reconnectMs?: number;
  /** The first part of the worker's routing id ("echo-1A2B"), and the log label. */
  name?: string;
  /** Log every heartbeat from the broker (normally only failures are logged). */
  showHeartbeats?: boolean;
  /** Aborting it closes the socket: requests() ends. */
  signal?: AbortSignal;
  log?: Logger;
}

/** A request from a client, as requests() hands it out; give it back to reply(). */
export interface MajordomoRequest {
  /** The client's address (routing id) at the broker, for logs. */
  client: Buffer;
  /** The request's body frames, as the client sent them. */
  body: Buffer[];
  /** The envelope the reply must carry back, and the socket it came on. */
  readonly replyTo: Buffer[];
  readonly session: number;
}

export type MajordomoHandler = (
  body: Buffer[],
  request: MajordomoRequest,
) => Frame[] | Promise<Frame[]>;

export class MajordomoWorker {
  readonly service: string;
  readonly broker: string;
  readonly heartbeatMs: number;
  readonly liveness: number;
  readonly reconnectMs: number;
  readonly name: string;
  /** What it did: requests received, replies sent, new sockets opened after losing the broker. */
  readonly stats = { requests: 0, replies: 0, reconnects: 0 };
  readonly #log: Logger;
  readonly #signal: AbortSignal | undefined;
  readonly #showHeartbeats: boolean;
  #socket!: Dealer;
  #poller!: Poller<"socket">;
  /** Which socket this is (1, 2, ...): a reply for a request from an older one is not sent. */
  #session = 0;
  #identity = "";
  /** Sends go one at a time (zeromq.js allows one in flight): heartbeats queue behind replies. */
  #sending: Promise<unknown> = Promise.resolve();
  #heartbeats: NodeJS.Timeout | undefined;

  constructor(options: MajordomoWorkerOptions) {
    if (isMmi(options.service) || options.service === "") {
      throw new Error(`a worker may not offer "${options.service}": mmi.* names are the broker's`);
    }
    this.service = options.service;
    this.broker = options.broker ?? BROKER_ENDPOINT;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS;
    this.liveness = options.liveness ?? HEARTBEAT_LIVENESS;
    this.reconnectMs = options.reconnectMs ?? RECONNECT_MS;
    this.name = options.name ?? options.service;
    this.#showHeartbeats = options.showHeartbeats ?? false;
    this.#log = options.log ?? roleLog(this.name);
    this.#signal = options.signal;
    this.#signal?.addEventListener("abort", () => this.close(), { once: true });
  }

  /** The current socket's routing id, as the broker sees it. */
  get identity(): string {
    return this.#identity;
  }

  get closed(): boolean {
    return this.#signal?.aborted === true || (this.#socket?.closed ?? false);
  }

  /** Sends `frames`; false when the socket has no connection to send on (EAGAIN) or is closed. */
  #send(frames: Frame[]): Promise<boolean> {
    const socket = this.#socket;
    const sent = this.#sending.then(async () => {
      if (socket.closed) return false;
      try {
        await socket.send(frames);
        return true;
      } catch (error) {
        if (socket.closed || (error as { code?: string }).code === "EAGAIN") return false;
        throw error;
      }
    });
    this.#sending = sent.catch(() => false);
    return sent;
  }

  /** A new DEALER with a new routing id, connected to the broker, that has said READY. */
  async #connect(): Promise<void> {
    this.#socket?.close();
    this.#identity = workerIdentity(this.name);
    // sendTimeout 0: a send with no connection fails at once (EAGAIN) instead of waiting for
    // ever (libzmq does not reconnect a connection it dropped for a frame over the limit).
    this.#socket = new Dealer({
      linger: 0,
      routingId: this.#identity,
      maxMessageSize: MAX_FRAME_BYTES,
      sendTimeout: 0,
    });
    this.#socket.connect(this.broker);
    this.#poller = new Poller({ socket: this.#socket });
    this.#session += 1;
    // RFC 7: every conversation with the broker starts with READY and the service name.
    await this.#send(["", MDPW01, READY, this.service]);
    this.#log.info(`${this.#identity} ready for "${this.service}" at ${this.broker}`);
  }

  /**
   * The requests from clients, one at a time, until the worker is closed. Handle each and
   * give it to reply() before asking for the next; heartbeats go on meanwhile.
   */
  async *requests(): AsyncGenerator<MajordomoRequest> {
    if (this.closed) return;
    await this.#connect();
    const silenceMs = this.heartbeatMs * this.liveness;
    let brokerExpiresAt = Date.now() + silenceMs; // the broker is dead if silent until then
    this.#heartbeats = setInterval(() => {
      void this.#send(["", MDPW01, HEARTBEAT]); // unsent means no connection: the silence will tell
    }, this.heartbeatMs);
    try {
      while (!this.closed) {
        const event = await this.#poller.next({ timeoutMs: brokerExpiresAt - Date.now() });
        if (event.kind === "closed") break; // closed (stopped), or replaced below
        if (event.kind === "timeout") {
          if (Date.now() < brokerExpiresAt) continue;
          // No word for liveness x interval: crashed, hung, or cut off. Start over.
          this.#log.warn(
            `heartbeat failure: the broker was silent for ${silenceMs} ms; reconnecting in ${this.reconnectMs} ms`,
          );
          this.#socket.close();
          try {
            await sleep(this.reconnectMs, undefined, { signal: this.#signal });
          } catch {
            break; // stopped while waiting
          }
          await this.#connect();
          this.stats.reconnects += 1;
          brokerExpiresAt = Date.now() + silenceMs;
          continue;
        }

        brokerExpiresAt = Date.now() + silenceMs; // any command from the broker shows it is alive
        const [delimiter, header, command, ...rest] = event.frames;
        if (delimiter?.length !== 0 || header?.toString() !== MDPW01) {
          this.#log.warn(`not an MDP/Worker message: ${event.frames.map(describeFrame).join(" ")}`);
        } else if (command?.equals(REQUEST)) {
          // [client address..., "", body...]: the reply goes back with the same envelope.
          const at = rest.findIndex((frame) => frame.length === 0);
          if (at < 1) {
            this.#log.warn(`REQUEST without a client address and an empty frame; ignored`);
            continue;
          }
          this.stats.requests += 1;
          const replyTo = rest.slice(0, at);
          yield { client: replyTo[0]!, body: rest.slice(at + 1), replyTo, session: this.#session };
          // The handler may have taken long, and the Guide's broker does not heartbeat a busy
          // worker: count the silence from now, as the Guide's mdwrkapi does.
          brokerExpiresAt = Date.now() + silenceMs;
        } else if (command?.equals(HEARTBEAT)) {
          if (this.#showHeartbeats) this.#log.info("heartbeat from the broker");
        } else if (command?.equals(DISCONNECT)) {
          this.#log.warn("the broker said DISCONNECT; reconnecting");
          await this.#connect();
          this.stats.reconnects += 1;
        } else {
          this.#log.warn(`unexpected ${commandName(command)} from the broker; ignored`);
        }
      }
    } finally {
      clearInterval(this.#heartbeats);
    }
  }

  /** Sends the reply to `request`; false when it cannot go (the client will retry). */
  async reply(request: MajordomoRequest, ...body: Frame[]): Promise<boolean> {
    if (request.session !== this.#session) {
      this.#log.warn("reply to a request from a previous connection to the broker; dropped");
      return false;
    }
    const sent = await this.#send(["", MDPW01, REPLY, ...request.replyTo, "", ...body]);
    if (sent) this.stats.replies += 1;
    else if (!this.closed) this.#log.warn("no connection to the broker for the reply; dropped");
    return sent;
  }

  /** Answers every request with `handler(body)` until the worker is closed. */
  async serve(handler: MajordomoHandler): Promise<void> {
    for await (const request of this.requests()) {
      await this.reply(request, ...(await handler(request.body, request)));
    }
  }

  close(): void {
    clearInterval(this.#heartbeats);
    if (this.#socket && !this.#socket.closed) this.#socket.close();
  }
}
