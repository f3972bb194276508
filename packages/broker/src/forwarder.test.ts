import { EPHEMERAL, handshakes, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Subscriber, XPublisher, XSubscriber } from "zeromq";
import { forwarderDefaults, runForwarder } from "./forwarder.ts";
import { MAX_MESSAGE_BYTES } from "./protocol.ts";
import { publisherDefaults, runPublisher } from "./publisher.ts";
import { runSubscriber, subscriberDefaults } from "./subscriber.ts";

/**
 * A publisher the test drives by hand: an XPUB, which (unlike a PUB) hands the subscriptions
 * it receives to its code. "allSubs": every subscription, also a repeated one.
 */
async function handPublisher(): Promise<XPublisher> {
  const socket = new XPublisher({ linger: 0, verbosity: "allSubs" });
  await socket.bind(EPHEMERAL);
  return socket;
}

function subscriber(endpoint: string, filter: string): Subscriber {
  const socket = new Subscriber({ linger: 0 });
  socket.subscribe(filter);
  socket.connect(endpoint);
  return socket;
}

const subscribe = (topic: string) => `\x01${topic}`;

describe("pub-sub forwarder", () => {
  afterEach(() => vi.restoreAllMocks());

  it("passes each subscription upstream, and delivers to a late subscriber once it has subscribed", async () => {
    const publisher = await handPublisher();
    const forwarder = startRole(runForwarder, {
      ...forwarderDefaults,
      publishers: [publisher.lastEndpoint!],
      subscribers: [EPHEMERAL],
    });
    const [, subscribersEndpoint] = await forwarder.ready;

    const early = subscriber(subscribersEndpoint!, "10001 ");
    // The subscription went SUB -> forwarder's XPUB -> forwarder's XSUB -> our publisher.
    expect(String(await publisher.receive())).toBe(subscribe("10001 "));
    await publisher.send("10001 first");
    expect(String(await early.receive())).toBe("10001 first");

    const late = subscriber(subscribersEndpoint!, "10001 ");
    expect(String(await publisher.receive())).toBe(subscribe("10001 "));
    await publisher.send("10002 not for them");
    await publisher.send("10001 second");
    // The late subscriber missed "first" (it was not there yet) and never sees other zip codes.
    expect(String(await late.receive())).toBe("10001 second");
    expect(String(await early.receive())).toBe("10001 second");

    for (const socket of [early, late, publisher]) socket.close();
    expect(await forwarder.stop()).toEqual({ updates: 2, subscriptions: 2, dropped: 0 });
  });

  it("drops what a downstream peer sends that is not a subscription, with a W: line", async () => {
    const log = watchLog();
    const publisher = await handPublisher();
    const forwarder = startRole(runForwarder, {
      ...forwarderDefaults,
      publishers: [publisher.lastEndpoint!],
      subscribers: [EPHEMERAL],
    });
    const [, subscribersEndpoint] = await forwarder.ready;
    const rogue = new XSubscriber({ linger: 0 }); // an XSUB may send anything upstream
    rogue.connect(subscribersEndpoint!);

    const dropped = log.waitFor(
      /\[forwarder\] W: not a subscription from a subscriber: first byte/,
    );
    await rogue.send("garbage");
    expect((await dropped).line).toMatch(/"garbage"; dropped/);
    await rogue.send(subscribe("10001 "));
    expect(String(await publisher.receive())).toBe(subscribe("10001 ")); // still forwarding

    rogue.close();
    publisher.close();
    expect(await forwarder.stop()).toEqual({ updates: 0, subscriptions: 1, dropped: 1 });
  });

  it("loses a publisher to an update over the limit, connects again, subscribes again, and forwards its next update", async () => {
    const log = watchLog();
    const publisher = await handPublisher();
    const connectedTwice = handshakes(publisher, 2); // the forwarder's first connection, then a new one
    const forwarder = startRole(runForwarder, {
      ...forwarderDefaults,
      publishers: [publisher.lastEndpoint!],
      subscribers: [EPHEMERAL],
    });
    const [, subscribersEndpoint] = await forwarder.ready;
    const downstream = subscriber(subscribersEndpoint!, "10001 ");
    expect(String(await publisher.receive())).toBe(subscribe("10001 "));

    // An update for the topic subscribed to (an XPUB sends no other), one byte over the limit.
    await publisher.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1, "10001 ")); // libzmq drops the connection
    await connectedTwice; // without our reconnect, never: the forwarder would be deaf to it for good
    // The new connection subscribes again (the XSUB keeps its subscriptions). The XPUB may hear
    // the dropped one's go first ("\x00" + topic), or not at all if the new one came first.
    for (;;) if (String(await publisher.receive()) === subscribe("10001 ")) break;
    await publisher.send("10001 after");
    expect(String(await downstream.receive())).toBe("10001 after");
    expect(log.text()).toMatch(
      /\[forwarder\] W: libzmq dropped the connection to tcp:\/\/\S+ \(a frame over 4194304 bytes, or another protocol error\) and will not reconnect it: connecting again/,
    );

    for (const socket of [downstream, publisher]) socket.close();
    expect(await forwarder.stop()).toEqual({ updates: 1, subscriptions: 1, dropped: 0 });
  });

  it("carries weather updates from the publisher role to subscriber roles, each its own zip code", async () => {
    const publisher = startRole(runPublisher, {
      ...publisherDefaults,
      bind: [EPHEMERAL],
      intervalMs: 1,
      zipCount: 3,
    });
    const [publisherEndpoint] = await publisher.ready;
    const forwarder = startRole(runForwarder, {
      ...forwarderDefaults,
      publishers: [publisherEndpoint!],
      subscribers: [EPHEMERAL],
    });
    const [, subscribersEndpoint] = await forwarder.ready;
    const [first, second] = await Promise.all(
      ["10001 ", "10002 "].map((filter) =>
        runSubscriber({
          ...subscriberDefaults,
          connect: [subscribersEndpoint!],
          filter,
          updates: 3,
        }),
      ),
    );
    expect(first!.map((update) => update.slice(0, 6))).toEqual(Array(3).fill("10001 "));
    expect(second!.map((update) => update.slice(0, 6))).toEqual(Array(3).fill("10002 "));
    for (const update of [...first!, ...second!]) expect(update).toMatch(/^\d{5} -?\d+ \d+$/);
    await forwarder.stop();
    await publisher.stop();
  });
});
