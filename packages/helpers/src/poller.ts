// zmq_poll for zeromq.js: wait until one of several sockets has a message, or a time-out passes.
//
//   const poller = new Poller({ frontend, backend });
//   for (;;) {
//     const event = await poller.next({ from: idle.length ? ["frontend", "backend"] : ["backend"], timeoutMs: 1000 });
//     if (event.kind === "closed") break;
//     if (event.kind === "timeout") { ...send heartbeats...; continue; }
//     switch (event.from) { case "frontend": ...; case "backend": ... }
//   }
//
// zeromq.js has no zmq_poll: each socket is an async iterator. The Guide's reliable queues are one
// loop that polls some sockets (the frontend only while a worker is idle) with a time-out (the
// heartbeat), and doing all sends from that one loop also keeps to zeromq.js's rule of one send
// in flight per socket. This gives that loop back. One difference from zmq_poll: a socket polled
// once has a receive pending, so it may take one message before it is polled again; that message
// is handed out the next time the socket is polled, never lost and never reordered.
import type { Readable, Socket } from "zeromq";

type Received<Name extends string> =
  | { kind: "message"; from: Name; frames: Buffer[] }
  | { kind: "failed"; from: Name; error: unknown };

export type PollEvent<Name extends string> =
  | { kind: "message"; from: Name; frames: Buffer[] }
  | { kind: "timeout" }
  | { kind: "closed"; from: Name };

const isEagain = (error: unknown) => (error as { code?: string }).code === "EAGAIN";

export class Poller<Name extends string> {
  readonly #sockets: Record<Name, Socket & Readable>;
  readonly #pending = new Map<Name, Promise<Received<Name>>>();

  constructor(sockets: Record<Name, Socket & Readable>) {
    this.#sockets = sockets;
  }

  /**
   * The next message from one of `from` (every socket when left out). After `timeoutMs` with
   * none, `timeout`; `closed` once one of the polled sockets is closed.
   */
  async next(options: { from?: Name[]; timeoutMs?: number } = {}): Promise<PollEvent<Name>> {
    const names = options.from ?? (Object.keys(this.#sockets) as Name[]);
    for (;;) {
      const closed = names.find((name) => this.#sockets[name].closed);
      if (closed !== undefined) return { kind: "closed", from: closed };
      let timer: NodeJS.Timeout | undefined;
      const timedOut =
        options.timeoutMs === undefined
          ? undefined
          : new Promise<"timeout">((resolve) => {
              timer = setTimeout(() => resolve("timeout"), Math.max(0, options.timeoutMs!));
            });
      const first = await Promise.race([
        ...names.map((name) => this.#receiving(name)),
        ...(timedOut ? [timedOut] : []),
      ]);
      clearTimeout(timer);
      let received: Received<Name>;
      if (first !== "timeout") received = first;
      else {
        // The timer is on Node's event loop: after a stall (a busy machine, a SIGSTOP) it fires
        // before the loop has looked at sockets whose messages arrived meanwhile. Let the loop
        // take one turn, so those receives complete, before calling it a quiet period. (Not by
        // reading `socket.readable`: with a receive pending, asking libzmq for its events can
        // swallow the wake-up that receive waits for, and it then waits for ever.)
        await new Promise((resolve) => setImmediate(resolve));
        const settled = await Promise.race([
          ...names.map((name) => this.#receiving(name)),
          Promise.resolve("quiet" as const),
        ]);
        if (settled === "quiet") return { kind: "timeout" };
        received = settled;
      }
      const event = this.#take(received.from, received);
      if (event) return event;
    }
  }

  /** The receive pending on `name`, started if there is none. It never rejects. */
  #receiving(name: Name): Promise<Received<Name>> {
    let pending = this.#pending.get(name);
    if (!pending) {
      pending = this.#sockets[name].receive().then(
        (frames): Received<Name> => ({ kind: "message", from: name, frames }),
        (error: unknown): Received<Name> => ({ kind: "failed", from: name, error }),
      );
      this.#pending.set(name, pending);
    }
    return pending;
  }

  /** Turns a finished receive into an event; undefined when it was a dropped message (poll again). */
  #take(name: Name, received: Received<Name>): PollEvent<Name> | undefined {
    this.#pending.delete(name);
    if (received.kind === "message") return received;
    if (this.#sockets[name].closed) return { kind: "closed", from: name };
    // A REQ/REP socket that was readable and then dropped a malformed message (see receive.ts).
    if (isEagain(received.error)) return undefined;
    throw received.error;
  }
}
