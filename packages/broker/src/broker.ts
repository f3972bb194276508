// Request-reply broker: a ROUTER for clients, a DEALER for workers; neither side knows the other.
// Talks to: client.ts (REQ) on the frontend, worker.ts (REP) on the backend, or the Guide's rrclient/rrworker.
// Run: pnpm --filter broker broker [--frontend tcp://*:5559] [--backend tcp://*:5560]
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer, Router } from "zeromq";
import { BACKEND_PORT, FRONTEND_PORT, MAX_MESSAGE_BYTES } from "./protocol.ts";

export const brokerDefaults = {
  /** Where clients connect (bound). */
  frontend: [`tcp://*:${FRONTEND_PORT}`],
  /** Where workers connect (bound). */
  backend: [`tcp://*:${BACKEND_PORT}`],
  name: "broker",
};
export type BrokerOptions = typeof brokerDefaults & RoleControl;

export interface BrokerCounts {
  requests: number;
  replies: number;
  dropped: number;
}

// #region envelope
/**
 * Why a message cannot be passed on, or undefined when it can. `frames` are what follows the
 * sender's routing id: a REQ's request and a REP's reply are `["", body...]`, possibly with more
 * routing ids before the empty delimiter when there are several brokers on the way.
 */
export function envelopeProblem(frames: Buffer[]): string | undefined {
  const delimiter = frames.findIndex((frame) => frame.length === 0);
  if (delimiter < 0) return `no empty delimiter frame among ${frames.length} frame(s)`;
  if (delimiter === frames.length - 1) return "nothing after the empty delimiter";
  return undefined;
}
// #endregion

/** Forwards until stopped; returns how many messages went each way and how many were dropped. */
export async function runBroker(options: BrokerOptions): Promise<BrokerCounts> {
  const log = roleLog(options.name);
  // mandatory: a reply for a client that is not connected (any more) fails with EHOSTUNREACH
  // instead of vanishing without a trace, so we can log it. sendTimeout 0: a reply is never
  // waited for; one for a client that does not read (its queue is full) fails with EAGAIN.
  const frontend = new Router({
    linger: 0,
    mandatory: true,
    sendTimeout: 0,
    maxMessageSize: MAX_MESSAGE_BYTES,
  });
  const backend = new Dealer({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  closeOnAbort(options.signal, frontend, backend);
  const [frontendEndpoint] = await attach(frontend, { bind: options.frontend, connect: [] }, log);
  const [backendEndpoint] = await attach(backend, { bind: options.backend, connect: [] }, log);
  options.onReady?.([frontendEndpoint!, backendEndpoint!]); // tests learn the real ports here
  log.info("forwarding requests from the frontend to the backend and replies back");

  const counts: BrokerCounts = { requests: 0, replies: 0, dropped: 0 };
  const drop = (problem: string) => {
    counts.dropped += 1;
    log.warn(`${problem}; dropped`);
  };

  // #region loops
  // Client -> worker. The ROUTER put the client's routing id in front; the DEALER passes the
  // whole message to the next worker in turn, and the worker's REP keeps the envelope for its reply.
  async function forwardRequests(): Promise<void> {
    for await (const [client, ...rest] of frontend) {
      const problem = envelopeProblem(rest);
      if (problem) {
        drop(`request from ${describeFrame(client!)}: ${problem}`);
        continue;
      }
      try {
        await backend.send([client!, ...rest]); // waits while no worker is connected
      } catch (error) {
        if (backend.closed) break; // stopped while waiting for a worker
        throw error;
      }
      counts.requests += 1;
    }
  }

  // Worker -> client. The reply comes back with the client's routing id first; the ROUTER takes
  // it off and sends the rest to that client alone.
  async function forwardReplies(): Promise<void> {
    for await (const [client, ...rest] of backend) {
      const problem = envelopeProblem(rest);
      if (problem) {
        drop(`reply from a worker: ${problem}`);
        continue;
      }
      try {
        await frontend.send([client!, ...rest]);
      } catch (error) {
        if (frontend.closed) break;
        const code = (error as { code?: string }).code;
        if (code === "EHOSTUNREACH") drop(`reply for unknown client ${describeFrame(client!)}`);
        else if (code === "EAGAIN")
          drop(`reply for ${describeFrame(client!)}, whose queue is full`);
        else throw error;
        continue;
      }
      counts.replies += 1;
    }
  }

  // The Guide polls both sockets in one loop (zmq_poll). In Node each socket gets its own loop,
  // and both wait side by side on the event loop: whichever socket has a message runs next.
  // Each socket has one sender only (requests go out on the backend, replies on the frontend),
  // so no two sends are ever in flight on one socket and no send queue is needed.
  try {
    await Promise.all([forwardRequests(), forwardReplies()]);
  } finally {
    frontend.close(); // if one loop failed, this ends the other one too
    backend.close();
  }
  // #endregion

  log.info(
    `stopped after ${counts.requests} requests, ${counts.replies} replies, ${counts.dropped} dropped`,
  );
  return counts;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(brokerDefaults);
  await runBroker({ ...options, signal: stopOnSignals(options.name) });
}
