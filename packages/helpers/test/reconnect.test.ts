import { afterEach, describe, expect, it, vi } from "vitest";
import { Publisher, Pull, Push, type Socket, Subscriber, XPublisher } from "zeromq";
import { closeAndDrain } from "../src/lifecycle.ts";
import { roleLog } from "../src/log.ts";
import { reconnectWhenDropped } from "../src/reconnect.ts";
import { EPHEMERAL, freeEndpoint, handshakes, unusedEndpoint, watchLog } from "../src/testing.ts";

const LIMIT = 1000;
const DROPPED =
  /\[tasks\] W: libzmq dropped the connection to (\S+) \(a frame over 1000 bytes, or another protocol error\) and will not reconnect it: connecting again/;

async function receiveAll(socket: Pull, count: number): Promise<string[]> {
  const received: string[] = [];
  while (received.length < count) received.push(String((await socket.receive())[0]));
  return received;
}

/** Sockets to close after each test, passed or failed (a leftover one would log into the next). */
const opened: Socket[] = [];
function open<S extends Socket>(socket: S): S {
  opened.push(socket);
  return socket;
}

describe("reconnectWhenDropped", () => {
  afterEach(() => {
    for (const socket of opened.splice(0)) if (!socket.closed) socket.close();
    vi.restoreAllMocks();
  });

  it("connects a PULL again after libzmq drops it for a frame over maxMessageSize, keeping what it had received", async () => {
    const log = watchLog();
    const sender = open(new Push({ linger: 0 }));
    await sender.bind(EPHEMERAL);
    const connectedTwice = handshakes(sender, 2);
    const receiver = open(new Pull({ linger: 0, maxMessageSize: LIMIT }));
    reconnectWhenDropped(receiver, roleLog("tasks"));
    receiver.connect(sender.lastEndpoint!);

    await sender.send("before 1");
    await sender.send("before 2"); // nobody reads these until the end
    await sender.send(Buffer.alloc(LIMIT + 1));
    await connectedTwice;
    await sender.send("after");
    expect((await receiveAll(receiver, 3)).sort()).toEqual(["after", "before 1", "before 2"]);
    expect((await log.waitFor(DROPPED)).match[1]).toBe(sender.lastEndpoint);
  });

  it("connects a SUB again (disconnect first: a second connect would be ignored)", async () => {
    const log = watchLog();
    const publisher = open(new XPublisher({ linger: 0 }));
    await publisher.bind(EPHEMERAL);
    const subscriber = open(new Subscriber({ linger: 0, maxMessageSize: LIMIT }));
    subscriber.subscribe();
    reconnectWhenDropped(subscriber, roleLog("tasks"));
    subscriber.connect(publisher.lastEndpoint!);

    expect((await publisher.receive())[0]?.[0]).toBe(1); // subscribed
    await publisher.send(Buffer.alloc(LIMIT + 1));
    expect((await publisher.receive())[0]?.[0]).toBe(0); // the dropped connection's subscription goes
    expect((await publisher.receive())[0]?.[0]).toBe(1); // and a new connection's comes
    await publisher.send("after");
    expect(String((await subscriber.receive())[0])).toBe("after");
    await log.waitFor(DROPPED);
  });

  /**
   * A PUSH at `endpoint` that `connect` connects the receiver to, and that then leaves
   * ("disconnect", then libzmq's "connect:retry"); a new PUSH binds there. Returns the new one
   * once libzmq has reconnected the receiver to it by itself.
   */
  async function peerLeavesAndReturns(endpoint: string, connect: () => void): Promise<Push> {
    const first = open(new Push({ linger: 0 }));
    await first.bind(endpoint);
    const connected = handshakes(first, 1);
    connect();
    await connected;
    await closeAndDrain(first);
    const second = open(new Push({ linger: 0 }));
    const reconnected = handshakes(second, 1);
    await second.bind(endpoint);
    await reconnected;
    return second;
  }

  it("leaves a connection whose peer left to libzmq, which reconnects it itself", async () => {
    const log = watchLog();
    const endpoint = await freeEndpoint(); // bound again, after the first sender is gone
    const receiver = open(new Pull({ linger: 0, maxMessageSize: LIMIT }));
    reconnectWhenDropped(receiver, roleLog("tasks"));
    // By name: this connection's events say tcp://localhost:<port>; libzmq's reconnection's
    // say tcp://127.0.0.1:<port> (measured), so the W: line below tells which one was dropped.
    const sender = await peerLeavesAndReturns(endpoint, () =>
      receiver.connect(endpoint.replace("127.0.0.1", "localhost")),
    );
    const connected = handshakes(sender, 1);
    await sender.send(Buffer.alloc(LIMIT + 1)); // a drop for good, as a marker
    // Had the peer's leaving been taken for a drop too, its W: line (tcp://localhost:...) would
    // come first: it was due one reconnectInterval after an earlier disconnect.
    expect((await log.waitFor(DROPPED)).match[1]).toBe(endpoint);
    await connected;
    await sender.send("after");
    expect(await receiveAll(receiver, 1)).toEqual(["after"]);
    expect(log.lines.filter((line) => DROPPED.test(line))).toHaveLength(1);
  });

  it("takes a peer leaving for what it is even when the event loop stalls past reconnectInterval", async () => {
    const log = watchLog();
    const endpoint = await freeEndpoint();
    const receiver = open(new Pull({ linger: 0, maxMessageSize: LIMIT, reconnectInterval: 100 }));
    reconnectWhenDropped(receiver, roleLog("tasks"));
    // The fault: right after the "disconnect", the loop is busy for three reconnectIntervals
    // (a long GC, a loaded machine), so the check's timer is due before "connect:retry" is read.
    receiver.events.on("disconnect", () => {
      for (const until = Date.now() + 300; Date.now() < until; );
    });
    const sender = await peerLeavesAndReturns(
      endpoint,
      () => receiver.connect(endpoint.replace("127.0.0.1", "localhost")), // named as in the test above
    );
    await sender.send(Buffer.alloc(LIMIT + 1)); // a drop for good, as a marker
    expect((await log.waitFor(DROPPED)).match[1]).toBe(endpoint); // the marker's, not the leaving's
    expect(log.lines.filter((line) => DROPPED.test(line))).toHaveLength(1);
  });

  it("still connects again while libzmq retries another endpoint of the socket where nobody listens", async () => {
    const log = watchLog();
    const sender = open(new Push({ linger: 0 }));
    await sender.bind(EPHEMERAL);
    const connectedTwice = handshakes(sender, 2);
    const receiver = open(new Pull({ linger: 0, maxMessageSize: LIMIT }));
    reconnectWhenDropped(receiver, roleLog("tasks"));
    const dropped = new Promise((resolve) => receiver.events.on("disconnect", resolve));
    receiver.connect(sender.lastEndpoint!);

    await sender.send(Buffer.alloc(LIMIT + 1));
    await dropped;
    // Its first attempt fails at once: "close", then a "connect:retry" that is not about a drop.
    receiver.connect(unusedEndpoint());
    await connectedTwice;
    await sender.send("after");
    expect(await receiveAll(receiver, 1)).toEqual(["after"]);
    expect((await log.waitFor(DROPPED)).match[1]).toBe(sender.lastEndpoint);
  });

  it("leaves alone a connection whose handshake failed: a peer of the wrong type would fail again", async () => {
    const log = watchLog();
    const wrongPeer = open(new Publisher({ linger: 0 })); // a PULL cannot talk to a PUB
    await wrongPeer.bind(EPHEMERAL);
    const sender = open(new Push({ linger: 0 }));
    await sender.bind(EPHEMERAL);
    const connectedTwice = handshakes(sender, 2);
    const receiver = open(new Pull({ linger: 0, maxMessageSize: LIMIT }));
    reconnectWhenDropped(receiver, roleLog("tasks"));
    const refused = new Promise((resolve) => receiver.events.on("disconnect", resolve));
    receiver.connect(wrongPeer.lastEndpoint!);
    await refused; // "connect", then "disconnect" with no handshake, and no "connect:retry"
    receiver.connect(sender.lastEndpoint!);

    await sender.send(Buffer.alloc(LIMIT + 1));
    await connectedTwice;
    // A W: line for the wrong peer would have come first: its disconnect came first.
    expect((await log.waitFor(DROPPED)).match[1]).toBe(sender.lastEndpoint);
  });
});
