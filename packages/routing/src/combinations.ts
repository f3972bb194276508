// Which socket types may talk: pairs every socket type with every other over tcp, one binding and
// one connecting, and prints a table of the pairs that handshake and exchange messages.
// Talks to: itself (both sockets of every pair live in this process). The Guide's chapter 3, "Request-Reply Combinations".
// Run: pnpm --filter routing combinations [--timeout-ms 5000] [--parallel 24]
import { setTimeout as delay } from "node:timers/promises";
import {
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import {
  Dealer,
  Pair,
  Publisher,
  Pull,
  Push,
  Reply,
  Request,
  Router,
  type Socket,
  Subscriber,
  XPublisher,
  XSubscriber,
} from "zeromq";
import { sendToNewPeer } from "./router-router.ts";

/** The socket types of zeromq.js 6.8 that every libzmq has (the draft ones are left out). */
export const SOCKET_TYPES = {
  PAIR: Pair,
  PUB: Publisher,
  SUB: Subscriber,
  REQ: Request,
  REP: Reply,
  DEALER: Dealer,
  ROUTER: Router,
  PULL: Pull,
  PUSH: Push,
  XPUB: XPublisher,
  XSUB: XSubscriber,
} as const;
export type SocketType = keyof typeof SOCKET_TYPES;
export const TYPE_NAMES = Object.keys(SOCKET_TYPES) as SocketType[];

export const combinationsDefaults = {
  /** Longest one pair may take to handshake (or be refused) and exchange its messages. */
  timeoutMs: 5000,
  /** How many pairs are tried at once (each pair is two sockets and two monitors). */
  parallel: 24,
  name: "combinations",
};
export type CombinationsOptions = typeof combinationsDefaults & RoleControl;

/** What happened between a socket of type `bound` (it binds) and one of type `connected`. */
export interface PairResult {
  bound: SocketType;
  connected: SocketType;
  /** Both sides emitted `handshake`: libzmq accepted the pair. */
  handshake: boolean;
  /** A message went from the binding socket to the connecting one... */
  boundToConnected: boolean;
  /** ...and one the other way (a reply, or a subscription an XPUB reads). */
  connectedToBound: boolean;
  /** Set when the pair neither handshook nor was refused in time: a bug, never expected. */
  failure?: string;
}

const CLIENTS: SocketType[] = ["REQ", "DEALER"];
const REQUEST_REPLY: SocketType[] = ["REQ", "REP", "DEALER", "ROUTER"];
const PUBLISHERS: SocketType[] = ["PUB", "XPUB"];

type AnySocket = Socket & {
  send(message: (string | Buffer)[] | string | Buffer): Promise<void>;
  receive(): Promise<Buffer[]>;
};

/** A socket of `type`; request-reply ones named `name`, so that a ROUTER can address them. */
function open(type: SocketType, name: string): AnySocket {
  const named = { linger: 0, routingId: name };
  switch (type) {
    case "ROUTER": // mandatory + sendTimeout 0: a message it cannot route fails instead of vanishing
      return new Router({ ...named, mandatory: true, sendTimeout: 0 }) as unknown as AnySocket;
    case "REQ":
      return new Request(named) as unknown as AnySocket;
    case "REP":
      return new Reply(named) as unknown as AnySocket;
    case "DEALER":
      return new Dealer(named) as unknown as AnySocket;
    case "SUB": {
      const socket = new Subscriber({ linger: 0 });
      socket.subscribe(); // everything
      return socket as unknown as AnySocket;
    }
    default:
      return new SOCKET_TYPES[type]({ linger: 0 }) as unknown as AnySocket;
  }
}

/** Resolves with the first of `events` that socket emits ("handshake", or "disconnect"). */
function watch(socket: Socket) {
  const seen = new Set<string>();
  const waiting: { type: string; resolve: () => void }[] = [];
  for (const type of ["accept", "handshake", "disconnect"] as const) {
    socket.events.on(type, () => {
      seen.add(type);
      for (const waiter of waiting.filter((w) => w.type === type)) waiter.resolve();
    });
  }
  return {
    seen,
    next: (type: string) =>
      seen.has(type)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiting.push({ type, resolve })),
  };
}

/** How a request-reply socket wraps a body for its peer, and finds the body in what it got. */
const envelope = (type: SocketType, peer: string, body: string): (string | Buffer)[] =>
  type === "ROUTER" ? [peer, "", body] : type === "DEALER" ? ["", body] : [body];
