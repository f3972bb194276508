// Mail bin: a PULL socket takes sign-up form posts and keeps the valid ones on disk; at the same
// time a REP socket answers "stats" and "has <id>". Talks to: faker.ts (PUSH), stats.ts (REQ).
// Run: pnpm --filter mailbin mail-bin [--bind tcp://*:5558] [--stats-bind tcp://*:5564] [--store data/mailbin.jsonl]
import { isIP } from "node:net";
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  type JsonLinesStore,
  type Logger,
  messagesOf,
  openJsonLinesStore,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Pull, Reply } from "zeromq";
import {
  type BinStats,
  HAS_COMMAND,
  MAILBIN_PORT,
  MAX_COMMAND_BYTES,
  MAX_MESSAGE_BYTES,
  MAX_POST_BYTES,
  POST_FIELDS,
  type Post,
  STATS_COMMAND,
  STATS_PORT,
} from "./protocol.ts";

export const binDefaults = {
  bind: [`tcp://*:${MAILBIN_PORT}`],
  connect: [] as string[],
  statsBind: [`tcp://*:${STATS_PORT}`],
  /** JSON lines, one post per line, flushed to disk before a post counts as stored. */
  store: "data/mailbin.jsonl",
  name: "bin",
};
export type BinOptions = typeof binDefaults & RoleControl;

/** This run's counts: every post received is stored, skipped as a duplicate, or rejected. */
export type BinCounts = Omit<BinStats, "in_store">;

/** What the bin knows: its store, the ids in it, and this run's counts. */
export interface BinState {
  store: JsonLinesStore<Post>;
  ids: Set<string>;
  counts: BinCounts;
}

// A pragmatic check (one @, no spaces, a dotted domain), not the whole of RFC 5322.
const EMAIL = /^[^\s@"<>(),;:]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

function isDay(text: string): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day; // no 20240230
}

/** The post in `frames`, or why it is not one (with its id when it has one). */
export function checkPost(frames: Buffer[]): { post: Post } | { problem: string; id?: string } {
  const [body] = frames;
  if (frames.length !== 1 || !body) return { problem: `expected 1 frame, got ${frames.length}` };
  if (body.length > MAX_POST_BYTES) {
    return { problem: `post is ${body.length} bytes; the limit is ${MAX_POST_BYTES}` };
  }
  const text = body.toString("utf8");
  if (text.includes("\uFFFD")) return { problem: `not UTF-8 text: ${describeFrame(body)}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON: ${(error as SyntaxError).message}` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { problem: `not a JSON object: ${describeFrame(body)}` };
  }

  const fields = parsed as Record<string, unknown>;
  const id = typeof fields.id === "string" && fields.id !== "" ? fields.id : undefined;
  // Absent, empty and not-a-string all count as missing; fields we do not know are dropped.
  const missing = POST_FIELDS.filter((name) => typeof fields[name] !== "string" || !fields[name]);
  if (missing.length > 0) {
    const names = missing.map((name) => `"${name}"`).join(", ");
    return { id, problem: `missing ${missing.length === 1 ? "field" : "fields"} ${names}` };
  }
  const post = Object.fromEntries(POST_FIELDS.map((name) => [name, fields[name]])) as Post;
  if (post.email.length > 254 || !EMAIL.test(post.email)) {
    return { id, problem: `bad email ${JSON.stringify(post.email)}` };
  }
  if (!isDay(post.created_at)) {
    return { id, problem: `bad created_at ${JSON.stringify(post.created_at)} (not YYYYMMDD)` };
  }
  if (isIP(post.ip) === 0) return { id, problem: `bad ip ${JSON.stringify(post.ip)}` };
  return { post };
}

