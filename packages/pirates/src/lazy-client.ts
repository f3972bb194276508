// Lazy Pirate client: a REQ client that survives a dead or stuck server by giving up on its
// socket. It waits a while for each reply; on time-out it closes the socket, opens a new one
// and sends the request again, and after its retries it gives up and says so.
// Talks to: lazy-server.ts (or the Guide's lpserver), or a queue's frontend (Simple/Paranoid Pirate).
// Run: pnpm --filter pirates lazy-client [--connect tcp://localhost:5555] [--requests 10] [--timeout-ms 2500] [--retries 3]
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  type Logger,
  Poller,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Request } from "zeromq";
import { CLIENT_PORT, REQUEST_RETRIES, REQUEST_TIMEOUT_MS } from "./protocol.ts";

export const lazyClientDefaults = {
  connect: [`tcp://localhost:${CLIENT_PORT}`],
  bind: [] as string[],
  /** Requests to send (the Guide's client goes on for ever). */
  requests: 10,
  /** How long to wait for each reply. */
  timeoutMs: REQUEST_TIMEOUT_MS,
  /** How many times to send a request again before giving up on the server. */
  retries: REQUEST_RETRIES,
  name: "client",
};
export type LazyClientOptions = typeof lazyClientDefaults & RoleControl;

export interface LazyClientResult {
  /** The replies, in order: each one equal to the sequence number that was sent. */
  replies: string[];
  /** True when the server stayed silent through every retry. */
  gaveUp: boolean;
}

/** What a client built on this one adds; exercise 01's back-off is one. */
export interface LazyClientExtension {
  /**
   * Called after a failed try, with the old socket closed and before the new one opens: `resend`
   * counts this request's resends from 1. A stop (options.signal) must end it at once.
   */
  beforeResend?: (request: string, resend: number, log: Logger) => Promise<void>;
}

/** A new REQ socket, connected as the flags say, with a poller to wait on it with a time-out. */
async function openSocket(options: LazyClientOptions, log: Logger) {
  const socket = new Request({ linger: 0 }); // linger 0: closing drops the unanswered request
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  return { socket, poller: new Poller({ socket }), endpoints };
}

/** Sends the requests one by one, retrying each on a fresh socket; returns what it got. */
export async function runLazyClient(
  options: LazyClientOptions,
  extension: LazyClientExtension = {},
): Promise<LazyClientResult> {
  const log = roleLog(options.name);
  let { socket, poller, endpoints } = await openSocket(options, log);
  options.onReady?.(endpoints);
  const result: LazyClientResult = { replies: [], gaveUp: false };

  requests: for (let sequence = 1; sequence <= options.requests; sequence++) {
    const request = String(sequence);
    log.info(`sending ${request} (${sequence}/${options.requests})`);
    await socket.send(request);

    let retriesLeft = options.retries;
    for (;;) {
      const event = await poller.next({ timeoutMs: options.timeoutMs });
      if (event.kind === "closed") break requests; // stopped (Ctrl-C) while waiting

      if (event.kind === "message") {
        if (event.frames.length === 1 && event.frames[0]!.toString() === request) {
          log.info(`server replied OK (${request})`);
          result.replies.push(request);
          continue requests;
        }
        // A REQ socket takes one reply per request: after a wrong one it can only time out.
        log.error(`malformed reply from server: ${event.frames.map(describeFrame).join(" ")}`);
      } else {
        log.warn(`no reply in ${options.timeoutMs} ms`);
      }

      if (retriesLeft === 0) {
        log.error(`server seems to be offline, abandoning request ${request}`);
        result.gaveUp = true;
        break requests;
      }
      // The socket is confused: it still waits for a reply that will never come, and a REQ
      // must get a reply before it may send again. Close it and start over with a new one.
      socket.close();
      // exercise 01 backs off here
      await extension.beforeResend?.(request, options.retries - retriesLeft + 1, log);
      if (options.signal?.aborted) break requests; // stopped (Ctrl-C) before the new socket
      ({ socket, poller } = await openSocket(options, log));
      retriesLeft -= 1;
      log.info(`reconnected; resending ${request} (${retriesLeft} retries left)`);
      await socket.send(request);
    }
  }

  socket.close();
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(lazyClientDefaults);
  const signal = stopOnSignals(options.name);
  const { replies, gaveUp } = await runLazyClient({ ...options, signal });
  const log = roleLog(options.name);
  const outcome = gaveUp ? "gave up" : signal.aborted ? "stopped" : "done";
  log.info(`${outcome}: ${replies.length} of ${options.requests} requests answered`);
  if (gaveUp) process.exitCode = 1;
}
