// Binary Star client (the Guide's bstarcli): a Lazy Pirate REQ client that fails over between
// the two servers. No reply in time: it closes the socket, waits for the pair to settle, and
// sends the same request to the other server, on a new socket, then stays with whoever answers.
// Talks to: server.ts or bstar-server.ts (primary and backup), or the Guide's bstarsrv/bstarsrv2.
// Run: pnpm --filter binary-star client [--connect tcp://localhost:5001,tcp://localhost:5002] [--requests 10] [--timeout-ms 1000]
import { setTimeout as sleep } from "node:timers/promises";
import {
  closeOnAbort,
  describeFrame,
  isMain,
  Poller,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Request } from "zeromq";
import {
  BACKUP_FRONTEND_PORT,
  PRIMARY_FRONTEND_PORT,
  REQUEST_TIMEOUT_MS,
  SETTLE_DELAY_MS,
} from "./protocol.ts";

export const clientDefaults = {
  /** The primary's frontend, then the backup's: the client tries them in turn. */
  connect: [`tcp://localhost:${PRIMARY_FRONTEND_PORT}`, `tcp://localhost:${BACKUP_FRONTEND_PORT}`],
  /** Requests to send (the Guide's client goes on for ever). */
  requests: 10,
  /** How long to wait for each reply before failing over. */
  timeoutMs: REQUEST_TIMEOUT_MS,
  /** Wait this long before trying the other server, so its peer has expired (bstarcli's settle delay). */
  settleMs: SETTLE_DELAY_MS,
  /** Pause between requests (the Guide's client sends one a second). */
  intervalMs: 1000,
  /** Give a request up after this many failovers in a row (the Guide's never gives up). */
  failovers: 10,
  name: "client",
};
export type ClientOptions = typeof clientDefaults & RoleControl;

/** Waits `ms`, or less when the client is stopped meanwhile. */
const pause = (ms: number, signal: AbortSignal | undefined) =>
  sleep(ms, undefined, { signal }).catch((error: unknown) => {
    if (!signal?.aborted) throw error;
  });

export interface ClientResult {
  /** The replies, in order, each one equal to the sequence number that was sent. */
  replies: string[];
  /** How many times it failed over to the other server. */
  failovers: number;
  /** True when a request went unanswered through every failover. */
  gaveUp: boolean;
}

/** Sends the requests one by one, failing over between the servers; returns what it got. */
export async function runClient(options: ClientOptions): Promise<ClientResult> {
  const log = roleLog(options.name);
  if (options.connect.length === 0) throw new Error(`${options.name}: no --connect endpoint given`);
  const result: ClientResult = { replies: [], failovers: 0, gaveUp: false };
  let server = 0; // index into options.connect: the primary first
  const open = () => {
    const socket = new Request({ linger: 0 }); // linger 0: closing drops the unanswered request
    closeOnAbort(options.signal, socket);
    socket.connect(options.connect[server]!);
    log.info(`connecting to server at ${options.connect[server]}`);
    return { socket, poller: new Poller({ socket }) };
  };
  let { socket, poller } = open();
  options.onReady?.(options.connect);

  requests: for (let sequence = 1; sequence <= options.requests; sequence++) {
    const request = String(sequence);
    log.info(`sending ${request} (${sequence}/${options.requests})`);
    await socket.send(request);
    for (let failovers = 0; ; ) {
      const event = await poller.next({ timeoutMs: options.timeoutMs });
      if (event.kind === "closed") break requests; // stopped (Ctrl-C) while waiting
      if (event.kind === "message") {
        if (event.frames.length === 1 && event.frames[0]!.toString() === request) {
          log.info(`server replied OK (${request})`);
          result.replies.push(request);
          break;
        }
        // A REQ takes one reply per request: after a wrong one it can only time out.
        log.error(`bad reply from server: ${event.frames.map(describeFrame).join(" ")}`);
        continue;
      }
      log.warn(`no reply in ${options.timeoutMs} ms from ${options.connect[server]}, failing over`);
      if (failovers === options.failovers) {
        log.error(`no server answered request ${request} after ${failovers} failovers; giving up`);
        result.gaveUp = true;
        break requests;
      }
      // The old socket is confused (it waits for a reply that will not come): close it, let the
      // pair settle (the other server must see its peer expire), then ask the other one.
      socket.close();
      failovers += 1;
      result.failovers += 1;
      server = (server + 1) % options.connect.length;
      await pause(options.settleMs, options.signal);
      if (options.signal?.aborted) break requests;
      ({ socket, poller } = open());
      log.info(`resending ${request} to ${options.connect[server]}`);
      await socket.send(request);
    }
    await pause(options.intervalMs, options.signal);
    if (options.signal?.aborted) break;
  }

  socket.close();
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(clientDefaults);
  const signal = stopOnSignals(options.name);
  const { replies, gaveUp, failovers } = await runClient({ ...options, signal });
  const outcome = gaveUp ? "gave up" : signal.aborted ? "stopped" : "done";
  roleLog(options.name).info(
    `${outcome}: ${replies.length} of ${options.requests} requests answered (failovers: ${failovers})`,
  );
  if (gaveUp) process.exitCode = 1;
}
