import { describe, expect, it } from "vitest";
import { Dealer, Pair, Reply, Router } from "zeromq";
import { Poller } from "../src/poller.ts";
import { EPHEMERAL } from "../src/testing.ts";

/** A bound PAIR and a connected one, linger 0. */
async function pair(): Promise<[Pair, Pair]> {
  const bound = new Pair({ linger: 0 });
  await bound.bind(EPHEMERAL);
  const connected = new Pair({ linger: 0 });
  connected.connect(bound.lastEndpoint!);
  return [bound, connected];
}

describe("Poller", () => {
  it("hands out each socket's messages as they come, saying which socket", async () => {
    const [a, toA] = await pair();
    const [b, toB] = await pair();
    const poller = new Poller({ a, b });
    await toB.send("for b");
    expect(await poller.next()).toEqual({
      kind: "message",
      from: "b",
      frames: [Buffer.from("for b")],
    });
    await toA.send("for a");
    expect(await poller.next()).toEqual({
      kind: "message",
      from: "a",
      frames: [Buffer.from("for a")],
    });
    for (const socket of [a, toA, b, toB]) socket.close();
  });

  it("times out when nothing comes, and a message sent later is still delivered", async () => {
    const [a, toA] = await pair();
    const poller = new Poller({ a });
    expect(await poller.next({ timeoutMs: 20 })).toEqual({ kind: "timeout" });
    await toA.send("late");
    expect(await poller.next({ timeoutMs: 60_000 })).toMatchObject({ kind: "message", from: "a" });
    a.close();
    toA.close();
  });

  it("polls only the sockets named, keeping the others' messages in order for later", async () => {
    const [a, toA] = await pair();
    const [b, toB] = await pair();
    const poller = new Poller({ a, b });
    expect(await poller.next({ timeoutMs: 10 })).toEqual({ kind: "timeout" }); // both now pending
    for (const text of ["a1", "a2", "a3"]) await toA.send(text);
    await toB.send("b1");
    // While only b is polled, a's messages wait (at most one taken early), none lost.
    expect(await poller.next({ from: ["b"] })).toMatchObject({
      from: "b",
      frames: [Buffer.from("b1")],
    });
    const fromA: string[] = [];
    for (let i = 0; i < 3; i++) {
      const event = await poller.next({ from: ["a"] });
      if (event.kind === "message") fromA.push(event.frames.toString());
    }
    expect(fromA).toEqual(["a1", "a2", "a3"]);
    for (const socket of [a, toA, b, toB]) socket.close();
  });

  it("reports closed when a polled socket is closed while waiting", async () => {
    const [a, toA] = await pair();
    const poller = new Poller({ a });
    const waiting = poller.next();
    a.close();
    expect(await waiting).toEqual({ kind: "closed", from: "a" });
    expect(await poller.next()).toEqual({ kind: "closed", from: "a" });
    toA.close();
  });

  it("keeps polling after a REP drops a message without a delimiter", async () => {
    const server = new Reply({ linger: 0 });
    await server.bind(EPHEMERAL);
    const poller = new Poller({ server });
    const careless = new Dealer({ linger: 0 });
    careless.connect(server.lastEndpoint!);
    const waiting = poller.next();
    await careless.send("no delimiter");
    await careless.send(["", "good"]);
    expect(await waiting).toEqual({
      kind: "message",
      from: "server",
      frames: [Buffer.from("good")],
    });
    careless.close();
    server.close();
  });

  it("multipart messages arrive whole (a ROUTER's routing id first)", async () => {
    const router = new Router({ linger: 0 });
    await router.bind(EPHEMERAL);
    const dealer = new Dealer({ linger: 0, routingId: "D1" });
    dealer.connect(router.lastEndpoint!);
    await dealer.send(["", "x", "y"]);
    const event = await new Poller({ router }).next();
    expect(event.kind === "message" && event.frames.map(String)).toEqual(["D1", "", "x", "y"]);
    dealer.close();
    router.close();
  });
});

describe("Poller after an event-loop stall (a busy machine, or a SIGSTOP and SIGCONT)", () => {
  /** Blocks Node's event loop, as a stalled or stopped process is blocked. */
  const stall = (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {}
  };

  it("a message that arrived during the stall is delivered, not reported as a time-out", async () => {
    const [a, toA] = await pair();
    const poller = new Poller({ a });
    const waiting = poller.next({ timeoutMs: 50 });
    await toA.send("arrived while stalled");
    stall(300); // the time-out is long overdue when the loop runs again
    expect(await waiting).toMatchObject({
      kind: "message",
      frames: [Buffer.from("arrived while stalled")],
    });
    a.close();
    toA.close();
  });

  it("keeps receiving after many stalls and time-outs: a pending receive is never left stuck", async () => {
    const [a, toA] = await pair();
    const poller = new Poller({ a });
    for (let round = 0; round < 20; round++) {
      const waiting = poller.next({ timeoutMs: 5 });
      if (round % 2 === 0) await toA.send(`round ${round}`);
      stall(20);
      const event = await waiting;
      if (round % 2 === 0 && event.kind === "timeout") {
        // delivered a moment later: it must not be lost
        expect(await poller.next({ timeoutMs: 60_000 })).toMatchObject({ kind: "message" });
      }
    }
    await toA.send("last");
    expect(await poller.next({ timeoutMs: 60_000 })).toMatchObject({
      kind: "message",
      frames: [Buffer.from("last")],
    });
    a.close();
    toA.close();
  });
});
