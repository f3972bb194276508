// Multithreaded server: a ROUTER on tcp for clients, a DEALER on inproc, and a pool of worker threads.
// Talks to: client.ts or any Hello World REQ client (reqrep's, the Guide's hwclient); threads run mtworker.ts.
// Run: pnpm --filter broker mtserver [--bind tcp://*:5555] [--workers 5] [--work-ms 1000]
import {
  attach,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  startWorkerThread,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer, Pull, Router, Proxy as ZmqProxy } from "zeromq";
import type { MtWorkerKnobs } from "./mtworker.ts";
import { MAX_MESSAGE_BYTES, MTSERVER_PORT, REPLY, WORKERS_ENDPOINT } from "./protocol.ts";

export const mtserverDefaults = {
  /** Where clients connect, as to the Guide's hwserver. */
  bind: [`tcp://*:${MTSERVER_PORT}`],
  connect: [] as string[],
  /** The Guide's mtserver starts 5 worker threads. */
  workers: 5,
  /** Give each server in one process its own name: an inproc name is bound once per process. */
  workersEndpoint: WORKERS_ENDPOINT,
  workMs: 1000,
  reply: REPLY,
  name: "mtserver",
};
export type MtserverOptions = typeof mtserverDefaults & RoleControl;

/** Serves until stopped; returns how many worker threads ended cleanly. */
export async function runMtServer(options: MtserverOptions): Promise<number> {
  const log = roleLog(options.name);
  const backend = new Dealer({ linger: 0 });
  const readiness = new Pull({ linger: 0 });
  await backend.bind(options.workersEndpoint);
  await readiness.bind(`${options.workersEndpoint}-ready`);

  // #region pool
  // Workers first. Each thread connects its REP and then says its name on the readiness socket;
  // only when all have spoken does the server open its tcp port, so no request meets an empty pool.
  const threads = Array.from({ length: options.workers }, (_, index) => {
    const knobs: MtWorkerKnobs = {
      endpoint: options.workersEndpoint,
      readyEndpoint: `${options.workersEndpoint}-ready`,
      workMs: options.workMs,
      reply: options.reply,
      name: `${options.name}-worker-${index + 1}`,
    };
    // Aborting the signal posts each thread a stop message: it closes its own sockets and returns.
    return startWorkerThread(new URL("./mtworker.ts", import.meta.url), knobs, options.signal);
  });
  const allExited = Promise.all(threads.map((thread) => thread.exited));
  allExited.catch((error: Error) => log.error(error.message)); // said at once; rethrown at the end
  // A thread that ends before it said "ready" (it failed, or we are stopping) closes the
  // readiness socket, which ends the wait below. (Its error is reported by allExited.)
  const closeReadiness = () => readiness.close();
  for (const thread of threads) thread.exited.then(closeReadiness, closeReadiness);
  let ready = 0;
  try {
    while (ready < options.workers) {
      const [name] = await readiness.receive();
      ready += 1;
      log.info(`${name} ready (${ready}/${options.workers})`);
    }
  } catch (error) {
    if (!readiness.closed) throw error;
  }
  readiness.close();
  if (ready < options.workers) {
    backend.close();
    await allExited; // rethrows what a failed thread threw
    return 0; // stopped before the pool was complete
  }
  // #endregion

  const frontend = new Router({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  const endpoints = await attach(frontend, options, log);
  const proxy = new ZmqProxy(frontend, backend); // ROUTER (tcp) <-> DEALER (inproc), like msgqueue
  const running = proxy.run();
  options.onReady?.(endpoints);
  log.info("serving");

  // #region shutdown
  await new Promise((resolve) => {
    if (options.signal?.aborted) resolve(undefined);
    options.signal?.addEventListener("abort", resolve, { once: true }); // none: serve for ever
  });
  await allExited; // every thread stopped by its message, closed its sockets and returned
  proxy.terminate(); // then the proxy, which closes the ROUTER and the DEALER
  await running;
  // #endregion

  log.info(`stopped with its ${threads.length} worker threads`);
  return threads.length;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(mtserverDefaults);
  await runMtServer({ ...options, signal: stopOnSignals(options.name) });
}
