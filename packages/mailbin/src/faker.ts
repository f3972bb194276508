// Faker: a PUSH socket that sends fake sign-up form posts (JSON) to the mail bin, some of them
// deliberately broken. Talks to: bin.ts (PULL); run as many fakers at once as you like.
// Run: pnpm --filter mailbin faker [--connect tcp://localhost:5558] [--name faker] [--posts 20] [--interval-ms 100] [--invalid-fraction 0.1]
import { setTimeout as sleep } from "node:timers/promises";
import {
  attach,
  closeAndDrain,
  closeOnAbort,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Push } from "zeromq";
import { MAILBIN_PORT, MAX_POST_BYTES, type Post } from "./protocol.ts";

export const fakerDefaults = {
  connect: [`tcp://localhost:${MAILBIN_PORT}`],
  bind: [] as string[],
  posts: 20,
  /** Pause between two posts. */
  intervalMs: 100,
  /** Share of posts that are broken on purpose (0 to 1), so the bin has something to reject. */
  invalidFraction: 0.1,
  /** Names the posts (`<name>-1`, `<name>-2`...) and seeds the fake data: same name, same posts. */
  name: "faker",
};
export type FakerOptions = typeof fakerDefaults & RoleControl;

/** How long a closing faker gives its queued posts to leave before dropping them. */
export const FLUSH_LINGER_MS = 1000;

/** A small seeded generator (mulberry32): the same seed gives the same fake data every run. */
export function seededRandom(seed: string): () => number {
  let state = 2166136261;
  for (const char of seed) state = Math.imul(state ^ char.charCodeAt(0), 16777619); // FNV-1a
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_NAMES = ["Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken"];
const LAST_NAMES = ["Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov"];
const DOMAINS = ["example.com", "example.org", "example.net"]; // reserved for examples (RFC 2606)
const USER_AGENTS = [
  "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
];
const SERVICES = ["https://example.com/signup", "https://example.com/newsletter"];
const FLAWS = ["not JSON", "missing a field", "a bad email", "a bad date", "too big"] as const;

export interface FakePost {
  id: string;
  body: string;
  /** How the post was broken on purpose, if it was. */
  flaw?: (typeof FLAWS)[number];
}

/** One fake form post with the given id; broken on purpose with probability `invalidFraction`. */
export function fakePost(random: () => number, id: string, invalidFraction: number): FakePost {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const digits = (n: number, width: number) => String(n).padStart(width, "0");
  const [first, last] = [pick(FIRST_NAMES), pick(LAST_NAMES)];
  const post: Post = {
    id,
    first_name: first,
    last_name: last,
    email: `${first}.${last}@${pick(DOMAINS)}`.toLowerCase(),
    created_at: `2024${digits(1 + Math.floor(random() * 12), 2)}${digits(1 + Math.floor(random() * 28), 2)}`,
    ip: `203.0.113.${1 + Math.floor(random() * 254)}`, // a documentation range (RFC 5737)
    user_agent: pick(USER_AGENTS),
    service_uri: pick(SERVICES),
  };
  if (random() >= invalidFraction) return { id, body: JSON.stringify(post) };

  const flaw = pick(FLAWS);
  switch (flaw) {
    case "not JSON":
      return { id, body: JSON.stringify(post).slice(0, 40), flaw }; // cut short
    case "missing a field": {
      const { email: _dropped, ...withoutEmail } = post;
      return { id, body: JSON.stringify(withoutEmail), flaw };
    }
    case "a bad email":
      return {
        id,
        body: JSON.stringify({ ...post, email: post.email.replace("@", " at ") }),
        flaw,
      };
    case "a bad date":
      return { id, body: JSON.stringify({ ...post, created_at: "2024-02-30" }), flaw };
    case "too big":
      return {
        id,
        body: JSON.stringify({ ...post, user_agent: "x".repeat(MAX_POST_BYTES) }),
        flaw,
      };
  }
}

// #region run-faker
/** Sends the posts one by one; returns how many it sent. */
export async function runFaker(options: FakerOptions): Promise<number> {
  const log = roleLog(options.name);
  // Posts queue in the socket while no bin is connected (up to the high-water mark, 1000), and
  // leave when it comes back. linger: on close, queued posts get FLUSH_LINGER_MS to leave.
  const socket = new Push({ linger: FLUSH_LINGER_MS });
  socket.events.on("connect", ({ address }) => log.info(`connected to the mail bin at ${address}`));
  socket.events.on("disconnect", ({ address }) =>
    log.warn(`lost the mail bin at ${address}; posts wait here until it is back`),
  );
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints); // tests learn the real port here

  const random = seededRandom(options.name);
  let sent = 0;
  while (sent < options.posts && !socket.closed) {
    const post = fakePost(random, `${options.name}-${sent + 1}`, options.invalidFraction);
    try {
      await socket.send(post.body); // returns once queued; waits only when the queue is full
    } catch (error) {
      if (socket.closed) break; // stopped while the queue was full
      throw error;
    }
    sent += 1;
    const flaw = post.flaw ? `, ${post.flaw} on purpose` : "";
    log.info(`sent post ${post.id} (${sent}/${options.posts})${flaw}`);
    if (sent < options.posts) await sleep(options.intervalMs);
  }

  // Queued posts still leave, for up to FLUSH_LINGER_MS; a Ctrl-C meanwhile drops them (exit 0).
  await closeAndDrain(socket);
  return sent;
}
// #endregion

if (isMain(import.meta.url)) {
  const options = parseFlags(fakerDefaults);
  const signal = stopOnSignals(options.name);
  const sent = await runFaker({ ...options, signal });
  const outcome = signal.aborted ? "stopped" : "done";
  roleLog(options.name).info(`${outcome}: sent ${sent} of ${options.posts} posts`);
}