const bodyOf = (frames: Buffer[]): string => String(frames[frames.length - 1]);

/** Sends one message each way the pattern allows; says which ways arrived. */
async function exchange(
  bound: { type: SocketType; socket: AnySocket },
  connected: { type: SocketType; socket: AnySocket },
): Promise<{ boundToConnected: boolean; connectedToBound: boolean }> {
  const ways = { boundToConnected: false, connectedToBound: false };
  const [b, c] = [bound, connected];

  if (REQUEST_REPLY.includes(b.type) && REQUEST_REPLY.includes(c.type)) {
    // The client side (REQ, DEALER) asks first; between two of a kind, the connecting one does.
    const clientIsConnected = CLIENTS.includes(c.type) || !CLIENTS.includes(b.type);
    const [client, server] = clientIsConnected ? [c, b] : [b, c];
    const [clientName, serverName] = clientIsConnected
      ? ["connected", "bound"]
      : ["bound", "connected"];
    const ping = envelope(client.type, serverName, "ping");
    if (client.type === "ROUTER")
      await sendToNewPeer(client.socket as unknown as Router, ping.map(String));
    else await client.socket.send(ping);
    const request = await server.socket.receive();
    if (bodyOf(request) !== "ping") throw new Error(`expected "ping", got ${bodyOf(request)}`);
    const replyTo = server.type === "ROUTER" ? String(request[0]) : clientName;
    await server.socket.send(envelope(server.type, replyTo, "pong"));
    const reply = await client.socket.receive();
    if (bodyOf(reply) !== "pong") throw new Error(`expected "pong", got ${bodyOf(reply)}`);
    ways[clientIsConnected ? "connectedToBound" : "boundToConnected"] = true;
    ways[clientIsConnected ? "boundToConnected" : "connectedToBound"] = true;
    return ways;
  }

  if (b.type === "PAIR") {
    await b.socket.send("ping");
    ways.boundToConnected = bodyOf(await c.socket.receive()) === "ping";
    await c.socket.send("pong");
    ways.connectedToBound = bodyOf(await b.socket.receive()) === "pong";
    return ways;
  }

  if (b.type === "PUSH" || c.type === "PUSH") {
    const [push, pull] = b.type === "PUSH" ? [b, c] : [c, b];
    await push.socket.send("task");
    const arrived = bodyOf(await pull.socket.receive()) === "task";
    ways[push === b ? "boundToConnected" : "connectedToBound"] = arrived;
    return ways;
  }

  // Publish-subscribe: the subscription goes up (an XSUB sends it itself, a SUB on subscribe()),
  // an XPUB hands it to its application, and then data comes down.
  const [pub, sub] = PUBLISHERS.includes(b.type) ? [b, c] : [c, b];
  const down = pub === b ? "boundToConnected" : "connectedToBound";
  const up = pub === b ? "connectedToBound" : "boundToConnected";
  if (sub.type === "XSUB") await sub.socket.send(Buffer.from([1])); // 1 = subscribe, "" = to all
  const subscription = pub.type === "XPUB" ? pub.socket.receive() : undefined;
  const received = sub.socket.receive();
  let arrived = false;
  void received.then(() => {
    arrived = true;
  });
  // A publisher cannot tell when a subscription has reached it (the slow joiner), so it sends
  // until news arrives. (Measured: a connecting XPUB did not even hand a bound SUB's subscription
  // to its application before it had sent something; then it did.)
  while (!arrived) {
    await pub.socket.send("news");
    await Promise.race([received, delay(20)]);
  }
  if (subscription) ways[up] = (await subscription)[0]?.[0] === 1;
  ways[down] = bodyOf(await received) === "news";
  return ways;
}

