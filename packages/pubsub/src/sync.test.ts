import {
  EPHEMERAL,
  runRoleProcess,
  startRole,
  unusedEndpoint,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request, Subscriber, XPublisher, XSubscriber } from "zeromq";
import { END, MAX_INBOUND_BYTES, SUBSCRIBE } from "./protocol.ts";
import { runSyncPublisher, syncPublisherDefaults } from "./sync-publisher.ts";
import { NO_SYNC, runSyncSubscriber, syncSubscriberDefaults } from "./sync-subscriber.ts";

const quickPublisher = {
  ...syncPublisherDefaults,
  bind: [EPHEMERAL],
  syncBind: [EPHEMERAL],
  subscribers: 3,
  updates: 2000,
};

type Closable = Subscriber | XSubscriber | XPublisher | Request;

/** A subscriber as the Guide's syncsub opens it, minus its one-second sleep: SUB, then REQ. */
async function guideSubscriber(publishEndpoint: string, syncEndpoint: string) {
  const subscriber = new Subscriber({ linger: 0 });
  subscriber.subscribe();
  subscriber.connect(publishEndpoint);
  const syncClient = new Request({ linger: 0 });
  syncClient.connect(syncEndpoint);
  await syncClient.send("");
  const [reply] = await syncClient.receive();
  syncClient.close();
  return { subscriber, reply: String(reply) };
}

/** Everything a SUB receives up to and including "END". */
async function untilEnd(socket: Subscriber | XSubscriber): Promise<string[]> {
  const texts: string[] = [];
  for await (const [frame] of socket) {
    texts.push(String(frame));
    if (String(frame) === END) break;
  }
  return texts;
}

const numbers = (count: number, from = 1) =>
  Array.from({ length: count }, (_, index) => String(from + index));

