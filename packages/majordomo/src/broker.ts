// Majordomo broker: one ROUTER for clients and workers, routing each request to a worker that
// offers the service it names (MDP/0.1, RFC 7), answering `mmi.*` itself (MMI, RFC 8).
// Services are created on first use; requests wait in their service's queue until a worker for
// it is ready; workers are heartbeated and forgotten after liveness x interval of silence.
// Talks to: client.ts, async-client.ts, mmi.ts, worker.ts, or the Guide's mdclient/mdworker in any language.
// Run: pnpm --filter majordomo broker [--bind tcp://*:5555] [--heartbeat-ms 2500] [--liveness 3] [--verbose]
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
  BROKER_PORT,
  BROKER_ROUTER_OPTIONS,
  commandName,
  DISCONNECT,
  HEARTBEAT,
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_LIVENESS,
  isMmi,
  isUnreachable,
  MAX_FRAME_BYTES,
  MDPC01,
  MDPW01,
  MMI_FOUND,
  MMI_NOT_FOUND,
  MMI_NOT_IMPLEMENTED,
  MMI_SERVICE,
  READY,
  REPLY,
  REQUEST,
} from "./protocol.ts";

export const brokerDefaults = {
  bind: [`tcp://*:${BROKER_PORT}`],
  connect: [] as string[],
  /** Heartbeat every worker this often... */
  heartbeatMs: HEARTBEAT_INTERVAL_MS,
  /** ...and forget one that has said nothing for this many intervals. */
  liveness: HEARTBEAT_LIVENESS,
  /** Requests a service may queue while it has no worker free; more are dropped (clients retry). */
  queueLimit: 10000,
  /** Log every request and reply (normally only workers coming and going are logged). */
  verbose: false,
  name: "broker",
};
export type BrokerOptions = typeof brokerDefaults &
  RoleControl & {
    /** How the broker answers `mmi.*` requests (default: answerMmi, RFC 8's mmi.service). */
    answerMmi?: MmiAnswer;
  };

// #region mmi
/** What an MMI answer may ask of the broker. */
export interface MmiView {
  /** How many live workers are registered for `service` (busy or idle). */
  workersFor(service: string): number;
}
/** The status frame the broker sends back for `mmi.<something>` with body `body`. */
export type MmiAnswer = (query: string, body: Buffer[], broker: MmiView) => string;

/** RFC 8: `mmi.service` says whether a worker offers the service named in the body; others are 501. */
export const answerMmi: MmiAnswer = (query, body, broker) => {
  if (query !== MMI_SERVICE) return MMI_NOT_IMPLEMENTED;
  const asked = body.at(-1)?.toString() ?? "";
  return broker.workersFor(asked) > 0 ? MMI_FOUND : MMI_NOT_FOUND;
};
// #endregion

export interface BrokerCounts {
  requests: number;
  replies: number;
  /** Messages dropped or answered with DISCONNECT because they broke the protocol. */
  rejected: number;
  /** Workers forgotten because they went silent. */
  expired: number;
}

interface Worker {
  identity: Buffer;
  /** As logs show it: the routing id as text, or hex. */
  id: string;
  service: Service;
  /** When it counts as dead unless we hear from it before. */
  expiresAt: number;
}

interface Service {
  name: string;
  /** Requests waiting for a worker: [client address, body...]. */
  requests: Buffer[][];
  /** Workers ready for a request, longest-waiting first. */
  waiting: Worker[];
  /** Every live worker registered for it, busy or not. */
  workers: Set<Worker>;
}

