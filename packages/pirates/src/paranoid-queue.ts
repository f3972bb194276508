// Paranoid Pirate queue: Simple Pirate's load balancer plus heartbeats both ways (RFC 6, PPP).
// It forgets a worker that has been silent for liveness × interval, so no request is sent to
// a worker that crashed, hung, or sits on the far side of a cut network.
// Talks to: lazy-client.ts (REQ) on the frontend, paranoid-worker.ts (DEALER) on the backend; the Guide's ppqueue.
// Run: pnpm --filter pirates paranoid-queue [--frontend tcp://*:5555] [--backend tcp://*:5556] [--heartbeat-ms 1000] [--liveness 3]
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
  QUEUE_ROUTER_OPTIONS,
  READY,
  WORKER_PORT,
} from "./protocol.ts";

export const paranoidQueueDefaults = {
  frontend: [`tcp://*:${CLIENT_PORT}`],
  backend: [`tcp://*:${WORKER_PORT}`],
  /** Send a heartbeat to every worker this often... */
  heartbeatMs: HEARTBEAT_INTERVAL_MS,
  /** ...and forget a worker that has said nothing for this many intervals. */
  liveness: HEARTBEAT_LIVENESS,
  /** Log every heartbeat received (normally only changes are logged). */
  showHeartbeats: false,
  name: "queue",
};
export type ParanoidQueueOptions = typeof paranoidQueueDefaults & RoleControl;

export interface ParanoidQueueCounts {
  requests: number;
  replies: number;
  dropped: number;
  /** Workers forgotten because they went silent. */
  expired: number;
}

interface Worker {
  identity: Buffer;
  /** When the worker counts as dead unless we hear from it before. */
  expiresAt: number;
}

/** Routes requests to live, idle workers until stopped; returns what it did. */
export async function runParanoidQueue(
  options: ParanoidQueueOptions,
): Promise<ParanoidQueueCounts> {
  const log = roleLog(options.name);
  const frontend = new Router(QUEUE_ROUTER_OPTIONS);
  const backend = new Router(QUEUE_ROUTER_OPTIONS);
  closeOnAbort(options.signal, frontend, backend);
  const [front] = await attach(frontend, { bind: options.frontend, connect: [] }, log);
  const [back] = await attach(backend, { bind: options.backend, connect: [] }, log);
  options.onReady?.([front!, back!]);
  // A crashed worker's connection closes at once, but the event does not say which worker it
  // was: only its heartbeats can. A hung worker or a cut network shows no event at all.
  backend.events.on("disconnect", () => log.info("a worker connection closed"));

  const counts: ParanoidQueueCounts = { requests: 0, replies: 0, dropped: 0, expired: 0 };
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

  const poller = new Poller({ frontend, backend });
  let heartbeatAt = Date.now() + options.heartbeatMs;
  for (;;) {
    const event = await poller.next({
      from: idle.length > 0 ? ["backend", "frontend"] : ["backend"],
      timeoutMs: heartbeatAt - Date.now(),
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
        let sent = false;
        while (!sent && idle.length > 0) {
          const key = idle.shift()!;
          const worker = workers.get(key)!;
          try {
            await backend.send([worker.identity, client, "", ...request]);
            sent = true;
            counts.requests += 1;
          } catch (error) {
            if (!isUnreachable(error)) throw error;
            log.warn(
              `worker ${describeFrame(worker.identity)} has gone; forgotten, trying the next`,
            );
            forget(key);
          }
        }
        if (!sent)
          drop(`request from ${describeFrame(client)}: no worker left (its client will retry)`);
      }
    }

    // Whatever happened: heartbeat every live worker when it is time, then forget the silent ones.
    const now = Date.now();
    if (backend.closed) break; // stopped
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
  }

  frontend.close();
  backend.close();
  log.info(
    `stopped after ${counts.requests} requests, ${counts.replies} replies, ${counts.dropped} dropped, ${counts.expired} workers expired`,
  );
  return counts;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(paranoidQueueDefaults);
  await runParanoidQueue({ ...options, signal: stopOnSignals(options.name) });
}
