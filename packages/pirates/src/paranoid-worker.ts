// Paranoid Pirate worker: a DEALER that says READY, echoes requests, and heartbeats its queue.
// When the queue has been silent for liveness × interval it assumes the queue is dead (crashed,
// hung, or cut off by the network), waits, and starts over on a new socket with a new READY,
// doubling the wait each time it fails.
// Talks to: paranoid-queue.ts (ROUTER backend), or the Guide's ppqueue in any language.
// Run: pnpm --filter pirates paranoid-worker [--connect tcp://localhost:5556] [--name worker-1] [--heartbeat-ms 1000]
import { setTimeout as sleep } from "node:timers/promises";
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  type Logger,
  Poller,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer } from "zeromq";
import { misbehave, misbehaviourDefaults } from "./misbehave.ts";
import {
  HEARTBEAT,
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_LIVENESS,
  isCommand,
  MAX_FRAME_BYTES,
  READY,
  RECONNECT_INITIAL_MS,
  RECONNECT_MAX_MS,
  WORK_MS,
  WORKER_PORT,
  workerIdentity,
} from "./protocol.ts";

export const paranoidWorkerDefaults = {
  connect: [`tcp://localhost:${WORKER_PORT}`],
  bind: [] as string[],
  /** Send a heartbeat to the queue this often... */
  heartbeatMs: HEARTBEAT_INTERVAL_MS,
  /** ...and give the queue up after this many intervals without a word from it. */
  liveness: HEARTBEAT_LIVENESS,
  /** First wait before reconnecting; it doubles after each failure, up to reconnectMaxMs. */
  reconnectMs: RECONNECT_INITIAL_MS,
  reconnectMaxMs: RECONNECT_MAX_MS,
  workMs: WORK_MS,
  ...misbehaviourDefaults, // --crash-after, --overload-after, --overload-ms (misbehave.ts)
  /** Log every heartbeat from the queue (normally only failures are logged). */
  showHeartbeats: false,
  name: "worker",
};
export type ParanoidWorkerOptions = typeof paranoidWorkerDefaults & RoleControl;

export interface ParanoidWorkerResult {
  answered: number;
  /** How many times it gave the queue up and started over on a new socket. */
  reconnects: number;
  crashed: boolean;
}

/** Sends, or returns false when the socket has no connection to send on (EAGAIN). */
async function sent(socket: Dealer, frames: Buffer | Buffer[]): Promise<boolean> {
  try {
    await socket.send(frames);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== "EAGAIN") throw error;
    return false;
  }
}

/** A new DEALER with a new routing id, connected to the queue, that has said READY. */
async function connectToQueue(options: ParanoidWorkerOptions, log: Logger) {
  const identity = workerIdentity(options.name);
  // sendTimeout 0: a send with no connection to send on fails at once (EAGAIN) instead of waiting
  // for ever; libzmq does not reconnect a connection it dropped for a frame over the limit.
  const socket = new Dealer({
    linger: 0,
    routingId: identity,
    maxMessageSize: MAX_FRAME_BYTES,
    sendTimeout: 0,
  });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  await socket.send(READY); // RFC 6: every conversation with the queue starts with READY
  log.info(`${identity} ready`);
  return { socket, poller: new Poller({ socket }), endpoints };
}

/** Serves the queue until stopped (or until it "crashes"), outliving queues that die. */
export async function runParanoidWorker(
  options: ParanoidWorkerOptions,
): Promise<ParanoidWorkerResult> {
  const log = roleLog(options.name);
  let { socket, poller, endpoints } = await connectToQueue(options, log);
  options.onReady?.(endpoints);
  const result: ParanoidWorkerResult = { answered: 0, reconnects: 0, crashed: false };
  const silenceMs = options.heartbeatMs * options.liveness;
  let queueExpiresAt = Date.now() + silenceMs; // the queue is dead if silent until then
  let heartbeatAt = Date.now() + options.heartbeatMs;
  let reconnectMs = options.reconnectMs;

  for (;;) {
    const event = await poller.next({
      timeoutMs: Math.min(heartbeatAt, queueExpiresAt) - Date.now(),
    });
    if (event.kind === "closed") break; // stopped

    if (event.kind === "message") {
      const frames = event.frames;
      queueExpiresAt = Date.now() + silenceMs; // any message from the queue shows it is alive
      reconnectMs = options.reconnectMs;
      const delimiterAt = frames.findIndex((frame) => frame.length === 0);
      if (isCommand(frames, HEARTBEAT)) {
        if (options.showHeartbeats) log.info("heartbeat from the queue");
      } else if (delimiterAt >= 1 && delimiterAt < frames.length - 1) {
        // A request: [client address..., "", request...]. The reply keeps the envelope.
        const request = frames.slice(delimiterAt + 1);
        const number = result.answered + 1;
        if ((await misbehave(number, request, options, log)) === "crash") {
          result.crashed = true;
          break;
        }
        log.info(`normal reply to ${request.map(describeFrame).join(" ")}`);
        await sleep(options.workMs); // "do some heavy work": no heartbeats meanwhile, as in the Guide
        if (socket.closed) break;
        if (!(await sent(socket, frames)))
          log.warn("no connection to the queue for the reply; dropped (the client will retry)");
        result.answered = number;
      } else {
        log.warn(`invalid message from the queue: ${frames.map(describeFrame).join(" ")}; ignored`);
      }
    } else if (Date.now() >= queueExpiresAt) {
      // No word from the queue for liveness × interval: crashed, hung, or the network is cut.
      // This socket may be connected to nothing that will ever answer: start over.
      log.warn(
        `heartbeat failure: the queue was silent for ${silenceMs} ms; reconnecting in ${reconnectMs} ms`,
      );
      socket.close();
      try {
        await sleep(reconnectMs, undefined, { signal: options.signal });
      } catch {
        break; // stopped while waiting
      }
      reconnectMs = Math.min(reconnectMs * 2, options.reconnectMaxMs);
      ({ socket, poller } = await connectToQueue(options, log));
      result.reconnects += 1;
      queueExpiresAt = Date.now() + silenceMs;
    }

    if (socket.closed) break; // stopped while working
    if (Date.now() >= heartbeatAt) {
      await sent(socket, HEARTBEAT); // unsent means no connection: the silence will tell
      heartbeatAt = Date.now() + options.heartbeatMs;
    }
  }

  socket.close();
  log.info(`stopped after answering ${result.answered} requests (${result.reconnects} reconnects)`);
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(paranoidWorkerDefaults);
  const { crashed } = await runParanoidWorker({ ...options, signal: stopOnSignals(options.name) });
  if (crashed) process.exitCode = 1;
}
