// Titanic's disk store: one file per request and one per reply, in a directory you can `ls`
// and `cat`. Each file is written under a temporary name, flushed (fsync), renamed into place
// and its directory flushed, so it is on disk before Titanic says "200", and a crash mid-write
// leaves a stray temporary file, never half a request under its real name.
//
//   <dir>/0f3c...e1.request   {"seq":7,"service":"echo","body":["Hello"]}  accepted, pending
//   <dir>/0f3c...e1.reply     {"body":["Hello"]}                            answered
//
// The queue of pending requests is the directory itself: a request with no reply. At start-up
// it is read back in acceptance order (seq); anything unreadable is moved to <dir>/damaged/.
import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@zmq-patterns/helpers";

/** RFC 9: a request's uuid is 32 hex digits (we write lower case, and accept either). */
const UUID_PATTERN = /^[0-9a-f]{32}$/i;
export const isUuid = (text: string): boolean => UUID_PATTERN.test(text);

const REQUEST = ".request";
const REPLY = ".reply";
const TEMPORARY = ".tmp";
/** Where start-up puts files it cannot use (a learner can look at them there). */
export const DAMAGED_DIR = "damaged";

/** A frame is stored as text when it is UTF-8 that reads back byte for byte, else as base64. */
type StoredFrame = string | { base64: string };
interface RequestFile {
  seq: number;
  service: string;
  body: StoredFrame[];
}
interface ReplyFile {
  body: StoredFrame[];
}

export type RequestStatus = "pending" | "answered" | "unknown";

export interface StoredRequest {
  uuid: string;
  service: string;
  body: Buffer[];
}

export interface TitanicStore {
  readonly dir: string;
  /** Requests accepted and not answered yet, oldest first (from memory: no disk read). */
  pending(): { uuid: string; service: string }[];
  /** Requests answered and not closed yet, with when their reply was stored (ms since 1970). */
  answered(): { uuid: string; answeredAt: number }[];
  status(uuid: string): RequestStatus;
  /** Stores a new request; resolves with its uuid once it is on disk. */
  storeRequest(service: string, body: Buffer[]): Promise<string>;
  /** The request, or undefined if it was closed (or never existed). */
  readRequest(uuid: string): Promise<StoredRequest | undefined>;
  /**
   * Stores a reply once it is on disk. A reply is stored once: a second one for the same uuid,
   * or one for a request closed meanwhile, is not written ("duplicate" / "closed").
   */
  storeReply(uuid: string, body: Buffer[]): Promise<"stored" | "duplicate" | "closed">;
  readReply(uuid: string): Promise<Buffer[] | undefined>;
  /** Deletes the request and its reply; idempotent. */
  close(uuid: string): Promise<void>;
  /** Waits for writes in progress. */
  shutdown(): Promise<void>;
}

const encodeFrame = (frame: Buffer): StoredFrame => {
  const text = frame.toString("utf8");
  return Buffer.from(text, "utf8").equals(frame) ? text : { base64: frame.toString("base64") };
};
const decodeFrame = (frame: StoredFrame): Buffer =>
  typeof frame === "string" ? Buffer.from(frame, "utf8") : Buffer.from(frame.base64, "base64");
const isStoredFrames = (value: unknown): value is StoredFrame[] =>
  Array.isArray(value) &&
  value.every(
    (frame) =>
      typeof frame === "string" ||
      (typeof frame === "object" &&
        frame !== null &&
        typeof (frame as { base64?: unknown }).base64 === "string"),
  );

/** Parses a request or reply file; undefined if it is not one (torn, truncated, garbage). */
function parseRequest(text: string): RequestFile | undefined {
  try {
    const value = JSON.parse(text) as Partial<RequestFile>;
    const ok =
      Number.isSafeInteger(value.seq) &&
      typeof value.service === "string" &&
      isStoredFrames(value.body);
    return ok ? (value as RequestFile) : undefined;
  } catch {
    return undefined;
  }
}
function parseReply(text: string): ReplyFile | undefined {
  try {
    const value = JSON.parse(text) as Partial<ReplyFile>;
    return isStoredFrames(value.body) ? (value as ReplyFile) : undefined;
  } catch {
    return undefined;
  }
}

/** Flushes a directory, so that a rename or unlink in it survives a power cut. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `text` to `path` so that the file is either all there or not there at all. */
async function writeDurably(dir: string, path: string, text: string): Promise<void> {
  const temporary = `${path}${TEMPORARY}`;
  const handle = await open(temporary, "w");
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  await syncDir(dir);
}

