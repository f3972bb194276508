import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it } from "vitest";
import { Subscriber } from "zeromq";

const { runSubscriptionSyncPublisher }: typeof import("./solution/publisher.ts") = await import(
  exerciseModule(import.meta.url, "publisher.ts")
);

/** How long a subscriber waits for its next message before the test calls the publisher stuck. */
const STUCK_MS = 3000;

function subscriber(endpoint: string): Subscriber {
  // receiveTimeout only turns a publisher that never publishes into a failure instead of a hang.
  const socket = new Subscriber({ linger: 0, receiveTimeout: STUCK_MS });
  socket.subscribe();
  socket.connect(endpoint);
  return socket;
}

/** Everything the subscriber receives up to "END"; fails if nothing comes for STUCK_MS. */
async function untilEnd(socket: Subscriber): Promise<string[]> {
  const texts: string[] = [];
  while (texts.at(-1) !== "END") {
    try {
      texts.push(String(await socket.receive()));
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

  it("waits for three subscribers to the same topic, each of which gets every update", async () => {
    const publisher = startRole(runSubscriptionSyncPublisher, {
      bind: [EPHEMERAL],
      subscribers: 3,
      updates: 5000,
    });
    const [endpoint] = await publisher.ready;
    const three = [subscriber(endpoint!), subscriber(endpoint!), subscriber(endpoint!)];
    sockets.push(...three);
    const received = await Promise.all(three.map(untilEnd));
    for (const texts of received) expect(texts).toEqual(allUpdates(5000));
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
