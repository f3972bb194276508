// asyncsrv's server: a ROUTER frontend for DEALER clients and a DEALER backend in front of worker
// threads; requests go to the workers in turn, and every reply a worker sends goes back to the client it names.
// Talks to: async-client.ts (DEALER) on tcp; async-worker.ts threads (DEALER) over inproc. The Guide's asyncsrv server_task.
// Run: pnpm --filter routing async-server [--bind tcp://*:5570] [--workers 5]
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  startWorkerThread,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer, Router } from "zeromq";
import type { AsyncWorkerKnobs, AsyncWorkerTally } from "./async-worker.ts";
import {
  ASYNC_BACKEND,
  ASYNC_MAX_REPLIES,
  ASYNC_MAX_REPLY_DELAY_MS,
  ASYNC_PORT,
  ASYNC_WORKERS,
  isUnreachable,
  MAX_FRAME_BYTES,
  MAX_THREAD_FRAME_BYTES,
} from "./protocol.ts";

export const asyncServerDefaults = {
  bind: [`tcp://*:${ASYNC_PORT}`],
  connect: [] as string[],
  /** The workers' inproc endpoint (two servers in one process need two names). */
  backend: ASYNC_BACKEND,
  workers: ASYNC_WORKERS,
  /** Each worker answers a request with minReplies..maxReplies replies (the Guide: 0..4). */
  minReplies: 0,
  maxReplies: ASYNC_MAX_REPLIES,
  maxReplyDelayMs: ASYNC_MAX_REPLY_DELAY_MS,
  /** On stop, how long replies the workers sent may take to come through before the sockets close. */
  drainMs: 2000,
  name: "server",
};
export type AsyncServerOptions = typeof asyncServerDefaults & RoleControl;

export interface AsyncServerTally {
  requests: number;
  /** Replies routed to each client, by its id as printed. */
  routed: Map<string, number>;
  dropped: number;
  /** What each worker thread said it did when it stopped. */
  workers: AsyncWorkerTally[];
}

export async function runAsyncServer(options: AsyncServerOptions): Promise<AsyncServerTally> {
  const log = roleLog(options.name);
  // mandatory + sendTimeout 0: a reply for a client that has left fails (and is logged) at once.
  const frontend = new Router({
    linger: 0,
    mandatory: true,
    sendTimeout: 0,
    maxMessageSize: MAX_FRAME_BYTES,
  });
  const backend = new Dealer({ linger: 0 });
  closeOnAbort(undefined, frontend, backend);
  await backend.bind(options.backend);

  // #region threads
  // The workers are threads (inproc reaches only this process). They stop by a message, never
  // from outside: each closes its own socket, returns, and posts what it did.
  const threads = Array.from({ length: options.workers }, (_, index) => {
    const knobs: AsyncWorkerKnobs = {
      endpoint: options.backend,
      minReplies: options.minReplies,
      maxReplies: options.maxReplies,
      maxReplyDelayMs: options.maxReplyDelayMs,
      name: `${options.name}-worker-${index + 1}`,
    };
    return startWorkerThread<AsyncWorkerTally>(
      new URL("./async-worker.ts", import.meta.url),
      knobs,
    );
  });
  // #endregion
  const endpoints = await attach(frontend, options, log);
  options.onReady?.(endpoints);

  const tally: AsyncServerTally = { requests: 0, routed: new Map(), dropped: 0, workers: [] };
  let fromWorkers = 0;
  let drained = () => {};
  const drop = (problem: string) => {
    tally.dropped += 1;
    log.warn(`${problem}; dropped`);
  };

  // #region requests
  // Client -> worker: [client id, request]. Both frames go to a worker thread, which sends them
  // back: so neither may be over 128 bytes (zeromq.js would share, not copy, their memory).
  async function requests(): Promise<void> {
    for await (const [client, request, ...extra] of frontend) {
      const from = describeFrame(client!);
      if (request === undefined || extra.length > 0) {
        drop(`request from ${from}: expected 1 frame, got ${extra.length + (request ? 1 : 0)}`);
        continue;
      }
      if (client!.length > MAX_THREAD_FRAME_BYTES || request.length > MAX_THREAD_FRAME_BYTES) {
        drop(`request from ${from}: id or body over ${MAX_THREAD_FRAME_BYTES} bytes`);
        continue;
      }
      await backend.send([client!, request]); // a DEALER deals them out in turn; waits if no worker
      tally.requests += 1;
    }
  }
  // #endregion

  // #region replies
  // Worker -> client: [client id, reply]; the ROUTER takes the id off and sends to that client.
  async function replies(): Promise<void> {
    for await (const [client, reply, ...extra] of backend) {
      fromWorkers += 1;
      drained();
      if (reply === undefined || extra.length > 0) {
        drop(`reply of ${extra.length + (reply ? 2 : 1)} frame(s) from a worker`);
        continue;
      }
      const to = describeFrame(client!);
      try {
        await frontend.send([client!, reply]);
        tally.routed.set(to, (tally.routed.get(to) ?? 0) + 1);
      } catch (error) {
        if (frontend.closed) return;
        if (!isUnreachable(error)) throw error;
        drop(`reply for client ${to}, which is not connected`);
      }
    }
  }
  // #endregion

  const running = Promise.all([requests(), replies()]).catch((error: unknown) => {
    if (!frontend.closed && !backend.closed) throw error;
  });
  await new Promise((resolve) => {
    if (options.signal?.aborted) resolve(undefined);
    options.signal?.addEventListener("abort", resolve, { once: true }); // none: serve for ever
  });

  // #region shutdown
  // Stop the workers first, then let the replies they had sent come through, then close.
  for (const thread of threads) thread.stop();
  tally.workers = await Promise.all(threads.map((thread) => thread.firstMessage));
  await Promise.all(threads.map((thread) => thread.exited));
  const sent = tally.workers.reduce((sum, worker) => sum + worker.replies, 0);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, options.drainMs);
    drained = () => {
      if (fromWorkers < sent) return;
      clearTimeout(timer);
      resolve();
    };
    drained();
  });
  if (fromWorkers < sent)
    log.warn(`${sent - fromWorkers} replies still inside after ${options.drainMs} ms`);
  frontend.close();
  backend.close();
  await running;
  // #endregion
  const routed = [...tally.routed.values()].reduce((sum, n) => sum + n, 0);
  log.info(
    `stopped after ${tally.requests} requests, ${routed} replies routed, ${tally.dropped} dropped, ${threads.length} workers stopped`,
  );
  return tally;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(asyncServerDefaults);
  await runAsyncServer({ ...options, signal: stopOnSignals(options.name) });
}
