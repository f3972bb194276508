// Majordomo client API (the Guide's mdcliapi): a synchronous REQ client for MDP/0.1.
//
//   const client = new MajordomoClient({ broker: "tcp://localhost:5555" });
//   const reply = await client.request("echo", "Hello world"); // Buffer[], or null after the retries
//   client.close();
//
// One request at a time. A reply that does not come in `timeoutMs` means the broker or the
// worker died: the REQ socket is stuck waiting for it, so it is closed, a new one is opened and
// the request is sent again, `retries` times in all (the Guide counts so), then null.
import { describeFrame, type Logger, Poller, roleLog } from "@zmq-patterns/helpers";
import { Request } from "zeromq";
import {
  BROKER_ENDPOINT,
  type Frame,
  MAX_FRAME_BYTES,
  MDPC01,
  REQUEST_RETRIES,
  REQUEST_TIMEOUT_MS,
  toBuffer,
} from "./protocol.ts";

export interface MajordomoClientOptions {
  /** The broker's endpoint. */
  broker?: string;
  /** How long to wait for each reply. */
  timeoutMs?: number;
  /** How many times to send a request in all before giving up on it. */
  retries?: number;
  /** Aborting it closes the socket: a pending request() resolves null. */
  signal?: AbortSignal;
  /** Where to log ("[client] W: no reply in 2500 ms..."); by default a "client" log. */
  log?: Logger;
}

export class MajordomoClient {
  readonly broker: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly #log: Logger;
  readonly #signal: AbortSignal | undefined;
  #socket!: Request;
  #poller!: Poller<"socket">;

  constructor(options: MajordomoClientOptions = {}) {
    this.broker = options.broker ?? BROKER_ENDPOINT;
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    this.retries = options.retries ?? REQUEST_RETRIES;
    this.#log = options.log ?? roleLog("client");
    this.#signal = options.signal;
    this.#signal?.addEventListener("abort", () => this.close(), { once: true });
    this.#connect();
  }

  /** A new REQ socket: the old one, if any, is closed with whatever it still waited for. */
  #connect(): void {
    this.#socket?.close();
    // linger 0: closing drops the unanswered request; maxMessageSize: a huge reply cuts the
    // connection instead of filling memory (the time-out then tells).
    this.#socket = new Request({ linger: 0, maxMessageSize: MAX_FRAME_BYTES });
    this.#socket.connect(this.broker);
    this.#poller = new Poller({ socket: this.#socket });
  }

  /** True once close() has run (or the signal aborted). */
  get closed(): boolean {
    return this.#signal?.aborted === true || this.#socket.closed;
  }

  /**
   * Sends `body` to `service` and waits for its reply body, by hook or by crook: null after
   * `retries` sends with no valid reply (or when closed meanwhile).
   */
  async request(service: string, ...body: Frame[]): Promise<Buffer[] | null> {
    // A REQ adds the empty delimiter itself: ["", "MDPC01", service, body...] on the wire.
    const request = [Buffer.from(MDPC01), Buffer.from(service), ...body.map(toBuffer)];
    for (let attempt = 1; attempt <= this.retries; attempt++) {
      if (this.closed) return null;
      await this.#socket.send(request);
      const event = await this.#poller.next({ timeoutMs: this.timeoutMs });
      if (event.kind === "closed") return null; // closed while waiting
      if (event.kind === "message") {
        const [header, replyService, ...reply] = event.frames;
        if (header?.toString() === MDPC01 && replyService?.toString() === service) return reply;
        // A REQ takes one reply per request: after a wrong one, only a new socket can go on.
        this.#log.warn(
          `malformed reply (not MDPC01 from "${service}"): ${event.frames.map(describeFrame).join(" ")}`,
        );
      } else {
        this.#log.warn(`no reply from "${service}" in ${this.timeoutMs} ms`);
      }
      // The socket still waits for a reply that will never come: only a new one can send again,
      // for this request's next try or, after the last, for the caller's next request.
      if (this.closed) return null;
      this.#connect();
      if (attempt === this.retries) break;
      this.#log.info(`reconnected; sending again (${this.retries - attempt} tries left)`);
    }
    this.#log.warn(`permanent error, abandoning the request to "${service}"`);
    return null;
  }

  close(): void {
    if (!this.#socket.closed) this.#socket.close();
  }
}
