import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { Subscriber, XPublisher } from "zeromq";

const { runLastValueCache }: typeof import("./solution/lvcache.ts") = await import(
  exerciseModule(import.meta.url, "lvcache.ts")
);

/**
 * The publisher is an XPUB the test drives: it sees each subscription the cache passes up, so
 * the test knows when a subscriber is in place, without sleeping.
 */
async function setUp() {
  const publisher = new XPublisher({ linger: 0, verbosity: "allSubs" });
  await publisher.bind(EPHEMERAL);
  const cache = startRole(runLastValueCache, {
    publishers: [publisher.lastEndpoint!],
    subscribers: [EPHEMERAL],
  });
  const [, subscribersEndpoint] = await cache.ready;
  /** A subscriber to `topic`, once its subscription has come through the cache. */
  const subscriber = async (topic: string) => {
    const socket = new Subscriber({ linger: 0 });
    socket.subscribe(topic);
    socket.connect(subscribersEndpoint!);
    expect(String(await publisher.receive())).toBe(`\x01${topic}`);
    return socket;
  };
  return { publisher, cache, subscriber };
}

const next = async (socket: Subscriber) => String(await socket.receive());

describe(`exercise 02, last value cache (${exerciseSubject()})`, () => {
  it("gives a late subscriber the last update of its topic at once, before any new one", async () => {
    const { publisher, cache, subscriber } = await setUp();
    const early = await subscriber("10001 ");
    await publisher.send("10001 72 40");
    expect(await next(early)).toBe("10001 72 40"); // it went through the cache

    const late = await subscriber("10001 ");
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

  it("sends nothing from the cache for a topic nobody has published yet", async () => {
    const { publisher, cache, subscriber } = await setUp();
    const first = await subscriber("10009 ");
    await publisher.send("10009 new");
    expect(await next(first)).toBe("10009 new");
    for (const socket of [first, publisher]) socket.close();
    expect(await cache.stop()).toBe(1);
  });
});