export async function openTitanicStore(dir: string, log: Logger): Promise<TitanicStore> {
  await mkdir(join(dir, DAMAGED_DIR), { recursive: true });
  // What is on disk, in memory: seq and whether answered, per uuid. We are the only writer.
  const requests = new Map<
    string,
    { seq: number; service: string; answered: boolean; answeredAt?: number }
  >();
  const setAside = async (name: string, why: string) => {
    log.warn(`store: ${name} ${why}; moved to ${join(dir, DAMAGED_DIR)}/`);
    await rename(join(dir, name), join(dir, DAMAGED_DIR, name));
  };

  // Start-up: read every file back, set aside what cannot be used, never refuse to start.
  const names = await readdir(dir);
  const replies = new Map<string, number>(); // uuid -> when the reply was written
  for (const name of names.sort()) {
    if (name === DAMAGED_DIR) continue;
    const uuid = name.slice(0, name.indexOf("."));
    const kind = name.slice(uuid.length);
    if (name.endsWith(TEMPORARY)) {
      await setAside(name, "is a write that never finished (never acknowledged)");
    } else if (!isUuid(uuid) || (kind !== REQUEST && kind !== REPLY)) {
      await setAside(name, "is not a Titanic file");
    } else if (kind === REQUEST) {
      const request = parseRequest(await readFile(join(dir, name), "utf8"));
      if (request) {
        const { seq, service } = request;
        requests.set(uuid.toLowerCase(), { seq, service, answered: false });
      } else await setAside(name, "is damaged (not a whole request)");
    } else if (parseReply(await readFile(join(dir, name), "utf8"))) {
      replies.set(uuid.toLowerCase(), (await stat(join(dir, name))).mtimeMs);
    } else {
      await setAside(name, "is damaged (not a whole reply); its request will be sent again");
    }
  }
  for (const [uuid, answeredAt] of replies) {
    const request = requests.get(uuid);
    if (request) Object.assign(request, { answered: true, answeredAt });
    else {
      // close() deletes the request first: a crash in between leaves only the reply.
      log.info(`store: ${uuid}${REPLY} has no request (closed during a crash); deleted`);
      await unlink(join(dir, `${uuid}${REPLY}`));
    }
  }
  await syncDir(dir);
  let nextSeq = [...requests.values()].reduce((last, { seq }) => Math.max(last, seq), 0) + 1;
  const waiting = [...requests.values()].filter((request) => !request.answered).length;
  log.info(`store: ${dir}: ${requests.size} request(s), ${waiting} pending`);

  // One write at a time, in call order, so a close never races a reply being stored.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => {}); // the caller gets the error; the next write still runs
    return result;
  };
  const key = (uuid: string) => {
    if (!isUuid(uuid)) throw new Error(`not a uuid: ${JSON.stringify(uuid)}`);
    return uuid.toLowerCase();
  };
  const requestPath = (uuid: string) => join(dir, `${uuid}${REQUEST}`);
  const replyPath = (uuid: string) => join(dir, `${uuid}${REPLY}`);
  const readIfThere = (path: string) =>
    readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });

  return {
    dir,
    pending: () =>
      [...requests.entries()]
        .filter(([, request]) => !request.answered)
        .sort(([, a], [, b]) => a.seq - b.seq)
        .map(([uuid, { service }]) => ({ uuid, service })),
    answered: () =>
      [...requests.entries()]
        .filter(([, request]) => request.answered)
        .map(([uuid, request]) => ({ uuid, answeredAt: request.answeredAt ?? 0 })),
    status(uuid) {
      if (!isUuid(uuid)) return "unknown";
      const request = requests.get(uuid.toLowerCase());
      if (!request) return "unknown";
      return request.answered ? "answered" : "pending";
    },
    storeRequest: (service, body) =>
      serially(async () => {
        const uuid = randomUUID().replaceAll("-", "");
        const seq = nextSeq++;
        const file: RequestFile = { seq, service, body: body.map(encodeFrame) };
        await writeDurably(dir, requestPath(uuid), `${JSON.stringify(file)}\n`);
        requests.set(uuid, { seq, service, answered: false });
        return uuid;
      }),
    async readRequest(uuid) {
      const id = key(uuid);
      if (!requests.has(id)) return undefined;
      const text = await readIfThere(requestPath(id));
      const request = text === undefined ? undefined : parseRequest(text);
      if (!request) return undefined;
      return { uuid: id, service: request.service, body: request.body.map(decodeFrame) };
    },
    storeReply: (uuid, body) =>
      serially(async () => {
        const id = key(uuid);
        const request = requests.get(id);
        if (!request) return "closed" as const;
        if (request.answered) return "duplicate" as const;
        const file: ReplyFile = { body: body.map(encodeFrame) };
        await writeDurably(dir, replyPath(id), `${JSON.stringify(file)}\n`);
        Object.assign(request, { answered: true, answeredAt: Date.now() });
        return "stored" as const;
      }),
    async readReply(uuid) {
      const id = key(uuid);
      if (requests.get(id)?.answered !== true) return undefined;
      const text = await readIfThere(replyPath(id));
      const reply = text === undefined ? undefined : parseReply(text);
      return reply?.body.map(decodeFrame);
    },
    close: (uuid) =>
      serially(async () => {
        const id = key(uuid);
        if (!requests.delete(id)) return; // at once: the dispatcher no longer sends it
        // The request first: a crash between the two leaves a reply alone, which start-up
        // deletes, never a request without its reply, which would be sent again.
        await rm(requestPath(id), { force: true });
        await rm(replyPath(id), { force: true });
        await syncDir(dir);
      }),
    shutdown: async () => {
      await queue;
    },
  };
}
