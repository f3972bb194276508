// Multithreaded server: a ROUTER on tcp for clients, a DEALER on inproc, and a pool of worker threads.
// Talks to: client.ts or any Hello World REQ client (reqrep's, the Guide's hwclient); threads run mtworker.ts.
// Run: pnpm --filter broker mtserver [--bind tcp://*:5555] [--workers 5] [--work-ms 1000]
import { once } from "node:events";
import type { Worker } from "node:worker_threads";
import {
  attach,
  isMain,
  type Logger,
  parseFlags,
  type RoleControl,
  roleLog,
  startWorkerThread,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer, Router, Proxy as ZmqProxy } from "zeromq";
import type { MtWorkerData } from "./mtworker.ts";
import {
  MAX_MESSAGE_BYTES,
  MTSERVER_PORT,
  REPLY,
  STOP_THREAD,
  type ThreadReport,
  WORKERS_ENDPOINT,
} from "./protocol.ts";

export const mtserverDefaults = {
  /** Where clients connect, as to the Guide's hwserver. */
  bind: [`tcp://*:${MTSERVER_PORT}`],
  connect: [] as string[],
  /** The Guide's mtserver starts 5 worker threads. */
  workers: 5,
  /** Give each server in one process its own name: an inproc endpoint is bound once per process. */
  workersEndpoint: WORKERS_ENDPOINT,
  workMs: 1000,
  reply: REPLY,
  name: "mtserver",
};
export type MtserverOptions = typeof mtserverDefaults & RoleControl;

interface PoolThread {
  thread: Worker;
  /** Resolves with the thread's request count once it has stopped and exited cleanly. */
  stopped: Promise<number>;
}

/** Starts one worker thread and waits until its socket is connected. */
async function startPoolThread(data: MtWorkerData, log: Logger): Promise<PoolThread> {
  const thread = startWorkerThread(new URL("./mtworker.ts", import.meta.url), data);
  const reports: ThreadReport[] = [];
  thread.on("message", (report: ThreadReport) => reports.push(report));
  const exited = new Promise<number>((resolve, reject) => {
    thread.once("error", reject); // an exception in the thread: it exits with code 1 next
    thread.once("exit", (code) => {
      const stopped = reports.find((report) => report.type === "stopped");
      if (code === 0 && stopped) resolve(stopped.served);
      else reject(new Error(`${data.name} exited with code ${code} without stopping cleanly`));
    });
  });
  exited.catch((error: Error) => log.error(error.message)); // said at once, not only at shutdown
  await Promise.race([once(thread, "message"), exited]); // the "ready" report, or an early death
  return { thread, stopped: exited };
}

/** Serves until stopped; returns how many requests each thread answered. */
export async function runMtServer(options: MtserverOptions): Promise<number[]> {
  const log = roleLog(options.name);
  const backend = new Dealer({ linger: 0 });
  await backend.bind(options.workersEndpoint);

  // #region pool
  // Workers first: every thread connects its REP and says "ready" before a client can connect,
  // so no request waits for a thread that is still starting.
  const starting = await Promise.allSettled(
    Array.from({ length: options.workers }, (_, index) =>
      startPoolThread(
        {
          endpoint: options.workersEndpoint,
          workMs: options.workMs,
          reply: options.reply,
          name: `${options.name}-worker-${index + 1}`,
        },
        log,
      ),
    ),
  );
  const pool = starting.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  if (pool.length < options.workers) {
    for (const { thread } of pool) thread.postMessage(STOP_THREAD);
    backend.close();
    throw new Error(`only ${pool.length} of ${options.workers} worker threads started`);
  }
  log.info(`${pool.length} worker threads ready on ${options.workersEndpoint}`);
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
  // Threads first, by a message: each closes its own socket and returns, even mid-request.
  for (const { thread } of pool) thread.postMessage(STOP_THREAD);
  const served = await Promise.all(pool.map(({ stopped }) => stopped));
  proxy.terminate(); // then the proxy, which closes the ROUTER and the DEALER
  await running;
  // #endregion

  log.info(`stopped; the threads answered ${served.join(" + ")} requests`);
  return served;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(mtserverDefaults);
  await runMtServer({ ...options, signal: stopOnSignals(options.name) });
}
