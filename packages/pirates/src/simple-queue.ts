// Simple Pirate queue: the load-balancing broker with Lazy Pirate clients in front of it. No
// reliability of its own: a request lost with a crashed worker is sent again by its client.
// Talks to: lazy-client.ts (REQ) on the frontend, simple-worker.ts (REQ, says READY) on the backend; the Guide's spqueue.
// Run: pnpm --filter pirates simple-queue [--frontend tcp://*:5555] [--backend tcp://*:5556]
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
  isCommand,
  isDelimiter,
  isUnreachable,
  QUEUE_ROUTER_OPTIONS,
  READY,
  WORKER_PORT,
} from "./protocol.ts";

export const simpleQueueDefaults = {
  /** Where clients connect (bound). */
  frontend: [`tcp://*:${CLIENT_PORT}`],
  /** Where workers connect (bound). */
  backend: [`tcp://*:${WORKER_PORT}`],
  name: "queue",
};
export type SimpleQueueOptions = typeof simpleQueueDefaults & RoleControl;

export interface QueueCounts {
  requests: number;
  replies: number;
  dropped: number;
}

/** Routes requests to idle workers until stopped; returns how many went each way. */
export async function runSimpleQueue(options: SimpleQueueOptions): Promise<QueueCounts> {
  const log = roleLog(options.name);
  const frontend = new Router(QUEUE_ROUTER_OPTIONS);
  const backend = new Router(QUEUE_ROUTER_OPTIONS);
  closeOnAbort(options.signal, frontend, backend);
  const [front] = await attach(frontend, { bind: options.frontend, connect: [] }, log);
  const [back] = await attach(backend, { bind: options.backend, connect: [] }, log);
  options.onReady?.([front!, back!]);

  const counts: QueueCounts = { requests: 0, replies: 0, dropped: 0 };
  const drop = (problem: string) => {
    counts.dropped += 1;
    log.warn(`${problem}; dropped`);
  };
  // Workers waiting for work, the one idle longest first. A busy worker is in no list.
  const idle: Buffer[] = [];
  const isIdle = (worker: Buffer) => idle.some((known) => known.equals(worker));

  const poller = new Poller({ frontend, backend });
  for (;;) {
    // Poll the frontend only while a worker is idle; meanwhile requests wait in the ROUTER.
    const event = await poller.next({
      from: idle.length > 0 ? ["backend", "frontend"] : ["backend"],
    });
    if (event.kind !== "message") break; // closed: stopped

    if (event.from === "backend") {
      // A REQ worker sends [worker, "", READY] once, then [worker, "", client, "", reply...].
      const [worker, delimiter, ...body] = event.frames as [Buffer, ...Buffer[]];
      const from = `worker ${describeFrame(worker)}`;
      if (!isDelimiter(delimiter) || body.length === 0) {
        drop(`message from ${from} without an empty delimiter and a body`);
        continue;
      }
      if (isCommand(body, READY)) {
        if (isIdle(worker)) drop(`READY from ${from}, which is already idle`);
        else idle.push(worker);
        log.info(`${from} ready (${idle.length} idle)`);
        continue;
      }
      const [client, clientDelimiter, ...reply] = body as [Buffer, ...Buffer[]];
      if (client.length === 0 || !isDelimiter(clientDelimiter) || reply.length === 0) {
        drop(`message from ${from} is neither READY nor [client, "", reply]`);
        continue;
      }
      if (!isIdle(worker)) idle.push(worker); // it did its job: ready for the next one
      try {
        await frontend.send([client, "", ...reply]);
        counts.replies += 1;
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        drop(`reply from ${from} for client ${describeFrame(client)}, which has left`);
      }
      continue;
    }

    // From a REQ client: [client, "", request...]. It goes to the worker idle longest.
    const [client, delimiter, ...request] = event.frames as [Buffer, ...Buffer[]];
    if (!isDelimiter(delimiter) || request.length === 0) {
      drop(`request from ${describeFrame(client)} without an empty delimiter and a body`);
      continue;
    }
    let sent = false;
    while (!sent && idle.length > 0) {
      const worker = idle.shift()!;
      try {
        await backend.send([worker, "", client, "", ...request]);
        sent = true;
        counts.requests += 1;
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        log.warn(`worker ${describeFrame(worker)} has gone; trying the next one`);
      }
    }
    if (!sent)
      drop(`request from ${describeFrame(client)}: no worker left (its client will retry)`);
  }

  frontend.close();
  backend.close();
  log.info(
    `stopped after ${counts.requests} requests, ${counts.replies} replies, ${counts.dropped} dropped`,
  );
  return counts;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(simpleQueueDefaults);
  await runSimpleQueue({ ...options, signal: stopOnSignals(options.name) });
}