/** Binds a socket of type `bound`, connects one of type `connected`, and sees what they can do. */
export async function probePair(
  bound: SocketType,
  connected: SocketType,
  timeoutMs = combinationsDefaults.timeoutMs,
): Promise<PairResult> {
  const result: PairResult = {
    bound,
    connected,
    handshake: false,
    boundToConnected: false,
    connectedToBound: false,
  };
  const b = { type: bound, socket: open(bound, "bound") };
  const c = { type: connected, socket: open(connected, "connected") };
  const [bw, cw] = [watch(b.socket), watch(c.socket)];
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    await b.socket.bind("tcp://127.0.0.1:*");
    c.socket.connect(b.socket.lastEndpoint!);
    // #region verdict
    // libzmq checks the peer's socket type during the ZMTP handshake. A valid pair emits
    // `handshake` on both sides; a refused one `accept` on the binding side, then `disconnect`.
    const handshook = Promise.all([bw.next("handshake"), cw.next("handshake")]).then(
      () => "handshake" as const,
    );
    const refused = bw
      .next("accept")
      .then(() => Promise.all([bw.next("disconnect"), cw.next("disconnect")]))
      .then(() => "refused" as const);
    const verdict = await Promise.race([handshook, refused, timedOut]);
    // #endregion
    if (verdict === "timeout") {
      result.failure = `neither a handshake nor a refusal within ${timeoutMs} ms`;
      return result;
    }
    result.handshake = bw.seen.has("handshake") || cw.seen.has("handshake");
    if (verdict === "refused") return result;
    const ways = await Promise.race([exchange(b, c), timedOut]);
    if (ways === "timeout") result.failure = `handshook, but no exchange within ${timeoutMs} ms`;
    else Object.assign(result, ways);
    return result;
  } finally {
    clearTimeout(timer);
    b.socket.close();
    c.socket.close();
  }
}

/** Every ordered pair, `parallel` at a time. */
export async function probeAll(
  options: Pick<CombinationsOptions, "timeoutMs" | "parallel" | "signal">,
): Promise<PairResult[]> {
  const pairs = TYPE_NAMES.flatMap((bound) =>
    TYPE_NAMES.map((connected) => ({ bound, connected })),
  );
  const results: PairResult[] = new Array(pairs.length);
  let next = 0;
  const lane = async () => {
    while (next < pairs.length && !options.signal?.aborted) {
      const index = next++;
      const { bound, connected } = pairs[index]!;
      results[index] = await probePair(bound, connected, options.timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel) }, lane));
  return results.filter(Boolean);
}

/** One cell: `<->` both ways, `->` row to column only, `<-` column to row only, `no` refused. */
export function cell(result: PairResult): string {
  if (result.failure) return "??";
  if (!result.handshake) return "no";
  if (result.boundToConnected && result.connectedToBound) return "<->";
  if (result.boundToConnected) return "->";
  if (result.connectedToBound) return "<-";
  return "??"; // handshook but nothing got through: a bug, never expected
}

/** The table the role prints (and docs/routing.md shows): rows bind, columns connect. */
export function formatTable(results: PairResult[]): string {
  const width = 7;
  const find = (bound: SocketType, connected: SocketType) =>
    results.find((r) => r.bound === bound && r.connected === connected);
  const header = `${"bind\\conn".padEnd(width + 3)}${TYPE_NAMES.map((name) => name.padEnd(width)).join("")}`;
  const rows = TYPE_NAMES.map((bound) =>
    [
      bound.padEnd(width + 3),
      ...TYPE_NAMES.map((connected) => {
        const result = find(bound, connected);
        return (result ? cell(result) : "").padEnd(width);
      }),
    ]
      .join("")
      .trimEnd(),
  );
  const valid = results.filter((r) => r.handshake && !r.failure);
  const unordered = [...new Set(valid.map((r) => [r.bound, r.connected].sort().join("-")))].sort();
  return [
    header.trimEnd(),
    ...rows,
    "",
    "<-> a message each way   -> bound to connecting only   <- connecting to bound only",
    "no  refused: accept, then disconnect, never a handshake",
    `${valid.length} of ${results.length} ordered pairs talk; ${unordered.length} pairs either way round:`,
    unordered.join(", "),
  ].join("\n");
}

/** Probes every pair, prints the table, returns the results. */
export async function runCombinations(options: CombinationsOptions): Promise<PairResult[]> {
  const log = roleLog(options.name);
  log.info(
    `pairing ${TYPE_NAMES.length} socket types both ways round over tcp (${TYPE_NAMES.length ** 2} pairs)`,
  );
  options.onReady?.([]);
  const results = await probeAll(options);
  if (options.signal?.aborted) {
    log.info("stopped before every pair was tried");
    return results;
  }
  for (const failure of results.filter((r) => r.failure)) {
    log.error(`${failure.bound} bound, ${failure.connected} connecting: ${failure.failure}`);
  }
  log.info(`rows bind, columns connect:\n${formatTable(results)}`);
  return results;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(combinationsDefaults);
  const results = await runCombinations({ ...options, signal: stopOnSignals(options.name) });
  if (results.some((r) => r.failure)) process.exitCode = 1;
}
