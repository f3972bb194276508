import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it } from "vitest";
import { XPublisher } from "zeromq";

const { runExactKeySubscriber }: typeof import("./solution/subscriber.ts") = await import(
  exerciseModule(import.meta.url, "subscriber.ts")
);

/** An XPUB the test publishes on by hand; it hands over the subscriber's subscription. */
async function handPublisher(): Promise<XPublisher> {
  const socket = new XPublisher({ linger: 0 });
  await socket.bind(EPHEMERAL);
  return socket;
}

describe(`exercise 01, exact key (${exerciseSubject()})`, () => {
  const publishers: XPublisher[] = [];
  afterEach(() => {
    for (const socket of publishers.splice(0)) socket.close();
  });

  it('asks the publisher for key "B", so the publisher still filters', async () => {
    const publisher = await handPublisher();
    publishers.push(publisher);
    const subscriber = startRole(runExactKeySubscriber, {
      connect: [publisher.lastEndpoint!],
      key: "B",
      messages: 1,
    });
    const [subscription] = await publisher.receive();
    expect(String(subscription?.subarray(1))).toBe("B"); // after the subscribe byte, 0x01
    await publisher.send(["B", "hello"]);
    expect(await subscriber.done).toEqual([{ key: "B", contents: "hello" }]);
  });

  it('keeps key "B" only, not keys that merely start with "B"', async () => {
    const publisher = await handPublisher();
    publishers.push(publisher);
    const subscriber = startRole(runExactKeySubscriber, {
      connect: [publisher.lastEndpoint!],
      key: "B",
      messages: 2,
    });
    await publisher.receive(); // subscribed: from now on nothing is lost
    await publisher.send(["BB", "not for you"]);
    await publisher.send(["A", "not for you either"]);
    await publisher.send(["B", "first"]);
    await publisher.send(["Bravo", "not for you"]);
    await publisher.send(["B", "second"]);
    expect(await subscriber.done).toEqual([
      { key: "B", contents: "first" },
      { key: "B", contents: "second" },
    ]);
  });

  it("works for any key, not just B", async () => {
    const publisher = await handPublisher();
    publishers.push(publisher);
    const subscriber = startRole(runExactKeySubscriber, {
      connect: [publisher.lastEndpoint!],
      key: "weather",
      messages: 1,
    });
    await publisher.receive();
    await publisher.send(["weather.alerts", "storm"]);
    await publisher.send(["weather", "sunny"]);
    expect(await subscriber.done).toEqual([{ key: "weather", contents: "sunny" }]);
  });
});
