// Exercise 02, reference solution: the Paranoid Pirate queue that tells a client when there is
// nobody to serve it. It reads every request at once and keeps them in order; a request that
// has waited --no-worker-ms while no worker is live gets the reply "E: no workers".
// Talks to: lazy-client.ts (REQ) on the frontend, paranoid-worker.ts (DEALER) on the backend.
// Run: pnpm --filter pirates exec tsx exercises/02-no-workers-reply/no-workers-queue.ts [--no-worker-ms 2000] [--heartbeat-ms 1000]
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  Poller,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Router } from "zeromq";
import {
  CLIENT_PORT,
  HEARTBEAT,
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_LIVENESS,
  isCommand,
  isDelimiter,
  isUnreachable,
  MAX_FRAME_BYTES,
  READY,
  WORKER_PORT,
} from "#src/protocol.ts";

/** The whole reply to a request that waited too long with no live worker: one frame. */
export const NO_WORKERS = "E: no workers";

export const noWorkersQueueDefaults = {
  frontend: [`tcp://*:${CLIENT_PORT}`],
  backend: [`tcp://*:${WORKER_PORT}`],
  /** Send a heartbeat to every worker this often... */
  heartbeatMs: HEARTBEAT_INTERVAL_MS,
  /** ...and forget a worker that has said nothing for this many intervals. */
  liveness: HEARTBEAT_LIVENESS,
  /**
   * Answer NO_WORKERS to a request that has waited this long while no worker is live (under the
   * Lazy Pirate client's 2500 ms time-out, so the client is still there to read it).
   */
  noWorkerMs: 2000,
  /** Log every heartbeat received (normally only changes are logged). */
  showHeartbeats: false,
  name: "queue",
};
export type NoWorkersQueueOptions = typeof noWorkersQueueDefaults & RoleControl;

export interface NoWorkersQueueCounts {
  requests: number;
  replies: number;
  dropped: number;
  /** Workers forgotten because they went silent. */
  expired: number;
  /** Requests answered NO_WORKERS. */
  refused: number;
}

interface Worker {
  identity: Buffer;
  /** When the worker counts as dead unless we hear from it before. */
  expiresAt: number;
}

/** A request the queue has read and not yet passed on. */
interface Pending {
  client: Buffer;
  request: Buffer[];
  /** From then on, if no worker is live, the client is told NO_WORKERS. */
  refuseAt: number;
}

