// Exercise 01: the Lazy Pirate client, to which you add exponential back-off. This is
// src/lazy-client.ts with the back-off knobs already declared; the TODOs say where it goes.
// The task is in TASK.md. Check your work: pnpm --filter pirates exercise 01
// Talks to: lazy-server.ts (REP), or a queue's frontend, like src/lazy-client.ts.
// Run: pnpm --filter pirates exec tsx exercises/01-backoff-client/backoff-client.ts [--connect tcp://localhost:5555] [--backoff-ms 1000] [--backoff-max-ms 32000]
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
import {
  CLIENT_PORT,
  RECONNECT_INITIAL_MS,
  RECONNECT_MAX_MS,
  REQUEST_RETRIES,
  REQUEST_TIMEOUT_MS,
} from "#src/protocol.ts";

export const backoffClientDefaults = {
  connect: [`tcp://localhost:${CLIENT_PORT}`],
  bind: [] as string[],
  /** Requests to send. */
  requests: 10,
  /** How long to wait for each reply. */
  timeoutMs: REQUEST_TIMEOUT_MS,
  /** How many times to send a request again before giving up on the server. */
  retries: REQUEST_RETRIES,
  /** The first wait before a resend; it doubles after each failed try, up to backoffMaxMs. */
  backoffMs: RECONNECT_INITIAL_MS,
  backoffMaxMs: RECONNECT_MAX_MS,
  name: "client",
};
export type BackoffClientOptions = typeof backoffClientDefaults & RoleControl;

export interface BackoffClientResult {
  /** The replies, in order: each one equal to the sequence number that was sent. */
  replies: string[];
  /** True when the server stayed silent through every retry. */
  gaveUp: boolean;
  /** Every back-off wait the client began, in milliseconds, in order. */
  waits: number[];
}

/** A new REQ socket, connected as the flags say, with a poller to wait on it with a time-out. */
async function openSocket(options: BackoffClientOptions, log: Logger) {
  const socket = new Request({ linger: 0 }); // linger 0: closing drops the unanswered request
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  return { socket, poller: new Poller({ socket }), endpoints };
}

/** Sends the requests one by one, retrying each on a fresh socket (TODO: after a growing wait). */
export async function runBackoffClient(
  options: BackoffClientOptions,
): Promise<BackoffClientResult> {
  const log = roleLog(options.name);
  let { socket, poller, endpoints } = await openSocket(options, log);
  options.onReady?.(endpoints);
  const result: BackoffClientResult = { replies: [], gaveUp: false, waits: [] };
  // TODO: keep the current back-off wait here, starting at options.backoffMs.

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
          // TODO: a success resets the back-off wait.
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
      // TODO: back off before the new socket: record the wait in result.waits, wait that long
      // (a stop signal must end the wait at once), then double it, up to options.backoffMaxMs.
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
  const options = parseFlags(backoffClientDefaults);
  const signal = stopOnSignals(options.name);
  const { replies, gaveUp, waits } = await runBackoffClient({ ...options, signal });
  const log = roleLog(options.name);
  const outcome = gaveUp ? "gave up" : signal.aborted ? "stopped" : "done";
  log.info(
    `${outcome}: ${replies.length} of ${options.requests} requests answered, ${waits.length} back-off waits`,
  );
  if (gaveUp) process.exitCode = 1;
}
