import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Subscriber, XPublisher, XSubscriber } from "zeromq";

const { runLastValueCache }: typeof import("./solution/lvcache.ts") = await import(
  exerciseModule(import.meta.url, "lvcache.ts")
);

/**
 * The publisher is an XPUB the test drives: it sees each subscription the cache passes up, so
 * the test knows when a subscriber is in place, without sleeping.
 */
/** What a test left open when it failed half-way: closed after each test. */
const leftOver: { close(): void }[] = [];

async function setUp() {
  const publisher = new XPublisher({ linger: 0, verbosity: "allSubs" });
  leftOver.push(publisher);
  await publisher.bind(EPHEMERAL);
  const cache = startRole(runLastValueCache, {
    publishers: [publisher.lastEndpoint!],
    subscribers: [EPHEMERAL],
  });
  leftOver.push({ close: () => void cache.stop() });
  const [, subscribersEndpoint] = await cache.ready;
  /** A subscriber to `topic`, once its subscription has come through the cache. */
  const subscriber = async (topic: string) => {
    const socket = new Subscriber({ linger: 0 });
    leftOver.push(socket);
    socket.subscribe(topic);
    socket.connect(subscribersEndpoint!);
    expect(String(await publisher.receive())).toBe(`\x01${topic}`);
    return socket;
  };
  return { publisher, cache, subscriber, sends: recordSends(publisher) };
}

/**
 * Every send the cache makes, in order: "down <update>" on its XPUB, "up +<topic>" (subscribe)
 * or "up -<topic>" (unsubscribe) on its XSUB. The order of the calls is the lesson: the cached
 * update must go down before the subscription goes up, and only for the topic subscribed to.
 */
function recordSends(testPublisher: XPublisher): string[] & { made(send: string): Promise<void> } {
  const waiting = new Map<string, () => void>();
  const sends = Object.assign([] as string[], {
    /** Resolves once the cache has made this send (fails after 5 s, naming it). */
    made: (expected: string) =>
      new Promise<void>((resolve, reject) => {
        if (sends.includes(expected)) return resolve();
        const timer = setTimeout(() => reject(new Error(`the cache never sent ${expected}`)), 5000);
        waiting.set(expected, () => {
          clearTimeout(timer);
          resolve();
        });
      }),
  });
  let owner: object = XPublisher.prototype;
  while (!Object.hasOwn(owner, "send")) owner = Object.getPrototypeOf(owner);
  const socketPrototype = owner as { send(message: unknown): Promise<void> };
  const send = socketPrototype.send;
  vi.spyOn(socketPrototype, "send").mockImplementation(function (this: unknown, message) {
    const frames = (Array.isArray(message) ? message : [message]).map(String);
    if (this instanceof XPublisher && this !== testPublisher) sends.push(`down ${frames[0]}`);
    if (this instanceof XSubscriber) {
      const event = frames[0] ?? "";
      sends.push(`up ${event.startsWith("\x01") ? "+" : "-"}${event.slice(1)}`);
    }
    waiting.get(sends.at(-1) ?? "")?.();
    return send.call(this, message);
  });
  return sends;
}

const next = async (socket: Subscriber) => String(await socket.receive());

describe(`exercise 02, last value cache (${exerciseSubject()})`, () => {
  afterEach(() => {
    vi.restoreAllMocks();
    for (const socket of leftOver.splice(0)) socket.close(); // closing twice does nothing
  });

  it("gives a late subscriber the last update of its topic at once, before any new one", async () => {
    const { publisher, cache, subscriber, sends } = await setUp();
    const early = await subscriber("10001 ");
    await publisher.send("10001 72 40");
    expect(await next(early)).toBe("10001 72 40"); // it went through the cache

    const late = await subscriber("10001 ");
    // The cached update went down first, then the subscription up: a publisher that answers a
    // new subscription at once can never get its fresh update in ahead of the stale one.
    expect(sends.slice(-2)).toEqual(["down 10001 72 40", "up +10001 "]);
    await publisher.send("10001 75 41");
    expect(await next(late)).toBe("10001 72 40"); // from the cache...
    expect(await next(late)).toBe("10001 75 41"); // ...then the news
    for (const socket of [early, late, publisher]) socket.close();
    expect(await cache.stop()).toBe(1);
  });

  it("keeps only the last update of each topic", async () => {
    const { publisher, cache, subscriber } = await setUp();
    const early = await subscriber("10001 ");
    const other = await subscriber("10002 ");
    for (const update of ["10001 1 1", "10002 2 2", "10001 3 3"]) await publisher.send(update);
    expect([await next(early), await next(early), await next(other)]).toEqual([
      "10001 1 1",
      "10001 3 3",
      "10002 2 2",
    ]);

    const late = await subscriber("10001 ");
    await publisher.send("10001 4 4");
    expect(await next(late)).toBe("10001 3 3");
    for (const socket of [early, other, late, publisher]) socket.close();
    expect(await cache.stop()).toBe(2);
  });

  it("sends only the topic subscribed to, and nothing on an unsubscription", async () => {
    const { publisher, cache, subscriber, sends } = await setUp();
    const watcher = await subscriber("10001 ");
    const first = await subscriber("10002 ");
    await publisher.send("10001 1 1");
    await publisher.send("10002 2 2");
    expect(await next(watcher)).toBe("10001 1 1");
    expect(await next(first)).toBe("10002 2 2");

    const since = sends.length;
    const second = await subscriber("10002 ");
    second.unsubscribe("10002 "); // the XPUB tells the cache only once the last one has gone
    first.unsubscribe("10002 ");
    // (The publisher never sees this one: the cache's XSUB passed "10002 " up twice, so one
    // unsubscription leaves it subscribed. The test waits for the cache's send instead.)
    await sends.made("up -10002 ");
    expect(sends.slice(since)).toEqual(["down 10002 2 2", "up +10002 ", "up -10002 "]);
    await publisher.send("10001 3 3");
    expect(await next(watcher)).toBe("10001 3 3"); // not "10001 1 1" again
    for (const socket of [watcher, first, second, publisher]) socket.close();
    expect(await cache.stop()).toBe(2);
  });

  it("sends nothing from the cache for a topic nobody has published yet", async () => {
    const { publisher, cache, subscriber, sends } = await setUp();
    const first = await subscriber("10009 ");
    expect([...sends]).toEqual(["up +10009 "]);
    await publisher.send("10009 new");
    expect(await next(first)).toBe("10009 new");
    for (const socket of [first, publisher]) socket.close();
    expect(await cache.stop()).toBe(1);
  });
});
