// Freelance client, model 2: the brutal shotgun massacre. One DEALER connected to every server
// sends each request to all of them at once and takes the first reply that carries the current
// sequence number; the other replies, and any late ones, are thrown away.
// Talks to: server2.ts (REP), or the Guide's flserver2, one or more.
// Run: pnpm --filter freelance client2 --connect tcp://localhost:5555,tcp://localhost:5556 [--requests 10]
import {
  closeOnAbort,
  describeFrame,
  isMain,
  Poller,
  parseFlags,
  type RoleControl,
  reconnectWhenDropped,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer } from "zeromq";
import { pause } from "./pause.ts";
import {
  MAX_FRAME_BYTES,
  OK,
  parseSequence,
  SERVER_PORTS,
  SHOTGUN_TIMEOUT_MS,
} from "./protocol.ts";

export const client2Defaults = {
  connect: [`tcp://localhost:${SERVER_PORTS[0]}`],
  /** Requests to send, one after another (the Guide's client sends 10,000 and times them). */
  requests: 10,
  /** If no server replies within this time, give up (the Guide's GLOBAL_TIMEOUT). */
  timeoutMs: SHOTGUN_TIMEOUT_MS,
  /** Wait this long between requests (0: none), so a run can outlast a fault. */
  pauseMs: 0,
  /** The request body (the Guide's is a name to resolve). */
  body: "random name",
  /** Log only warnings, errors and the summary (for the benchmark). */
  quiet: false,
  name: "client",
};
export type Client2Options = typeof client2Defaults & RoleControl;

export interface Client2Result {
  /** Requests answered, in order (each by the first server to reply). */
  answered: number;
  /** Replies thrown away: the other servers' answers, late answers to earlier requests. */
  discarded: number;
  /** True when no server answered a request in time (the client stopped there). */
  failed: boolean;
}

/** Sends the requests one by one, each to every server; returns what came back. */
export async function runClient2(options: Client2Options): Promise<Client2Result> {
  const log = roleLog(options.name);
  // sendTimeout 0: a copy that no connection can take is not sent, instead of waiting for ever.
  const socket = new Dealer({ linger: 0, sendTimeout: 0, maxMessageSize: MAX_FRAME_BYTES });
  closeOnAbort(options.signal, socket);
  // libzmq drops a connection that brings a frame over MAX_FRAME_BYTES, and never connects it
  // again: that server would get no more requests from us, for the whole run. So we do.
  reconnectWhenDropped(socket, log);
  // A connecting DEALER has a queue per server from connect() on, connected or not: each copy
  // below goes to the next queue in turn, so every server gets one (a dead one's waits in its queue).
  for (const endpoint of options.connect) {
    socket.connect(endpoint);
    log.info(`connecting to ${endpoint}`);
  }
  options.onReady?.(options.connect);
  const poller = new Poller({ socket });
  const result: Client2Result = { answered: 0, discarded: 0, failed: false };

  requests: for (let sequence = 1; sequence <= options.requests; sequence++) {
    // Blast the request to all servers: ["", sequence, body]; a REP sees [sequence, body].
    for (let copy = 0; copy < options.connect.length; copy++) {
      await socket.send(["", String(sequence), options.body]).catch((error: unknown) => {
        if ((error as { code?: string }).code !== "EAGAIN") throw error; // every queue full
      });
    }
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const event = await poller.next({ timeoutMs: deadline - Date.now() });
      if (event.kind === "closed") break requests; // stopped (Ctrl-C) while waiting
      if (event.kind === "timeout") {
        log.error(
          `no reply to request ${sequence} in ${options.timeoutMs} ms: name service not available`,
        );
        result.failed = true;
        break requests;
      }
      // A reply is ["", sequence, "OK"]; anything else is a server we cannot trust this once.
      const [empty, number, ok, ...more] = event.frames;
      const replied = parseSequence(number);
      if (
        empty?.length !== 0 ||
        replied === undefined ||
        ok?.toString() !== OK ||
        more.length > 0
      ) {
        log.warn(`invalid reply, ignored: ${event.frames.map(describeFrame).join(" ")}`);
        continue;
      }
      if (replied !== sequence) {
        result.discarded += 1; // another server's answer to an earlier request: too late
        continue;
      }
      if (!options.quiet) log.info(`reply ${sequence} OK`);
      result.answered += 1;
      await pause(options.pauseMs, options.signal);
      continue requests;
    }
  }

  socket.close();
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(client2Defaults);
  const signal = stopOnSignals(options.name);
  const start = performance.now();
  const { answered, discarded, failed } = await runClient2({ ...options, signal });
  const outcome = failed ? "gave up" : signal.aborted ? "stopped" : "done";
  roleLog(options.name).info(
    `${outcome}: ${answered} of ${options.requests} requests answered, ${discarded} extra replies discarded`,
  );
  if (answered > 0 && options.pauseMs === 0) {
    const usec = Math.round((1000 * (performance.now() - start)) / answered);
    roleLog(options.name).info(`average round trip cost: ${usec} usec`); // as the Guide's flclient2 prints it
  }
  if (failed) process.exitCode = 1;
}