describe("synchronised publisher and subscribers", () => {
  const sockets: Closable[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) socket.close();
  });

  it("with the check-in, every subscriber receives every update, then END", async () => {
    const publisher = startRole(runSyncPublisher, quickPublisher);
    const [publishEndpoint, syncEndpoint] = await publisher.ready;
    const subscriberOptions = {
      ...syncSubscriberDefaults,
      connect: [publishEndpoint!],
      sync: syncEndpoint!,
    };
    const tallies = await Promise.all(
      ["s1", "s2", "s3"].map((name) => runSyncSubscriber({ ...subscriberOptions, name })),
    );
    for (const tally of tallies) {
      expect(tally).toEqual({ received: 2000, first: 1, last: 2000, ended: true });
    }
    expect(await publisher.done).toEqual({ synchronised: 3, published: 2000 });
  });

  it("a Guide-style subscriber that checks in at once, without its sleep, still misses nothing", async () => {
    const publisher = startRole(runSyncPublisher, { ...quickPublisher, subscribers: 1 });
    const [publishEndpoint, syncEndpoint] = await publisher.ready;
    const { subscriber, reply } = await guideSubscriber(publishEndpoint!, syncEndpoint!);
    sockets.push(subscriber);
    expect(reply).toBe("");
    // The check-in may overtake the subscription; the publisher waits for both.
    expect(await untilEnd(subscriber)).toEqual([...numbers(2000), END]);
    expect(await publisher.done).toEqual({ synchronised: 1, published: 2000 });
  });

  it("waits for the subscription of a subscriber that checks in before it even subscribes", async () => {
    const publisher = startRole(runSyncPublisher, { ...quickPublisher, subscribers: 1 });
    const [publishEndpoint, syncEndpoint] = await publisher.ready;
    const syncClient = new Request({ linger: 0 });
    sockets.push(syncClient);
    syncClient.connect(syncEndpoint!);
    await syncClient.send("");
    expect(String(await syncClient.receive())).toBe(""); // checked in, not yet subscribed
    const subscriber = new Subscriber({ linger: 0 });
    sockets.push(subscriber);
    subscriber.subscribe();
    subscriber.connect(publishEndpoint!);
    expect(await untilEnd(subscriber)).toEqual([...numbers(2000), END]);
    expect(await publisher.done).toEqual({ synchronised: 1, published: 2000 });
  });

  it("answers a bad check-in with an error, does not count it, and waits for real subscribers", async () => {
    const log = watchLog();
    const publisher = startRole(runSyncPublisher, { ...quickPublisher, subscribers: 2 });
    const [publishEndpoint, syncEndpoint] = await publisher.ready;

    const stranger = new Request({ linger: 0 });
    sockets.push(stranger);
    stranger.connect(syncEndpoint!);
    const checkIn = async (...frames: (string | Buffer)[]) => {
      await stranger.send(frames);
      return String(await stranger.receive());
    };
    expect(await checkIn("hello", "")).toBe("error: expected 1 frame, got 2");
    expect(await checkIn("garbage")).toBe('error: expected an empty frame, got "garbage"');
    expect(await checkIn(Buffer.from([0xff, 0x00]))).toBe(
      "error: expected an empty frame, got 0xff00",
    );
    // Bigger than MAX_INBOUND_BYTES: libzmq drops the connection before our code sees it.
    const flooder = new Request({ linger: 0 });
    sockets.push(flooder);
    const dropped = new Promise<void>((resolve) =>
      flooder.events.on("disconnect", () => resolve()),
    );
    flooder.connect(syncEndpoint!);
    await flooder.send(Buffer.alloc(MAX_INBOUND_BYTES + 1));
    await dropped;
    // A DEALER that leaves out the empty delimiter: libzmq drops it; the publisher logs it.
    const careless = new Dealer({ linger: 0 });
    sockets.push(careless);
    careless.connect(syncEndpoint!);
    await careless.send("");
    await log.waitFor(/W: dropped a check-in without the empty delimiter/);

    const subscriberOptions = {
      ...syncSubscriberDefaults,
      connect: [publishEndpoint!],
      sync: syncEndpoint!,
    };
    const tallies = await Promise.all([
      runSyncSubscriber({ ...subscriberOptions, name: "s1" }),
      runSyncSubscriber({ ...subscriberOptions, name: "s2" }),
    ]);
    for (const tally of tallies) {
      expect(tally).toEqual({ received: 2000, first: 1, last: 2000, ended: true });
    }
    expect(await publisher.done).toEqual({ synchronised: 2, published: 2000 });
    const output = log.text();
    expect(output.match(/\[sync-publisher\] W: bad check-in: /g)).toHaveLength(3);
    expect(output).toContain("[sync-publisher] subscriber 1 of 2 checked in");
    expect(output).toContain("[sync-publisher] subscriber 2 of 2 checked in");
    expect(output).not.toContain("3 of 2");
  });

  it("ignores messages on the publishing socket that are not subscriptions", async () => {
    const log = vi.spyOn(console, "log");
    const publisher = startRole(runSyncPublisher, { ...quickPublisher, subscribers: 1 });
    const [publishEndpoint, syncEndpoint] = await publisher.ready;
    // An XSUB may send anything upstream; on one connection, messages arrive in order.
    const rogue = new XSubscriber({ linger: 0 });
    sockets.push(rogue);
    rogue.connect(publishEndpoint!);
    await rogue.send("not a subscription");
    await rogue.send(["two", "frames"]);
    await rogue.send(Buffer.from([SUBSCRIBE])); // at last: subscribe to everything
    const syncClient = new Request({ linger: 0 });
    sockets.push(syncClient);
    syncClient.connect(syncEndpoint!);
    await syncClient.send("");
    expect(String(await syncClient.receive())).toBe("");

    expect(await untilEnd(rogue)).toEqual([...numbers(2000), END]);
    expect(await publisher.done).toEqual({ synchronised: 1, published: 2000 });
    const output = log.mock.calls.flat().join("\n");
    expect(output).toContain(
      '[sync-publisher] W: not a subscription, ignored: "not a subscription"',
    );
    expect(output).toContain('[sync-publisher] W: not a subscription, ignored: "two" "frames"');
    expect(output).toContain('[sync-publisher] subscription to "" (1)');
  });

  it("a subscriber that connects late misses only what was sent before it subscribed", async () => {
    // The test publishes by hand on an XPUB, so it knows the moment the subscription arrived.
    const handPublisher = new XPublisher({ linger: 0 });
    sockets.push(handPublisher);
    await handPublisher.bind(EPHEMERAL);
    for (const update of numbers(5)) await handPublisher.send(update); // nobody listens yet

    const late = startRole(runSyncSubscriber, {
      ...syncSubscriberDefaults,
      connect: [handPublisher.lastEndpoint!],
      sync: NO_SYNC,
    });
    const [subscription] = await handPublisher.receive();
    expect(subscription).toEqual(Buffer.from([SUBSCRIBE]));
    for (const update of numbers(5, 6)) await handPublisher.send(update);
    await handPublisher.send(END);

    expect(await late.done).toEqual({ received: 5, first: 6, last: 10, ended: true });
  });

  it("without the check-in, a subscriber that joins after update 1 never sees it, and misses nothing after its first", async () => {
    // One checked-in subscriber (the test's) starts the publisher; the second joins later.
    const publisher = startRole(runSyncPublisher, {
      ...quickPublisher,
      subscribers: 1,
      updates: 300,
      intervalMs: 2,
    });
    const [publishEndpoint, syncEndpoint] = await publisher.ready;
    const { subscriber: onTime } = await guideSubscriber(publishEndpoint!, syncEndpoint!);
    sockets.push(onTime);
    const [first] = await onTime.receive();
    expect(String(first)).toBe("1"); // update 1 is out

    const late = startRole(runSyncSubscriber, {
      ...syncSubscriberDefaults,
      connect: [publishEndpoint!],
      sync: NO_SYNC,
      name: "late-subscriber",
    });
    expect(await untilEnd(onTime)).toEqual([...numbers(299, 2), END]);
    await publisher.done;
    // Whenever it joined, the late subscriber saw an unbroken run of updates after #1.
    const tally = await late.stop();
    expect(tally.first ?? Number.POSITIVE_INFINITY).toBeGreaterThan(1);
    if (tally.first !== undefined) expect(tally.last! - tally.first + 1).toBe(tally.received);
  });

  it("refuses a count that is not one, with a usage error", async () => {
    const result = await runRoleProcess("src/sync-publisher.ts", [
      ...["--bind", EPHEMERAL, "--sync-bind", EPHEMERAL, "--subscribers", "2.5"],
    ]).exited;
    expect(result.stderr).toContain(
      "[sync-publisher] E: --subscribers must be a whole number, 0 or more; got 2.5",
    );
    expect(result.code).toBe(2);
  });

  it("a Ctrl-C while the last updates still drain is logged, and the publisher exits 0", async () => {
    // The subscriber checks in and then reads nothing, so the updates pile up in the publisher
    // (ipc: the kernel buffers far less than for tcp) and the drain outlasts the test.
    const [publishEndpoint, syncEndpoint] = [unusedEndpoint(), unusedEndpoint()];
    const publisher = runRoleProcess("src/sync-publisher.ts", [
      ...["--bind", publishEndpoint, "--sync-bind", syncEndpoint, "--subscribers", "1"],
      ...["--updates", "100000", "--drain-ms", "600000"],
    ]);
    const { subscriber } = await guideSubscriber(publishEndpoint, syncEndpoint);
    sockets.push(subscriber);
    await publisher.waitForLine(/published 100000 updates and "END"/);
    publisher.signal("SIGINT");
    const result = await publisher.exited;
    expect(result.stdout).toContain(
      "[sync-publisher] W: SIGINT received while the last messages were leaving: stopped draining, the rest is dropped",
    );
    expect(result.code).toBe(0); // it used to die of the signal, silently (exit 130 in a shell)
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`the publisher exits 0 on ${signal} while waiting for check-ins`, async () => {
      const publisher = runRoleProcess("src/sync-publisher.ts", [
        ...["--bind", EPHEMERAL, "--sync-bind", EPHEMERAL],
      ]);
      await publisher.waitForLine(/waiting for 10 subscribers to check in/);
      publisher.signal(signal);
      const result = await publisher.exited;
      expect(result.stdout).toContain(`[sync-publisher] ${signal} received, closing sockets`);
      expect(result.stdout).toContain("[sync-publisher] stopped after publishing 0 updates");
      expect(result.code).toBe(0);
    });

    it(`the subscriber exits 0 on ${signal} while checking in with nobody`, async () => {
      const subscriber = runRoleProcess("src/sync-subscriber.ts", [
        ...["--bind", EPHEMERAL, "--sync", "tcp://127.0.0.1:9"],
      ]);
      await subscriber.waitForLine(/checking in at/);
      subscriber.signal(signal);
      const result = await subscriber.exited;
      expect(result.stdout).toContain('[sync-subscriber] received 0 updates, no "END" (stopped)');
      expect(result.code).toBe(0);
    });
  }
});
