import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type JsonLinesStore, openJsonLinesStore, roleLog } from "@zmq-patterns/helpers";
import {
  EPHEMERAL,
  type LogWatch,
  runRoleProcess,
  startRole,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it } from "vitest";
import { Dealer, Push, Request } from "zeromq";
import { answerCommand, type BinState, binDefaults, runBin, takePost } from "./bin.ts";
import { fakePost, seededRandom } from "./faker.ts";
import { MAX_COMMAND_BYTES, MAX_MESSAGE_BYTES, MAX_POST_BYTES, type Post } from "./protocol.ts";

const random = seededRandom("bin tests");
/** A valid post with the given id, as JSON; `changes` replace fields (undefined removes one). */
const post = (id: string, changes: Record<string, unknown> = {}): string =>
  JSON.stringify({ ...JSON.parse(fakePost(random, id, 0).body), ...changes });

const freshStore = async () => join(await mkdtemp(join(tmpdir(), "mailbin-")), "mailbin.jsonl");
const storedIds = async (path: string): Promise<string[]> => {
  const store = await openJsonLinesStore<Post>(path);
  await store.close();
  return store.records.map((record) => record.id);
};

function startBin(store: string) {
  const bin = startRole(runBin, {
    ...binDefaults,
    bind: [EPHEMERAL],
    statsBind: [EPHEMERAL],
    store,
  });
  return { ...bin, endpoints: bin.ready.then(([mail, stats]) => ({ mail: mail!, stats: stats! })) };
}

/** A bare PUSH socket, as a faker written in any language would open it. */
function pusher(endpoint: string): Push {
  const socket = new Push({ linger: 0 });
  socket.connect(endpoint);
  return socket;
}

async function ask(endpoint: string, ...frames: (string | Buffer)[]): Promise<string> {
  const socket = new Request({ linger: 0 });
  socket.connect(endpoint);
  await socket.send(frames);
  const [reply] = await socket.receive();
  socket.close();
  return reply!.toString();
}