/** Checks one post and stores it unless it is bad or already stored. */
export async function takePost(frames: Buffer[], bin: BinState, log: Logger): Promise<void> {
  // `received` goes up together with the post's outcome, never before: the stats socket answers
  // while a post is being written, and its counts must add up (received = stored + duplicates +
  // rejected) whenever it is asked.
  const checked = checkPost(frames);
  if ("problem" in checked) {
    // Bad input never kills the bin: say what is wrong and take the next post.
    bin.counts.received += 1;
    bin.counts.rejected += 1;
    log.warn(`rejected ${checked.id ? `post ${checked.id}` : "a post"}: ${checked.problem}`);
    return;
  }
  const { post } = checked;
  if (bin.ids.has(post.id)) {
    bin.counts.received += 1;
    bin.counts.duplicates += 1;
    log.info(`skipped post ${post.id}: already stored`);
    return;
  }
  await bin.store.append(post); // resolves once the line is on disk (fsync)
  bin.ids.add(post.id);
  bin.counts.received += 1;
  bin.counts.stored += 1;
  log.info(`stored post ${post.id} <${post.email}> (${bin.store.records.length} in store)`);
}

/** The stats socket's answer to one request: counts as JSON, yes/no, or an error line. */
export function answerCommand(frames: Buffer[], bin: BinState, log: Logger): string {
  const [request] = frames;
  let problem: string;
  if (frames.length !== 1 || !request) problem = `expected 1 frame, got ${frames.length}`;
  else if (request.length > MAX_COMMAND_BYTES) {
    problem = `command is ${request.length} bytes; the limit is ${MAX_COMMAND_BYTES}`;
  } else {
    const [command, ...words] = request.toString("utf8").split(" ");
    switch (command) {
      case STATS_COMMAND:
        return JSON.stringify({ ...bin.counts, in_store: bin.store.records.length });
      case HAS_COMMAND:
        return bin.ids.has(words.join(" ")) ? "yes" : "no";
      default:
        problem = `unknown command ${describeFrame(request)}; try "${STATS_COMMAND}" or "${HAS_COMMAND} <id>"`;
    }
  }
  log.warn(`bad stats request: ${problem}`);
  return `error: ${problem}`; // REP must answer every request, garbage included
}

/** Serves both sockets until stopped; returns this run's counts. */
export async function runBin(options: BinOptions): Promise<BinCounts> {
  const log = roleLog(options.name);
  const store = await openJsonLinesStore<Post>(options.store, log);
  const bin: BinState = {
    store,
    ids: new Set(store.records.map((post) => post.id)),
    counts: { received: 0, stored: 0, duplicates: 0, rejected: 0 },
  };
  const mail = new Pull({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  const stats = new Reply({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  closeOnAbort(options.signal, mail, stats);
  const mailEndpoints = await attach(mail, options, log);
  const statsEndpoints = await attach(stats, { bind: options.statsBind, connect: [] }, log);
  log.info(
    `ready (pid ${process.pid}): posts to ${mailEndpoints.join(", ")}, stats from ${statsEndpoints.join(", ")}; ${store.records.length} posts in ${options.store}`,
  );
  options.onReady?.([...mailEndpoints, ...statsEndpoints]); // tests learn the real ports here

  // #region two-sockets
  // Two sockets, one process, no poller: each socket gets its own loop, and Node's event loop
  // runs whichever loop has a message waiting (what zmq.Poller does in C or Python). While the
  // posts loop waits for the disk, the stats loop can still answer.
  const takePosts = async () => {
    for await (const frames of mail) await takePost(frames, bin, log);
  };
  const answerStats = async () => {
    // messagesOf: a `for await` over the socket that survives a request libzmq drops for
    // having no envelope (a DEALER that left out the empty delimiter frame).
    const requests = messagesOf(stats, () =>
      log.warn("stats: dropped a request without the empty delimiter frame"),
    );
    for await (const frames of requests) await stats.send(answerCommand(frames, bin, log));
  };
  await Promise.all([takePosts(), answerStats()]); // both end when their socket is closed
  // #endregion

  await store.close(); // the post being written when we were stopped is finished first
  const { received, stored, duplicates, rejected } = bin.counts;
  log.info(
    `stopped: received ${received} posts (stored ${stored}, duplicates ${duplicates}, rejected ${rejected}); ${store.records.length} in ${options.store}`,
  );
  return bin.counts;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(binDefaults);
  await runBin({ ...options, signal: stopOnSignals(options.name) });
}
