// Titanic (RFC 9 over MDP/0.1): disk-based reliable requests. Three Majordomo services store a
// request (fsynced before "200" + uuid), hand out its reply once there is one, and forget it;
// a dispatcher sends each stored request to its service, when mmi.service says a worker is there,
// until it is answered. Kill it at any moment: what it acknowledged is on disk.
// Talks to: broker.ts (three MDP workers and an MDP client), titanic-client.ts; the Guide's titanic and ticlient.
// Run: pnpm --filter majordomo titanic [--connect tcp://localhost:5555] [--dir data/titanic]
import {
  isMain,
  type Logger,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { MajordomoClient } from "./client-api.ts";
import {
  BROKER_ENDPOINT,
  type Frame,
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_LIVENESS,
  isMmi,
  MMI_FOUND,
  MMI_SERVICE,
  RECONNECT_MS,
} from "./protocol.ts";
import {
  DISPATCH_INTERVAL_MS,
  DISPATCH_RETRIES,
  DISPATCH_TIMEOUT_MS,
  ERROR,
  MAX_REQUEST_BYTES,
  MAX_SERVICE_NAME_BYTES,
  OK,
  PENDING,
  TITANIC_CLOSE,
  TITANIC_REPLY,
  TITANIC_REQUEST,
  UNKNOWN,
} from "./titanic-protocol.ts";
import { isUuid, openTitanicStore, type TitanicStore } from "./titanic-store.ts";
import { MajordomoWorker } from "./worker-api.ts";

export const titanicDefaults = {
  connect: [BROKER_ENDPOINT],
  bind: [] as string[],
  /** Where requests and replies are stored, one file each (`ls` it). */
  dir: "data/titanic",
  /** The dispatcher waits this long for a service's reply... */
  dispatchTimeoutMs: DISPATCH_TIMEOUT_MS,
  /** ...sending it this many times per pass, and passes over the queue this often when idle. */
  dispatchRetries: DISPATCH_RETRIES,
  dispatchIntervalMs: DISPATCH_INTERVAL_MS,
  /** The three services' heartbeats with the broker (MDP). */
  heartbeatMs: HEARTBEAT_INTERVAL_MS,
  liveness: HEARTBEAT_LIVENESS,
  reconnectMs: RECONNECT_MS,
  /** Largest request Titanic stores (all frames); a bigger one gets "400". */
  maxRequestBytes: MAX_REQUEST_BYTES,
  name: "titanic",
};
export type TitanicOptions = typeof titanicDefaults & RoleControl;

export interface TitanicCounts {
  accepted: number;
  /** Replies stored (each once). */
  answered: number;
  /** Requests sent to a service, first sends and re-sends. */
  dispatched: number;
  /** Requests refused with "400" or "500". */
  refused: number;
}

/** What a Titanic built on this one adds; exercise 12's purge is one. */
export interface TitanicExtension {
  /** Called once per dispatcher pass, after going through the queue, before waiting. */
  eachPass?: (store: TitanicStore, log: Logger) => Promise<void>;
}

type Frames = (string | Buffer)[];

/** Why a titanic.request is refused, or undefined if Titanic takes it. */
function requestProblem(frames: Buffer[], maxBytes: number): string | undefined {
  const [service] = frames;
  if (service === undefined) return "has no frames (expected [service, body...])";
  const name = service.toString();
  if (service.length === 0 || service.length > MAX_SERVICE_NAME_BYTES)
    return `has a service name of ${service.length} bytes (1 to ${MAX_SERVICE_NAME_BYTES})`;
  if (isMmi(name) || name.startsWith("titanic."))
    return `asks for "${name}", which the broker or Titanic answers directly`;
  const bytes = frames.reduce((sum, frame) => sum + frame.length, 0);
  if (bytes > maxBytes) return `is ${bytes} bytes (more than ${maxBytes})`;
  return undefined;
}

/** The one uuid frame of a titanic.reply or titanic.close, or why there is none. */
function uuidOf(frames: Buffer[]): { uuid: string } | { problem: string } {
  if (frames.length !== 1) return { problem: `has ${frames.length} frames (expected [uuid])` };
  const uuid = frames[0]!.toString();
  if (!isUuid(uuid)) return { problem: `has "${uuid.slice(0, 40)}", not a 32-hex-digit uuid` };
  return { uuid: uuid.toLowerCase() };
}

const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs Titanic until stopped; returns what it did. */
export async function runTitanic(
  options: TitanicOptions,
  extension: TitanicExtension = {},
): Promise<TitanicCounts> {
  const log = roleLog(options.name);
  const [broker] = options.connect;
  if (!broker) throw new Error(`${options.name}: no --connect endpoint given`);
  const store = await openTitanicStore(options.dir, log);
  const counts: TitanicCounts = { accepted: 0, answered: 0, dispatched: 0, refused: 0 };
  const refuse = (service: string, problem: string, status = UNKNOWN): Frames => {
    counts.refused += 1;
    log.warn(`${service} ${problem}; answered "${status}"`);
    return [status];
  };
  const worker = (service: string) =>
    new MajordomoWorker({
      service,
      broker,
      heartbeatMs: options.heartbeatMs,
      liveness: options.liveness,
      reconnectMs: options.reconnectMs,
      signal: options.signal,
      log,
    });
  options.onReady?.([broker]);
  const newRequest = wakeUp(options.dispatchIntervalMs, options.signal);

  // #region services
  // titanic.request: [service, body...] -> ["200", uuid], once the request is on disk.
  const requests = worker(TITANIC_REQUEST).serve(async (frames) => {
    const problem = requestProblem(frames, options.maxRequestBytes);
    if (problem) return refuse(TITANIC_REQUEST, problem);
    const [service, ...body] = frames as [Buffer, ...Buffer[]];
    try {
      const uuid = await store.storeRequest(service.toString(), body);
      counts.accepted += 1;
      log.info(`accepted ${uuid} for "${service}" (stored)`);
      newRequest.wake();
      return [OK, uuid];
    } catch (error) {
      log.error(`could not store a request for "${service}": ${failure(error)}`);
      return refuse(TITANIC_REQUEST, "could not be stored", ERROR);
    }
  });

  // titanic.reply: [uuid] -> ["200", reply...] | ["300"] pending | ["400"] unknown.
  const replies = worker(TITANIC_REPLY).serve(async (frames) => {
    const asked = uuidOf(frames);
    if ("problem" in asked) return refuse(TITANIC_REPLY, asked.problem);
    switch (store.status(asked.uuid)) {
      case "pending":
        return [PENDING];
      case "unknown":
        return [UNKNOWN];
      case "answered":
        try {
          const reply = await store.readReply(asked.uuid);
          return reply ? [OK, ...reply] : [UNKNOWN]; // none: closed meanwhile
        } catch (error) {
          log.error(`could not read the reply to ${asked.uuid}: ${failure(error)}`);
          return refuse(TITANIC_REPLY, "could not be read", ERROR);
        }
    }
  });

  // titanic.close: [uuid] -> ["200"], whether Titanic knew the uuid or not (idempotent).
  const closes = worker(TITANIC_CLOSE).serve(async (frames) => {
    const asked = uuidOf(frames);
    if ("problem" in asked) return refuse(TITANIC_CLOSE, asked.problem);
    try {
      await store.close(asked.uuid);
      return [OK];
    } catch (error) {
      log.error(`could not close ${asked.uuid}: ${failure(error)}`);
      return refuse(TITANIC_CLOSE, "could not be done", ERROR);
    }
  });
  // #endregion services

  // #region dispatcher
  // The dispatcher: an ordinary MDP client, with a short time-out, going through the queue.
  // After its retries the client API gives up with null, and its REQ socket still waits for
  // that reply: a REQ's next send would wait for ever. So a new client after each null.
  const connect = () =>
    new MajordomoClient({
      broker,
      timeoutMs: options.dispatchTimeoutMs,
      retries: options.dispatchRetries,
      signal: options.signal,
      log,
    });
  let client = connect();
  const call = async (service: string, ...body: Frame[]) => {
    const reply = await client.request(service, ...body);
    if (reply === null && !client.closed) {
      client.close();
      client = connect();
    }
    return reply;
  };
  while (!client.closed) {
    const answeredBefore = counts.answered;
    const absent = new Set<string>(); // services mmi.service said have no worker, this pass
    for (const { uuid, service } of store.pending()) {
      if (client.closed) break;
      if (absent.has(service)) continue;
      // MMI (RFC 8): is there a worker for it? If not, the request waits on disk.
      const [status] = (await call(MMI_SERVICE, service)) ?? [];
      if (status?.toString() !== MMI_FOUND) {
        absent.add(service);
        continue;
      }
      const request = await store.readRequest(uuid);
      if (!request) continue; // closed meanwhile
      counts.dispatched += 1;
      log.info(`dispatching ${uuid} to "${request.service}"`);
      const reply = await call(request.service, ...request.body);
      if (reply) await storeReply(store, uuid, reply, counts, log);
    }
    await extension.eachPass?.(store, log); // exercise 12 adds its purge here
    // Something was answered, or came in: go round again at once. Otherwise wait for a new
    // request, or for the interval (a worker may have come meanwhile).
    if (counts.answered === answeredBefore && !newRequest.arrived) await newRequest.wait();
    newRequest.arrived = false;
  }
  // #endregion dispatcher

  await Promise.all([requests, replies, closes]);
  await store.shutdown();
  const left = store.pending().length;
  log.info(
    `stopped after ${counts.accepted} accepted, ${counts.dispatched} dispatched, ${counts.answered} answered, ${counts.refused} refused; ${left} pending on disk`,
  );
  return counts;
}

/** The dispatcher's nap: wait() ends after `ms`, on wake(), or on abort. */
function wakeUp(ms: number, signal: AbortSignal | undefined) {
  let end = () => {};
  const nap = {
    arrived: false,
    wake() {
      nap.arrived = true;
      end();
    },
    wait: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => end(), ms);
        const onAbort = () => end();
        signal?.addEventListener("abort", onAbort, { once: true });
        end = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          end = () => {};
          resolve();
        };
      }),
  };
  return nap;
}

async function storeReply(
  store: TitanicStore,
  uuid: string,
  reply: Buffer[],
  counts: TitanicCounts,
  log: Logger,
): Promise<void> {
  try {
    const result = await store.storeReply(uuid, reply);
    if (result === "stored") {
      counts.answered += 1;
      log.info(`answered ${uuid} (reply stored)`);
    } else log.info(`reply to ${uuid} not stored: ${result === "closed" ? "closed" : "one is"}`);
  } catch (error) {
    log.error(`could not store the reply to ${uuid}: ${failure(error)}; it will be sent again`);
  }
}

if (isMain(import.meta.url)) {
  const options = parseFlags(titanicDefaults);
  await runTitanic({ ...options, signal: stopOnSignals(options.name) });
}
