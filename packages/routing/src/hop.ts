// One hop of the extended request-reply chain: a ROUTER/DEALER broker that prints every message it
// holds, so that a learner watches the address stack grow on the way in and shrink on the way out.
// Talks to: REQ (or DEALER) clients or another hop on the frontend; REP servers or another hop on the backend.
// Run: pnpm --filter routing hop [--frontend tcp://*:5559] [--backend tcp://*:5560 | --backend '>tcp://localhost:5561']
import {
  closeOnAbort,
  describeFrame,
  formatFrames,
  isMain,
  type Logger,
  parseFlags,
  type RoleControl,
  reconnectWhenDropped,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer, Router, type Socket } from "zeromq";
import {
  CHAIN_BACKEND_PORT,
  CHAIN_FRONTEND_PORT,
  isUnreachable,
  MAX_FRAME_BYTES,
} from "./protocol.ts";

export const hopDefaults = {
  /** The ROUTER, facing clients. czmq's notation: "@endpoint" (or a bare one) binds, ">endpoint" connects. */
  frontend: [`tcp://*:${CHAIN_FRONTEND_PORT}`],
  /** The DEALER, facing servers (or the next hop's frontend, with ">"). */
  backend: [`tcp://*:${CHAIN_BACKEND_PORT}`],
  /** Print every message's frames (off: only warnings). */
  show: true,
  name: "hop",
};
export type HopOptions = typeof hopDefaults &
  RoleControl & {
    /** Called after each message has been passed on (tests and envelopes.ts wait on it). */
    onForward?: (from: "frontend" | "backend", frames: Buffer[]) => void;
  };

export interface HopCounts {
  requests: number;
  replies: number;
  dropped: number;
}

/** Binds "@x" and bare endpoints, connects ">x" ones; returns where the socket is. */
async function place(socket: Socket, endpoints: string[], log: Logger): Promise<string[]> {
  const placed: string[] = [];
  for (const endpoint of endpoints) {
    if (endpoint.startsWith(">")) {
      socket.connect(endpoint.slice(1));
      placed.push(endpoint.slice(1));
      log.info(`connecting to ${endpoint.slice(1)}`);
    } else {
      await socket.bind(endpoint.replace(/^@/, ""));
      placed.push(socket.lastEndpoint!);
      log.info(`bound to ${socket.lastEndpoint}`);
    }
  }
  if (placed.length === 0) throw new Error(`${log.label}: no endpoint given`);
  return placed;
}

/** Passes messages both ways until stopped; returns how many went each way. */
export async function runHop(options: HopOptions): Promise<HopCounts> {
  const log = roleLog(options.name);
  // mandatory + sendTimeout 0: a reply for a client that is not (or no longer) connected fails,
  // and is reported, instead of vanishing or blocking the hop.
  const frontend = new Router({
    linger: 0,
    mandatory: true,
    sendTimeout: 0,
    maxMessageSize: MAX_FRAME_BYTES,
  });
  const backend = new Dealer({ linger: 0, maxMessageSize: MAX_FRAME_BYTES });
  closeOnAbort(options.signal, frontend, backend);
  // A socket given ">endpoint" connects, and libzmq drops a connection that brings a frame over
  // MAX_FRAME_BYTES and never connects it again: the hop would be cut off for good. So we do.
  reconnectWhenDropped(frontend, log);
  reconnectWhenDropped(backend, log);
  const counts: HopCounts = { requests: 0, replies: 0, dropped: 0 };

  // #region requests
  // In: the ROUTER puts the sender's id on top of the stack. The hop looks no further: whatever
  // the frames are, they go on to the backend as they are (a DEALER waits while no server is there).
  async function requests(): Promise<void> {
    for await (const frames of frontend) {
      if (options.show)
        log.info(`in from the frontend, sender's id on top:\n${formatFrames(frames)}`);
      await backend.send(frames);
      counts.requests += 1;
      options.onForward?.("frontend", frames);
    }
  }
  // #endregion

  // #region replies
  // Out: the first frame must be the id of a client of ours; the ROUTER takes it off and sends
  // the rest to that client. A reply with nothing after the id, or for an id we do not know, is dropped.
  async function replies(): Promise<void> {
    for await (const frames of backend) {
      if (options.show)
        log.info(`out from the backend, top id = where it goes:\n${formatFrames(frames)}`);
      const [client, ...rest] = frames;
      if (rest.length === 0) {
        counts.dropped += 1;
        log.warn(`reply of ${frames.length} frame(s) has no address and body; dropped`);
        continue;
      }
      try {
        await frontend.send(frames);
        counts.replies += 1;
        options.onForward?.("backend", frames);
      } catch (error) {
        if (frontend.closed) return;
        if (!isUnreachable(error)) throw error;
        counts.dropped += 1;
        log.warn(`reply for ${describeFrame(client!)}, no client of this hop; dropped`);
      }
    }
  }
  // #endregion

  try {
    const front = await place(frontend, options.frontend, log);
    const back = await place(backend, options.backend, log);
    options.onReady?.([...front, ...back]);
    await Promise.all([requests(), replies()]);
  } catch (error) {
    if (!frontend.closed && !backend.closed) throw error; // else: stopped, maybe while binding
  } finally {
    frontend.close();
    backend.close();
  }
  log.info(
    `stopped after ${counts.requests} requests, ${counts.replies} replies, ${counts.dropped} dropped`,
  );
  return counts;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(hopDefaults);
  await runHop({ ...options, signal: stopOnSignals(options.name) });
}
