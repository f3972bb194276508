// Majordomo worker: offers one service (echo by default) to the broker through the worker API,
// which says READY, heartbeats, and reconnects when the broker goes quiet or says DISCONNECT.
// Talks to: broker.ts (or the Guide's mdbroker in any language), through worker-api.ts.
// Run: pnpm --filter majordomo worker [--connect tcp://localhost:5555] [--service echo] [--heartbeat-ms 2500]
import { setTimeout as sleep } from "node:timers/promises";
import {
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import {
  BROKER_ENDPOINT,
  ECHO_SERVICE,
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_LIVENESS,
  RECONNECT_MS,
} from "./protocol.ts";
import { MajordomoWorker } from "./worker-api.ts";

export const workerDefaults = {
  connect: [BROKER_ENDPOINT],
  bind: [] as string[],
  /** The service to offer. echo answers with the request; reverse with its text reversed. */
  service: ECHO_SERVICE,
  heartbeatMs: HEARTBEAT_INTERVAL_MS,
  liveness: HEARTBEAT_LIVENESS,
  reconnectMs: RECONNECT_MS,
  /** Pretend each request takes this long (0: answer at once, as the Guide's mdworker). */
  workMs: 0,
  /** Log each request (normally only the connection to the broker is logged). */
  verbose: false,
  showHeartbeats: false,
  /** Routing id prefix and log label; the service name when empty. */
  name: "",
};
export type WorkerOptions = typeof workerDefaults & RoleControl;

/** Answers requests for its service until stopped; returns how many it answered. */
export async function runWorker(options: WorkerOptions): Promise<{ answered: number }> {
  const name = options.name || options.service;
  const log = roleLog(name);
  const [broker] = options.connect;
  if (!broker) throw new Error(`${name}: no --connect endpoint given`);
  const worker = new MajordomoWorker({ ...options, broker, name, log });
  options.onReady?.([broker]);

  for await (const request of worker.requests()) {
    if (options.verbose) log.info(`request: ${request.body.map(String).join(" ")}`);
    if (options.workMs > 0) {
      try {
        await sleep(options.workMs, undefined, { signal: options.signal }); // "heavy work"
      } catch {
        break; // stopped while working: the client's retry will find another worker
      }
    }
    await worker.reply(request, ...request.body); // echo: the request is the reply
  }

  worker.close();
  log.info(
    `stopped after answering ${worker.stats.replies} requests (${worker.stats.reconnects} reconnects)`,
  );
  return { answered: worker.stats.replies };
}

if (isMain(import.meta.url)) {
  const options = parseFlags(workerDefaults);
  await runWorker({ ...options, signal: stopOnSignals(options.name || options.service) });
}
