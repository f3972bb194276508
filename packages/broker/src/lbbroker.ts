// Load-balancing broker: ROUTER for clients, ROUTER for workers; each request goes to the worker idle longest.
// Talks to: client.ts (REQ) on the frontend, lbworker.ts (REQ that says READY) on the backend. The Guide's lbbroker.
// Run: pnpm --filter broker lbbroker [--frontend tcp://*:5555] [--backend tcp://*:5556]
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
import { Router } from "zeromq";
import { LB_BACKEND_PORT, LB_FRONTEND_PORT, MAX_MESSAGE_BYTES, READY } from "./protocol.ts";

export const lbbrokerDefaults = {
  /** Where clients connect (bound). */
  frontend: [`tcp://*:${LB_FRONTEND_PORT}`],
  /** Where workers connect (bound). */
  backend: [`tcp://*:${LB_BACKEND_PORT}`],
  name: "lbbroker",
};
export type LbBrokerOptions = typeof lbbrokerDefaults & RoleControl;

export interface LbBrokerCounts {
  requests: number;
  replies: number;
  dropped: number;
}

const isEmpty = (frame: Buffer | undefined) => frame?.length === 0;
/** A ROUTER send failed because the peer is not connected (EHOSTUNREACH) or not reading (EAGAIN). */
const isUnreachable = (error: unknown) =>
  ["EHOSTUNREACH", "EAGAIN"].includes((error as { code?: string }).code ?? "");

/** Balances until stopped; returns how many messages went each way and how many were dropped. */
export async function runLbBroker(options: LbBrokerOptions): Promise<LbBrokerCounts> {
  const log = roleLog(options.name);
  // Two ROUTERs: the broker addresses each client and each worker by its routing id. mandatory:
  // a message for a peer that is not connected fails with EHOSTUNREACH instead of vanishing;
  // sendTimeout 0: one for a peer that does not read fails with EAGAIN instead of waiting.
  const routerOptions = { linger: 0, mandatory: true, sendTimeout: 0 };
  const frontend = new Router({ ...routerOptions, maxMessageSize: MAX_MESSAGE_BYTES });
  const backend = new Router({ ...routerOptions, maxMessageSize: MAX_MESSAGE_BYTES });
  closeOnAbort(options.signal, frontend, backend);
  const [frontendEndpoint] = await attach(frontend, { bind: options.frontend, connect: [] }, log);
  const [backendEndpoint] = await attach(backend, { bind: options.backend, connect: [] }, log);
  options.onReady?.([frontendEndpoint!, backendEndpoint!]);
  log.info("balancing requests over idle workers, least recently used first");

  const counts: LbBrokerCounts = { requests: 0, replies: 0, dropped: 0 };
  const drop = (problem: string) => {
    counts.dropped += 1;
    log.warn(`${problem}; dropped`);
  };

  // #region queue
  // Idle workers, the one idle longest first. The backend loop adds a worker when it says READY
  // or brings a reply; the frontend loop takes one for each request. A busy worker is in no list.
  const idle: Buffer[] = [];
  let wakeFrontend = () => {};
  const isIdle = (worker: Buffer) => idle.some((known) => known.equals(worker));
  const markIdle = (worker: Buffer) => {
    if (isIdle(worker)) return; // already waiting for work: never queue a worker twice
    idle.push(worker);
    wakeFrontend();
  };
  const stopped = () => frontend.closed || backend.closed;
  options.signal?.addEventListener("abort", () => wakeFrontend(), { once: true });

  /** The least recently used idle worker; waits while every worker is busy. */
  async function nextIdleWorker(client: Buffer): Promise<Buffer | undefined> {
    if (idle.length === 0)
      log.info(`all workers busy: the request from ${describeFrame(client)} waits`);
    while (idle.length === 0 && !stopped()) {
      await new Promise<void>((resolve) => {
        wakeFrontend = resolve;
      });
    }
    return idle.shift();
  }
  // #endregion

  // #region frontend
  // Client -> worker. The Guide polls the frontend only while a worker is idle; here the loop
  // takes one request, then waits for a worker before it reads the next. The others queue up
  // inside the ROUTER socket, and no request is ever sent to a busy worker.
  async function dispatchRequests(): Promise<void> {
    for await (const [client, ...rest] of frontend) {
      const [delimiter, request] = rest;
      if (rest.length !== 2 || !isEmpty(delimiter)) {
        drop(
          `request from ${describeFrame(client!)}: expected ["", request], got ${rest.length} frame(s)`,
        );
        continue;
      }
      for (;;) {
        const worker = await nextIdleWorker(client!);
        if (!worker) return; // stopped while waiting
        try {
          await backend.send([worker, "", client!, "", request!]);
          counts.requests += 1;
          break;
        } catch (error) {
          if (backend.closed) return;
          if (!isUnreachable(error)) throw error;
          log.warn(`worker ${describeFrame(worker)} has gone; trying the next one`);
        }
      }
    }
  }
  // #endregion

  // #region backend
  // Worker -> broker: [worker, "", READY] when it starts, [worker, "", client, "", reply] after
  // each request. Either way the worker is idle again.
  async function collectReplies(): Promise<void> {
    for await (const [worker, ...rest] of backend) {
      const [delimiter, first, ...more] = rest;
      const from = `worker ${describeFrame(worker!)}`;
      if (!isEmpty(delimiter) || !first) {
        drop(`message from ${from}: no empty delimiter and body`);
        continue;
      }
      if (more.length === 0 && first.toString() === READY) {
        if (isIdle(worker!)) {
          drop(`READY from ${from}, which is already idle`);
          continue;
        }
        markIdle(worker!);
        log.info(`${from} ready (${idle.length} idle)`);
        continue;
      }
      const [clientDelimiter, reply] = more;
      if (more.length !== 2 || !isEmpty(clientDelimiter) || first.length === 0) {
        drop(`message from ${from}: neither READY nor [client, "", reply]`);
        continue;
      }
      markIdle(worker!); // it did its job, whatever becomes of the reply
      try {
        await frontend.send([first, "", reply!]);
        counts.replies += 1;
      } catch (error) {
        if (frontend.closed) return;
        if (!isUnreachable(error)) throw error;
        drop(`reply from ${from} for unknown or stuck client ${describeFrame(first)}`);
      }
    }
  }
  // #endregion

  try {
    await Promise.all([dispatchRequests(), collectReplies()]); // side by side, as in broker.ts
  } finally {
    frontend.close();
    backend.close();
    wakeFrontend(); // a frontend loop waiting for a worker sees the closed sockets and returns
  }
  log.info(
    `stopped after ${counts.requests} requests, ${counts.replies} replies, ${counts.dropped} dropped`,
  );
  return counts;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(lbbrokerDefaults);
  await runLbBroker({ ...options, signal: stopOnSignals(options.name) });
}
