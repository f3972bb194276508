import { EPHEMERAL, runRoleProcess, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Subscriber, XPublisher, XSubscriber } from "zeromq";
import { envelopePublisherDefaults, runEnvelopePublisher } from "./envelope-publisher.ts";
import { envelopeSubscriberDefaults, runEnvelopeSubscriber } from "./envelope-subscriber.ts";
import { MAX_INBOUND_BYTES, SUBSCRIBE } from "./protocol.ts";

const quickPublisher = { ...envelopePublisherDefaults, bind: [EPHEMERAL], intervalMs: 10 };

describe("envelope publisher and subscriber", () => {
  const sockets: (Subscriber | XSubscriber | XPublisher)[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) socket.close();
  });

  it("sends every message as two frames, the key first", async () => {
    const publisher = startRole(runEnvelopePublisher, quickPublisher);
    const [endpoint] = await publisher.ready;
    const everything = new Subscriber({ linger: 0 });
    sockets.push(everything);
    everything.subscribe();
    everything.connect(endpoint!);
    const messages: string[][] = [];
    while (messages.length < 4) messages.push((await everything.receive()).map(String));
    // The subscriber may join between A and B, so the first message may be either.
    const firstA = messages.findIndex(([key]) => key === "A");
    expect(messages.slice(firstA, firstA + 2)).toEqual([
      ["A", "We don't want to see this"],
      ["B", "We would like to see this"],
    ]);
    expect(await publisher.stop()).toBeGreaterThan(0);
  });

  it('delivers to the subscriber only the messages with key "B"', async () => {
    const publisher = startRole(runEnvelopePublisher, quickPublisher);
    const [endpoint] = await publisher.ready;
    const received = await runEnvelopeSubscriber({
      ...envelopeSubscriberDefaults,
      connect: [endpoint!],
      messages: 3,
    });
    expect(received).toEqual(Array(3).fill({ key: "B", contents: "We would like to see this" }));
    await publisher.stop();
  });

  it("skips a message without a key and contents, with a warning", async () => {
    const log = vi.spyOn(console, "log");
    const handPublisher = new XPublisher({ linger: 0 });
    sockets.push(handPublisher);
    await handPublisher.bind(EPHEMERAL);
    const subscriber = startRole(runEnvelopeSubscriber, {
      ...envelopeSubscriberDefaults,
      connect: [handPublisher.lastEndpoint!],
      messages: 1,
    });
    const [subscription] = await handPublisher.receive(); // the subscriber has subscribed
    expect(subscription).toEqual(Buffer.from([SUBSCRIBE, "B".charCodeAt(0)]));
    await handPublisher.send("B with no envelope");
    await handPublisher.send(["B", "one", "too many"]);
    await handPublisher.send(["B", "at last"]);
    expect(await subscriber.done).toEqual([{ key: "B", contents: "at last" }]);
    const output = log.mock.calls.flat().join("\n");
    expect(output).toContain(
      '[envelope-subscriber] W: expected 2 frames (key, contents), got: "B with no envelope"',
    );
    expect(output).toContain(
      '[envelope-subscriber] W: expected 2 frames (key, contents), got: "B" "one" "too many"',
    );
  });

  it("the publisher ignores what a peer sends it, drops a peer that sends too much, and keeps publishing", async () => {
    const publisher = startRole(runEnvelopePublisher, quickPublisher);
    const [endpoint] = await publisher.ready;
    const rogue = new XSubscriber({ linger: 0 });
    sockets.push(rogue);
    const dropped = new Promise<void>((resolve) => rogue.events.on("disconnect", () => resolve()));
    rogue.connect(endpoint!);
    await rogue.send(["A", "not", "a subscription"]);
    await rogue.send(Buffer.alloc(MAX_INBOUND_BYTES + 1, 0xff));
    await dropped; // libzmq closed that connection; the publisher's code never saw the message

    const received = await runEnvelopeSubscriber({
      ...envelopeSubscriberDefaults,
      connect: [endpoint!],
      messages: 1,
    });
    expect(received).toEqual([{ key: "B", contents: "We would like to see this" }]);
    await publisher.stop();
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`the publisher exits 0 on ${signal}`, async () => {
      const publisher = runRoleProcess("src/envelope-publisher.ts", ["--bind", EPHEMERAL]);
      await publisher.waitForLine(/published \[A\] \[B\] \(1\)/);
      publisher.signal(signal); // most likely during its 1000 ms pause, which the signal cuts short
      const result = await publisher.exited;
      expect(result.stdout).toContain(`[envelope-publisher] ${signal} received, closing sockets`);
      expect(result.stdout).toMatch(/\[envelope-publisher\] stopped after \d+ rounds/);
      expect(result.code).toBe(0);
    });

    it(`the subscriber exits 0 on ${signal} while waiting for messages`, async () => {
      const subscriber = runRoleProcess("src/envelope-subscriber.ts", ["--bind", EPHEMERAL]);
      await subscriber.waitForLine(/bound to/);
      subscriber.signal(signal);
      const result = await subscriber.exited;
      expect(result.stdout).toContain('[envelope-subscriber] received 0 messages for key "B"');
      expect(result.code).toBe(0);
    });
  }
});