/** Routes requests to live, idle workers, and refuses the ones nobody can serve, until stopped. */
export async function runNoWorkersQueue(
  options: NoWorkersQueueOptions,
): Promise<NoWorkersQueueCounts> {
  const log = roleLog(options.name);
  const routerOptions = {
    linger: 0,
    mandatory: true,
    sendTimeout: 0,
    maxMessageSize: MAX_FRAME_BYTES,
  };
  const frontend = new Router(routerOptions);
  const backend = new Router(routerOptions);
  closeOnAbort(options.signal, frontend, backend);
  const [front] = await attach(frontend, { bind: options.frontend, connect: [] }, log);
  const [back] = await attach(backend, { bind: options.backend, connect: [] }, log);
  options.onReady?.([front!, back!]);
  // A crashed worker's connection closes at once, but the event does not say which worker it
  // was: only its heartbeats can. A hung worker or a cut network shows no event at all.
  backend.events.on("disconnect", () => log.info("a worker connection closed"));

  const counts: NoWorkersQueueCounts = {
    requests: 0,
    replies: 0,
    dropped: 0,
    expired: 0,
    refused: 0,
  };
  const drop = (problem: string) => {
    counts.dropped += 1;
    log.warn(`${problem}; dropped`);
  };
  const silenceMs = options.heartbeatMs * options.liveness;
  // Every live worker by routing id, and the idle ones in the order they became idle.
  const workers = new Map<string, Worker>();
  const idle: string[] = [];
  const keyOf = (identity: Buffer) => identity.toString("hex");
  const heardFrom = (worker: Worker) => {
    worker.expiresAt = Date.now() + silenceMs;
  };
  const makeIdle = (key: string) => {
    if (!idle.includes(key)) idle.push(key);
  };
  const forget = (key: string) => {
    workers.delete(key);
    const at = idle.indexOf(key);
    if (at >= 0) idle.splice(at, 1);
  };

  // Requests in arrival order. The lesson's queue leaves them in libzmq's queue until a worker
  // is idle; to know how long one has waited, this queue must have read it.
  const pending: Pending[] = [];
  /** Passes the oldest requests to the workers idle longest, while there are both. */
  const dispatch = async () => {
    while (pending.length > 0 && idle.length > 0) {
      const key = idle.shift()!;
      const worker = workers.get(key)!;
      const { client, request } = pending[0]!;
      try {
        await backend.send([worker.identity, client, "", ...request]);
        pending.shift();
        counts.requests += 1;
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        log.warn(`worker ${describeFrame(worker.identity)} has gone; forgotten, trying the next`);
        forget(key);
      }
    }
  };
  /** With no worker live, answers every request that has waited noWorkerMs, oldest first. */
  const refuseOverdue = async (now: number) => {
    while (workers.size === 0 && pending.length > 0 && pending[0]!.refuseAt <= now) {
      const { client } = pending.shift()!;
      try {
        await frontend.send([client, "", NO_WORKERS]);
        counts.refused += 1;
        log.warn(
          `no live worker for ${options.noWorkerMs} ms: told client ${describeFrame(client)} "${NO_WORKERS}"`,
        );
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        drop(`"${NO_WORKERS}" for client ${describeFrame(client)}, which has left`);
      }
    }
  };

  const poller = new Poller({ frontend, backend });
  let heartbeatAt = Date.now() + options.heartbeatMs;
  for (;;) {
    // Wake for the next heartbeat, or for the oldest request's deadline when nobody is live.
    const refuseAt = workers.size === 0 ? pending[0]?.refuseAt : undefined;
    const event = await poller.next({
      timeoutMs: Math.min(heartbeatAt, refuseAt ?? heartbeatAt) - Date.now(),
    });
    if (event.kind === "closed") break;

    if (event.kind === "message" && event.from === "backend") {
      // A DEALER worker sends READY and HEARTBEAT as one frame, replies as [client, "", reply...].
      const [identity, ...body] = event.frames as [Buffer, ...Buffer[]];
      const key = keyOf(identity);
      const known = workers.get(key);
      const from = `worker ${describeFrame(identity)}`;
      if (isCommand(body, READY)) {
        const worker = known ?? { identity, expiresAt: 0 };
        heardFrom(worker);
        workers.set(key, worker);
        makeIdle(key);
        log.info(`${from} ready (${idle.length} idle, ${workers.size} live)`);
      } else if (isCommand(body, HEARTBEAT)) {
        // RFC 6: a conversation starts with READY. A worker we forgot must say READY again.
        if (!known) log.warn(`heartbeat from ${from}, which is not ready (forgotten?); ignored`);
        else {
          heardFrom(known);
          if (options.showHeartbeats) log.info(`heartbeat from ${from}`);
        }
      } else if (body.length >= 3 && body[0]!.length > 0 && isDelimiter(body[1])) {
        const [client, , ...reply] = body as [Buffer, Buffer, ...Buffer[]];
        if (known) {
          heardFrom(known);
          makeIdle(key);
        } else
          log.warn(`reply from ${from}, which was forgotten: passed on, but no new work for it`);
        try {
          await frontend.send([client, "", ...reply]);
          counts.replies += 1;
        } catch (error) {
          if (!isUnreachable(error)) throw error;
          drop(`reply from ${from} for client ${describeFrame(client)}, which has left`);
        }
      } else {
        drop(
          `invalid message from ${from}: ${body.length} frame(s), neither READY, HEARTBEAT nor a reply`,
        );
      }
    } else if (event.kind === "message") {
      // From a REQ client: [client, "", request...], to the worker idle longest.
      const [client, delimiter, ...request] = event.frames as [Buffer, ...Buffer[]];
      if (!isDelimiter(delimiter) || request.length === 0) {
        drop(`request from ${describeFrame(client)} without an empty delimiter and a body`);
      } else {
        pending.push({ client, request, refuseAt: Date.now() + options.noWorkerMs });
      }
    }

    // Whatever happened: heartbeat every live worker when it is time, then forget the silent ones.
    const now = Date.now();
    if (now >= heartbeatAt) {
      for (const worker of workers.values()) {
        await backend.send([worker.identity, HEARTBEAT]).catch((error: unknown) => {
          if (!isUnreachable(error)) throw error; // gone or not reading: expiry will tell
        });
      }
      heartbeatAt = now + options.heartbeatMs;
    }
    for (const [key, worker] of workers) {
      if (worker.expiresAt > now) continue;
      log.warn(
        `worker ${describeFrame(worker.identity)} silent for ${silenceMs} ms (${options.liveness} heartbeats missed); forgotten`,
      );
      forget(key);
      counts.expired += 1;
    }
    // A worker that said READY takes the oldest request first; only then is anyone refused.
    await dispatch();
    await refuseOverdue(now);
  }

  frontend.close();
  backend.close();
  log.info(
    `stopped after ${counts.requests} requests, ${counts.replies} replies, ${counts.refused} refused, ${counts.dropped} dropped, ${counts.expired} workers expired`,
  );
  return counts;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(noWorkersQueueDefaults);
  await runNoWorkersQueue({ ...options, signal: stopOnSignals(options.name) });
}
