// asyncsrv's client: a DEALER that sends a request every second without waiting for replies, and
// prints each reply as it comes (0 or more per request) while it keeps sending.
// Talks to: async-server.ts (ROUTER). The Guide's asyncsrv client_task.
// Run: pnpm --filter routing async-client [--connect tcp://localhost:5570] [--requests 5] [--interval-ms 1000]
import { setTimeout as sleep } from "node:timers/promises";
import {
  closeOnAbort,
  describeFrame,
  isMain,
  parseFlags,
  type RoleControl,
  reconnectWhenDropped,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer } from "zeromq";
import { ASYNC_PORT, ASYNC_REQUEST_INTERVAL_MS, MAX_FRAME_BYTES } from "./protocol.ts";
import { randomId } from "./req-worker.ts";

export const asyncClientDefaults = {
  connect: [`tcp://localhost:${ASYNC_PORT}`],
  requests: 5,
  intervalMs: ASYNC_REQUEST_INTERVAL_MS,
  /** After the last request, how long to keep listening for replies (the Guide's workers take up to 4 s). */
  waitMs: 4000,
  /** The client's routing id; empty: a random one like the Guide's ("%04X-%04X"). */
  id: "",
  name: "client",
};
export type AsyncClientOptions = typeof asyncClientDefaults & RoleControl;

export interface AsyncClientResult {
  id: string;
  sent: string[];
  received: string[];
}

export async function runAsyncClient(options: AsyncClientOptions): Promise<AsyncClientResult> {
  const id = options.id || randomId();
  const log = roleLog(`${options.name} ${id}`);
  // The id is set before connecting, so the server's ROUTER knows this client by it.
  const client = new Dealer({ linger: 0, routingId: id, maxMessageSize: MAX_FRAME_BYTES });
  closeOnAbort(options.signal, client);
  // libzmq drops a connection that brings a frame over MAX_FRAME_BYTES, and never connects it
  // again: we would hear nothing more, and our next send would wait for ever. So we do.
  reconnectWhenDropped(client, log);
  for (const endpoint of options.connect) client.connect(endpoint);
  options.onReady?.(options.connect);
  const result: AsyncClientResult = { id, sent: [], received: [] };

  // #region receive
  // Replies, whenever they come: the server sends back the request they answer.
  const receiving = (async () => {
    for await (const [reply, ...extra] of client) {
      if (extra.length > 0 || !result.sent.includes(String(reply))) {
        log.warn(
          `not a reply to one of our requests: ${[reply!, ...extra].map(describeFrame).join(", ")}`,
        );
        continue;
      }
      result.received.push(String(reply));
      log.info(`received "${reply}" (${result.received.length} so far)`);
    }
  })();
  // #endregion

  try {
    // #region send
    // Requests, on the clock: none waits for a reply.
    for (let n = 1; n <= options.requests; n++) {
      const request = `request #${n} from ${id}`;
      result.sent.push(request);
      await client.send(request);
      log.info(`sent "${request}"`);
      await sleep(n < options.requests ? options.intervalMs : options.waitMs, undefined, {
        signal: options.signal,
      });
    }
    // #endregion
  } catch (error) {
    if (!client.closed && !options.signal?.aborted) throw error; // stopped (Ctrl-C)
  }
  client.close();
  await receiving.catch((error: unknown) => {
    if (!client.closed) throw error;
  });
  log.info(`sent ${result.sent.length} requests, received ${result.received.length} replies`);
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(asyncClientDefaults);
  await runAsyncClient({ ...options, signal: stopOnSignals(options.name) });
}
