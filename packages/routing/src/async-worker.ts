// asyncsrv's worker thread: a DEALER on the server's inproc backend that answers each request with a
// random number of replies (0..4 in the Guide), each after a random pause; one request at a time.
// Talks to: async-server.ts's DEALER (same process, another thread). The Guide's asyncsrv server_worker.
// Run: not by itself; `pnpm --filter routing async-server` starts these threads.
import { setTimeout as sleep } from "node:timers/promises";
import {
  closeOnAbort,
  describeFrame,
  isWorkerThreadEntry,
  postToParent,
  type RoleControl,
  roleLog,
  stopOnParentMessage,
  threadData,
} from "@zmq-patterns/helpers";
import { Dealer } from "zeromq";

export interface AsyncWorkerKnobs {
  /** The server's backend: an inproc name, reachable from the threads of this process only. */
  endpoint: string;
  /** Each request gets minReplies..maxReplies replies (the Guide: 0..4)... */
  minReplies: number;
  maxReplies: number;
  /** ...each after a pause of 1..maxReplyDelayMs. */
  maxReplyDelayMs: number;
  name: string;
}

/** What a worker did, posted to the server when it stops. */
export interface AsyncWorkerTally {
  name: string;
  requests: number;
  replies: number;
}

/** A whole number from min to max, both included. */
const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

export async function runAsyncWorker(
  options: AsyncWorkerKnobs & RoleControl,
): Promise<AsyncWorkerTally> {
  const log = roleLog(options.name);
  // linger: replies already sent still reach the server when the worker is stopped and closes.
  const worker = new Dealer({ linger: 1000 });
  closeOnAbort(options.signal, worker);
  worker.connect(options.endpoint); // zeromq's global context: inproc works across threads
  const tally: AsyncWorkerTally = { name: options.name, requests: 0, replies: 0 };
  log.info("started");
  try {
    // #region loop
    // The server passes the client's envelope on: [client id, request]. A DEALER to DEALER
    // dialogue: the worker sends back [client id, reply] as often as it likes.
    for await (const [client, request, ...extra] of worker) {
      if (request === undefined || extra.length > 0) {
        log.warn(
          `expected [client, request], got ${extra.length + (request ? 2 : 1)} frame(s); dropped`,
        );
        continue;
      }
      tally.requests += 1;
      const replies = random(options.minReplies, options.maxReplies);
      log.info(`${describeFrame(request)} from ${describeFrame(client!)}: ${replies} replies`);
      for (let n = 0; n < replies; n++) {
        await sleep(random(1, options.maxReplyDelayMs), undefined, { signal: options.signal });
        await worker.send([client!, request]);
        tally.replies += 1;
      }
    }
    // #endregion
  } catch (error) {
    if (!worker.closed && !options.signal?.aborted) throw error; // stopped: its work ends here
  } finally {
    worker.close();
  }
  log.info(`stopped after ${tally.requests} requests, ${tally.replies} replies`);
  return tally;
}

if (isWorkerThreadEntry(import.meta.url)) {
  const knobs = threadData<AsyncWorkerKnobs>();
  postToParent(await runAsyncWorker({ ...knobs, signal: stopOnParentMessage(knobs.name) }));
}