describe("mail bin", () => {
  let log: LogWatch;
  const sockets: (Push | Request)[] = [];
  const open = <S extends Push | Request>(socket: S): S => {
    sockets.push(socket);
    return socket;
  };
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
    log?.stop();
  });

  it("stores each valid post once, on disk, and skips a post it already has", async () => {
    log = watchLog();
    const store = await freshStore();
    const bin = startBin(store);
    const { mail, stats } = await bin.endpoints;
    const faker = open(pusher(mail));
    for (const id of ["a-1", "a-2", "a-3"]) await faker.send(post(id));
    await faker.send(post("a-2", { first_name: "Resent" }));
    await log.waitFor(/\[bin\] skipped post a-2: already stored/);

    expect(JSON.parse(await ask(stats, "stats"))).toEqual({
      received: 4,
      stored: 3,
      duplicates: 1,
      rejected: 0,
      in_store: 3,
    });
    expect(await bin.stop()).toEqual({ received: 4, stored: 3, duplicates: 1, rejected: 0 });
    expect(await storedIds(store)).toEqual(["a-1", "a-2", "a-3"]);
  });

  it("keeps what it stored across a restart, and still skips those posts", async () => {
    log = watchLog();
    const store = await freshStore();
    const first = startBin(store);
    const before = open(pusher((await first.endpoints).mail));
    for (const id of ["r-1", "r-2"]) await before.send(post(id));
    await log.waitFor(/stored post r-2 /);
    await first.stop();

    const again = startBin(store);
    const { mail } = await again.endpoints;
    const { index } = await log.waitFor(/\[bin\] ready \(pid \d+\): .*; 2 posts in /);
    const after = open(pusher(mail));
    for (const id of ["r-1", "r-3"]) await after.send(post(id));
    await log.waitFor(/stored post r-3 /, { since: index });
    expect(log.lines.slice(index)).toContain("[bin] skipped post r-1: already stored");
    expect(await again.stop()).toEqual({ received: 2, stored: 1, duplicates: 1, rejected: 0 });
    expect(await storedIds(store)).toEqual(["r-1", "r-2", "r-3"]);
  });

  describe("bad input is rejected with a log line naming the reason, and the bin keeps going", () => {
    const valid = JSON.parse(post("x-1")) as Post;
    const cases: [string, (string | Buffer)[], RegExp][] = [
      ["invalid JSON", ['{"id": "x-1", "first_name": '], /rejected a post: not JSON: /],
      ["a JSON array", ["[1, 2]"], /rejected a post: not a JSON object: "\[1, 2\]"/],
      [
        "a missing field",
        [post("x-1", { email: undefined })],
        /rejected post x-1: missing field "email"$/,
      ],
      [
        "several missing fields, a number among them",
        [JSON.stringify({ ...valid, ip: 42, user_agent: "", service_uri: undefined })],
        /rejected post x-1: missing fields "ip", "user_agent", "service_uri"$/,
      ],
      ["no id", [post("x-1", { id: undefined })], /rejected a post: missing field "id"$/],
      [
        "an email without @",
        [post("x-1", { email: "ada at example.com" })],
        /rejected post x-1: bad email "ada at example.com"$/,
      ],
      [
        "an email with two @",
        [post("x-1", { email: "ada@lovelace@example.com" })],
        /rejected post x-1: bad email "ada@lovelace@example.com"$/,
      ],
      [
        "a day that does not exist",
        [post("x-1", { created_at: "20240230" })],
        /rejected post x-1: bad created_at "20240230" \(not YYYYMMDD\)$/,
      ],
      ["a bad ip", [post("x-1", { ip: "999.0.0.1" })], /rejected post x-1: bad ip "999.0.0.1"$/],
      [
        "an oversized post",
        [post("x-1", { user_agent: "x".repeat(5000) })],
        new RegExp(`rejected a post: post is \\d{4} bytes; the limit is ${MAX_POST_BYTES}$`),
      ],
      ["several frames", [post("x-1"), "extra"], /rejected a post: expected 1 frame, got 2$/],
      [
        "bytes that are not UTF-8",
        [Buffer.from([0xc3, 0x28, 0xff])],
        /rejected a post: not UTF-8 text: 0xc328ff$/,
      ],
    ];
    for (const [what, frames, reason] of cases) {
      it(what, async () => {
        log = watchLog();
        const store = await freshStore();
        const bin = startBin(store);
        const { mail, stats } = await bin.endpoints;
        const faker = open(pusher(mail));
        await faker.send(post("good-1"));
        await faker.send(frames);
        await faker.send(post("good-2"));
        await log.waitFor(/stored post good-2 /);
        expect(log.lines.filter((line) => line.includes("W: rejected"))).toEqual([
          expect.stringMatching(reason),
        ]);
        expect(JSON.parse(await ask(stats, "stats"))).toMatchObject({ stored: 2, rejected: 1 });
        await bin.stop();
        expect(await storedIds(store)).toEqual(["good-1", "good-2"]); // nothing accepted was lost
      });
    }

    it("drops a peer that sends more than the hard message limit and keeps taking posts", async () => {
      log = watchLog();
      const bin = startBin(await freshStore());
      const { mail } = await bin.endpoints;
      const flooder = open(new Push({ linger: 0 }));
      const dropped = new Promise<void>((resolve) =>
        flooder.events.on("disconnect", () => resolve()),
      );
      flooder.connect(mail);
      await flooder.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1, "x"));
      await dropped; // libzmq closed the connection; the bin's code never saw the message
      await open(pusher(mail)).send(post("after-flood"));
      await log.waitFor(/stored post after-flood /);
      expect(await bin.stop()).toEqual({ received: 1, stored: 1, duplicates: 0, rejected: 0 });
    });
  });

  it("answers its stats socket while taking posts: stats, has <id>, and an error to the rest", async () => {
    log = watchLog();
    const bin = startBin(await freshStore());
    const { mail, stats } = await bin.endpoints;
    expect(JSON.parse(await ask(stats, "stats"))).toEqual({
      received: 0,
      stored: 0,
      duplicates: 0,
      rejected: 0,
      in_store: 0,
    });
    expect(await ask(stats, "has s-1")).toBe("no");
    await open(pusher(mail)).send(post("s-1"));
    await log.waitFor(/stored post s-1 /);
    expect(await ask(stats, "has s-1")).toBe("yes");

    expect(await ask(stats, "nonsense")).toBe(
      'error: unknown command "nonsense"; try "stats" or "has <id>"',
    );
    expect(await ask(stats, "stats", "extra")).toBe("error: expected 1 frame, got 2");
    expect(await ask(stats, "x".repeat(MAX_COMMAND_BYTES + 1))).toBe(
      `error: command is ${MAX_COMMAND_BYTES + 1} bytes; the limit is ${MAX_COMMAND_BYTES}`,
    );
    expect(await ask(stats, Buffer.from([0x00, 0xff]))).toMatch(/^error: unknown command 0x00ff;/);
    expect(log.lines.filter((line) => line.includes("W: bad stats request"))).toHaveLength(4);
    expect(JSON.parse(await ask(stats, "stats"))).toMatchObject({ received: 1, stored: 1 });
    await bin.stop();
  });

  it("answers stats that add up while a post is still being written to disk", async () => {
    // A store whose write we finish by hand: the stats question comes while the disk is busy.
    const records: Post[] = [];
    let finishWrite = () => {};
    const slowStore: JsonLinesStore<Post> = {
      records,
      append: (record) =>
        new Promise<void>((resolve) => {
          finishWrite = () => {
            records.push(record);
            resolve();
          };
        }),
      close: async () => {},
    };
    const bin: BinState = {
      store: slowStore,
      ids: new Set(),
      counts: { received: 0, stored: 0, duplicates: 0, rejected: 0 },
    };
    const binLog = roleLog("bin");
    const statsNow = () => JSON.parse(answerCommand([Buffer.from("stats")], bin, binLog));

    await takePost([Buffer.from("not json")], bin, binLog);
    const writing = takePost([Buffer.from(post("slow-1"))], bin, binLog);
    const during = statsNow();
    expect(during).toEqual({ received: 1, stored: 0, duplicates: 0, rejected: 1, in_store: 0 });
    finishWrite();
    await writing;
    expect(statsNow()).toEqual({ received: 2, stored: 1, duplicates: 0, rejected: 1, in_store: 1 });
  });

  it("keeps answering stats after a DEALER peer leaves out the empty delimiter frame", async () => {
    log = watchLog();
    const bin = startBin(await freshStore());
    const { stats } = await bin.endpoints;
    const careless = new Dealer({ linger: 0 });
    careless.connect(stats);
    await careless.send("stats"); // a REQ would have sent ["", "stats"]
    await log.waitFor(/\[bin\] W: stats: dropped a request without the empty delimiter frame/);
    careless.close();
    expect(JSON.parse(await ask(stats, "stats"))).toMatchObject({ received: 0 });
    await bin.stop();
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`closes its sockets and store, and exits 0 on ${signal}`, async () => {
      const store = await freshStore();
      const bin = runRoleProcess("src/bin.ts", [
        ...["--bind", EPHEMERAL, "--stats-bind", EPHEMERAL, "--store", store],
      ]);
      const [, mail] = await bin.waitForLine(/ready \(pid \d+\): posts to (tcp:\/\/\S+),/);
      const faker = open(pusher(mail!));
      for (const id of ["k-1", "k-2"]) await faker.send(post(id));
      await bin.waitForLine(/stored post k-2 /);
      bin.signal(signal);
      const result = await bin.exited;
      expect(result.stdout).toContain(`[bin] ${signal} received, closing sockets`);
      expect(result.stdout).toContain("[bin] stopped: received 2 posts (stored 2,");
      expect(result.code).toBe(0);
      expect(await storedIds(store)).toEqual(["k-1", "k-2"]);
    });
  }
});
