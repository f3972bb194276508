import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it } from "vitest";
import { Subscriber } from "zeromq";

const { runSubscriptionSyncPublisher }: typeof import("./solution/publisher.ts") = await import(
  exerciseModule(import.meta.url, "publisher.ts")
);

/** How long a subscriber waits for its next message before the test calls the publisher stuck. */
const STUCK_MS = 8000;
/** How long after a subscriber has connected the next one starts: later than any plausible sleep. */
const LATE_MS = 1500;

const connections = new WeakMap<Subscriber, Promise<unknown>>();

/** A subscriber to everything, and a promise of its connection (its `handshake` event). */
function subscriber(endpoint: string): Subscriber {
  // receiveTimeout only turns a publisher that never publishes into a failure instead of a hang.
  const socket = new Subscriber({ linger: 0, receiveTimeout: STUCK_MS });
  connections.set(socket, new Promise((resolve) => socket.events.on("handshake", resolve)));
  socket.subscribe();
  socket.connect(endpoint);
  return socket;
}

/** Everything the subscriber receives up to "END"; fails if nothing comes for STUCK_MS. */
async function untilEnd(socket: Subscriber, onFirst = () => {}): Promise<string[]> {
  const texts: string[] = [];
  while (texts.at(-1) !== "END") {
    try {
      texts.push(String(await socket.receive()));
      if (texts.length === 1) onFirst();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "EAGAIN") throw error;
      throw new Error(`nothing for ${STUCK_MS} ms after ${JSON.stringify(texts.slice(-3))}`);
    }
  }
  return texts;
}

const allUpdates = (count: number) => [
  ...Array.from({ length: count }, (_, index) => String(index + 1)),
  "END",
];

describe(`exercise 02, synchronise on subscriptions (${exerciseSubject()})`, () => {
  const sockets: Subscriber[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  it("waits for one subscriber, which then gets every update and END", async () => {
    const publisher = startRole(runSubscriptionSyncPublisher, {
      bind: [EPHEMERAL],
      subscribers: 1,
      updates: 100,
    });
    const [endpoint] = await publisher.ready;
    const only = subscriber(endpoint!);
    sockets.push(only);
    expect(await untilEnd(only)).toEqual(allUpdates(100));
    expect(await publisher.done).toBe(100);
  });

  it("waits for three subscribers that come one at a time, late, and publishes only after the last", async () => {
    const publisher = startRole(runSubscriptionSyncPublisher, {
      bind: [EPHEMERAL],
      subscribers: 3,
      updates: 5000,
    });
    const [endpoint] = await publisher.ready;
    // Each subscriber comes well after the one before has connected: longer than any sleep a
    // publisher might use instead of counting subscriptions. The first one reads all along, so
    // anything published before the third has even started shows up before "third started".
    const events: string[] = [];
    const three: Subscriber[] = [];
    const received: Promise<string[]>[] = [];
    for (const name of ["first", "second", "third"]) {
      if (three.length > 0) await new Promise((resolve) => setTimeout(resolve, LATE_MS));
      const socket = subscriber(endpoint!);
      three.push(socket);
      sockets.push(socket);
      events.push(`${name} started`);
      const texts = untilEnd(socket, () => events.push(`${name} received its first update`));
      texts.catch(() => {}); // reported by Promise.all below, not as an unhandled rejection
      received.push(texts);
      await Promise.race([
        connections.get(socket),
        new Promise((_, reject) =>
          setTimeout(
            () =>
              reject(
                new Error(
                  `the publisher did not accept the ${name} subscriber in 5 s: had it published and closed already?`,
                ),
              ),
            5000,
          ),
        ),
      ]);
    }
    for (const texts of await Promise.all(received)) expect(texts).toEqual(allUpdates(5000));
    expect(events.slice(0, 3), "nothing published before the third subscriber started").toEqual([
      "first started",
      "second started",
      "third started",
    ]);
    expect(await publisher.done).toBe(5000);
  });

  it("returns 0 when stopped while still waiting", async () => {
    const publisher = startRole(runSubscriptionSyncPublisher, {
      bind: [EPHEMERAL],
      subscribers: 2,
      updates: 10,
    });
    await publisher.ready;
    expect(await publisher.stop()).toBe(0);
  });
});
