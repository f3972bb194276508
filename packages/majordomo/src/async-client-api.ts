// Majordomo asynchronous client API (the Guide's mdcliapi2): a DEALER, many requests in flight.
//
//   const client = new MajordomoAsyncClient({ broker: "tcp://localhost:5555" });
//   await client.send("echo", "1"); await client.send("echo", "2");
//   const reply = await client.receive({ timeoutMs: 2500 }); // { service, body } or null
//   client.close();
//
// Sends never wait for replies, and replies come back in the order workers finish them: the
// caller matches them (for example by a sequence number in the body). No retries here: a
// caller that needs them resends what has not come back (the Guide's mdclient2 does not).
import {
  describeFrame,
  type Logger,
  Poller,
  reconnectWhenDropped,
  roleLog,
} from "@zmq-patterns/helpers";
import { Dealer } from "zeromq";
import { BROKER_ENDPOINT, type Frame, MAX_FRAME_BYTES, MDPC01, toBuffer } from "./protocol.ts";

export interface MajordomoAsyncClientOptions {
  broker?: string;
  /** Aborting it closes the socket: a pending receive() resolves null. */
  signal?: AbortSignal;
  log?: Logger;
}

export interface MajordomoReply {
  service: string;
  body: Buffer[];
}

export class MajordomoAsyncClient {
  readonly broker: string;
  readonly #socket: Dealer;
  readonly #poller: Poller<"socket">;
  readonly #log: Logger;

  constructor(options: MajordomoAsyncClientOptions = {}) {
    this.broker = options.broker ?? BROKER_ENDPOINT;
    this.#log = options.log ?? roleLog("client");
    this.#socket = new Dealer({ linger: 0, maxMessageSize: MAX_FRAME_BYTES });
    // libzmq drops a connection that brings a frame over MAX_FRAME_BYTES, and never connects it
    // again: every later send would wait for ever. This one socket is all we have, so we do.
    reconnectWhenDropped(this.#socket, this.#log);
    this.#socket.connect(this.broker);
    this.#poller = new Poller({ socket: this.#socket });
    options.signal?.addEventListener("abort", () => this.close(), { once: true });
    if (options.signal?.aborted) this.close();
  }

  get closed(): boolean {
    return this.#socket.closed;
  }

  /** Queues a request for `service`; resolves once libzmq has taken it (not when it is answered). */
  async send(service: string, ...body: Frame[]): Promise<void> {
    // A DEALER must add the empty delimiter a REQ would add: ["", "MDPC01", service, body...].
    await this.#socket.send(["", MDPC01, service, ...body.map(toBuffer)]);
  }

  /**
   * The next reply, whichever request it answers; null after `timeoutMs` without one (or when
   * closed). Anything that is not a Majordomo reply is logged and skipped.
   */
  async receive(options: { timeoutMs?: number } = {}): Promise<MajordomoReply | null> {
    const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
    for (;;) {
      const timeoutMs = deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
      const event = await this.#poller.next({ timeoutMs });
      if (event.kind !== "message") return null; // timed out or closed
      const [delimiter, header, service, ...body] = event.frames;
      if (delimiter?.length === 0 && header?.toString() === MDPC01 && service !== undefined) {
        return { service: service.toString(), body };
      }
      this.#log.warn(`malformed reply: ${event.frames.map(describeFrame).join(" ")}; skipped`);
    }
  }

  close(): void {
    if (!this.#socket.closed) this.#socket.close();
  }
}