/** Routes requests to workers by service until stopped; returns what it did. */
export async function runBroker(options: BrokerOptions): Promise<BrokerCounts> {
  const log = roleLog(options.name);
  const socket = new Router(BROKER_ROUTER_OPTIONS);
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);
  // libzmq cuts off a peer whose frame is over the limit before our code sees it; this event,
  // also for every peer that simply leaves, is all there is to see of it.
  socket.events.on("disconnect", () =>
    log.info(
      `a connection closed (a peer left, or libzmq cut it off for a frame over ${MAX_FRAME_BYTES} bytes)`,
    ),
  );

  const counts: BrokerCounts = { requests: 0, replies: 0, rejected: 0, expired: 0 };
  const silenceMs = options.heartbeatMs * options.liveness;
  const services = new Map<string, Service>();
  const workers = new Map<string, Worker>(); // by routing id, hex

  /** Sends; false when the peer has gone or does not read (then `what`, if given, is logged). */
  const send = async (frames: (Buffer | string)[], what?: string): Promise<boolean> => {
    try {
      await socket.send(frames);
      return true;
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      if (what) log.warn(`${what}: the peer has gone or does not read; dropped`);
      return false;
    }
  };
  const reject = (problem: string) => {
    counts.rejected += 1;
    log.warn(problem);
  };
  /** Services are created on first use, by a worker's READY or a client's request. */
  const serviceNamed = (name: string): Service => {
    let service = services.get(name);
    if (!service) {
      service = { name, requests: [], waiting: [], workers: new Set() };
      services.set(name, service);
      log.info(`service "${name}" created`);
    }
    return service;
  };
  const forget = async (worker: Worker, why: string, disconnect: boolean) => {
    workers.delete(worker.identity.toString("hex"));
    worker.service.workers.delete(worker);
    const at = worker.service.waiting.indexOf(worker);
    if (at >= 0) worker.service.waiting.splice(at, 1);
    log.warn(
      `worker ${worker.id} forgotten: ${why} (${worker.service.workers.size} left for "${worker.service.name}")`,
    );
    if (disconnect)
      await send([worker.identity, "", MDPW01, DISCONNECT], `DISCONNECT to ${worker.id}`);
  };
  const mmiView: MmiView = { workersFor: (name) => services.get(name)?.workers.size ?? 0 };
  /** Hands queued requests to waiting workers, as long as there are both. */
  const dispatch = async (service: Service) => {
    while (service.waiting.length > 0 && service.requests.length > 0) {
      const worker = service.waiting.shift()!;
      const [client, ...body] = service.requests[0]!;
      const frames = [worker.identity, "", MDPW01, REQUEST, client!, "", ...body];
      if (!(await send(frames, `request for ${worker.id}`))) {
        await forget(worker, "unreachable", false); // the request stays queued for the next
        continue;
      }
      service.requests.shift();
      counts.requests += 1;
      if (options.verbose) log.info(`request from ${describeFrame(client!)} to ${worker.id}`);
    }
  };

  /** A client's ["MDPC01", service, body...]: an mmi.* question answered here, or queued. */
  const fromClient = async (client: Buffer, rest: Buffer[]) => {
    const [serviceFrame, ...body] = rest;
    if (serviceFrame === undefined || serviceFrame.length === 0) {
      return reject(`request from ${describeFrame(client)} without a service name; dropped`);
    }
    const name = serviceFrame.toString();
    if (isMmi(name)) {
      const status = (options.answerMmi ?? answerMmi)(name, body, mmiView);
      if (options.verbose) log.info(`${name} from ${describeFrame(client)}: ${status}`);
      await send([client, "", MDPC01, name, status], `${name} reply`);
      return;
    }
    const service = serviceNamed(name);
    if (service.requests.length >= options.queueLimit) {
      return reject(`"${name}" already queues ${options.queueLimit} requests; this one dropped`);
    }
    service.requests.push([client, ...body]);
    await dispatch(service);
  };

  /** A worker's [command, ...]: READY, REPLY, HEARTBEAT or DISCONNECT; anything else ends it. */
  const fromWorker = async (identity: Buffer, rest: Buffer[]) => {
    const [command, ...args] = rest;
    const key = identity.toString("hex");
    const worker = workers.get(key);
    // A known worker's log name was worked out at READY; only a stranger's is worked out here.
    const id = worker?.id ?? describeFrame(identity);
    const refuse = async (problem: string) => {
      reject(`${problem}: DISCONNECT`);
      if (worker) await forget(worker, "protocol error", false);
      await send([identity, "", MDPW01, DISCONNECT], `DISCONNECT to ${id}`);
    };

    if (command?.equals(READY)) {
      const name = args[0]?.toString() ?? "";
      if (worker) return refuse(`READY from ${id}, which was ready already`);
      if (name === "" || args.length !== 1)
        return refuse(`READY from ${id} without exactly one service name`);
      if (isMmi(name))
        return refuse(`READY from ${id} for "${name}", a name reserved to the broker`);
      const service = serviceNamed(name);
      const ready: Worker = { identity, id, service, expiresAt: Date.now() + silenceMs };
      workers.set(key, ready);
      service.workers.add(ready);
      service.waiting.push(ready);
      log.info(`worker ${id} ready for "${name}" (${service.workers.size} for it)`);
      await dispatch(service);
    } else if (command?.equals(REPLY)) {
      if (!worker) return refuse(`REPLY from ${id}, which never said READY (or was forgotten)`);
      const [client, delimiter, ...body] = args;
      if (!client?.length || delimiter?.length !== 0)
        return refuse(`REPLY from ${id} without a client address and an empty frame`);
      worker.expiresAt = Date.now() + silenceMs;
      if (await send([client, "", MDPC01, worker.service.name, ...body], `reply from ${id}`)) {
        counts.replies += 1;
        if (options.verbose) log.info(`reply from ${id} to ${describeFrame(client)}`);
      }
      if (!worker.service.waiting.includes(worker)) worker.service.waiting.push(worker);
      await dispatch(worker.service);
    } else if (command?.equals(HEARTBEAT) && args.length === 0) {
      if (!worker) return refuse(`HEARTBEAT from ${id}, which never said READY (or was forgotten)`);
      worker.expiresAt = Date.now() + silenceMs;
    } else if (command?.equals(DISCONNECT) && args.length === 0) {
      if (worker) await forget(worker, "it said DISCONNECT", false);
    } else {
      await refuse(`${commandName(command)} command from ${id} (${rest.length} frames)`);
    }
  };

  const poller = new Poller({ socket });
  let heartbeatAt = Date.now() + options.heartbeatMs;
  for (;;) {
    const event = await poller.next({ timeoutMs: heartbeatAt - Date.now() });
    if (event.kind === "closed") break;

    if (event.kind === "message") {
      // Every message: [sender, "", "MDPC01" or "MDPW01", ...].
      const [sender, delimiter, header, ...rest] = event.frames as [Buffer, ...Buffer[]];
      const protocol = header?.toString();
      if (delimiter?.length !== 0 || header === undefined) {
        reject(
          `message from ${describeFrame(sender)} without an empty frame and a header; dropped`,
        );
      } else if (protocol === MDPC01) {
        await fromClient(sender, rest);
      } else if (protocol === MDPW01) {
        await fromWorker(sender, rest);
      } else {
        reject(
          `message from ${describeFrame(sender)} with header ${describeFrame(header)}, neither ${MDPC01} nor ${MDPW01}; dropped`,
        );
      }
    }

    // Whatever happened: heartbeat every worker when it is time, forget the silent ones.
    if (socket.closed) break;
    const now = Date.now();
    if (now >= heartbeatAt) {
      for (const worker of workers.values()) {
        await send([worker.identity, "", MDPW01, HEARTBEAT]); // unsent: its expiry will tell
      }
      heartbeatAt = now + options.heartbeatMs;
    }
    for (const worker of workers.values()) {
      if (worker.expiresAt > now) continue;
      counts.expired += 1;
      await forget(
        worker,
        `silent for ${silenceMs} ms (${options.liveness} heartbeats missed)`,
        false,
      );
    }
  }

  socket.close();
  log.info(
    `stopped after ${counts.requests} requests, ${counts.replies} replies, ${counts.rejected} rejected, ${counts.expired} workers expired`,
  );
  return counts;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(brokerDefaults);
  await runBroker({ ...options, signal: stopOnSignals(options.name) });
}
