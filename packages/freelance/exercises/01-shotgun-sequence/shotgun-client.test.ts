import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, runRoleProcess, unusedEndpoint, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Router } from "zeromq";

const implementation = exerciseModule(import.meta.url, "shotgun-client.ts");
const { runShotgunClient, shotgunClientDefaults }: typeof import("./solution/shotgun-client.ts") =
  await import(implementation);
const script = new URL(implementation).pathname;

/** `promise`, or a failure naming what is missing if it has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, missing: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${missing}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

type Reply = (string | Buffer)[];
/**
 * A fake model-2 server: a ROUTER (so it sees each request and chooses when to answer) that
 * records, in one shared event list, when it read each request and when it answered.
 * `onRequest(sequence)` returns the replies to send now (each after the `delayMs`), as
 * [sequence, "OK"] and the like; the ROUTER adds the client's routing id and the "".
 */
async function fakeServer(
  name: string,
  events: string[],
  onRequest: (sequence: number) => { reply: Reply; delayMs?: number }[],
) {
  const socket = new Router({ linger: 0 });
  await socket.bind(EPHEMERAL);
  void (async () => {
    for await (const [client, , sequence] of socket) {
      const number = Number(sequence!.toString());
      events.push(`${name} got ${number}`);
      for (const { reply, delayMs = 0 } of onRequest(number)) {
        setTimeout(() => {
          if (socket.closed) return;
          events.push(`${name} sent ${reply.map(String).join(",")}`);
          void socket.send([client!, "", ...reply]);
        }, delayMs);
      }
    }
  })();
  return socket;
}

describe(`exercise 01, the shotgun takes only the current request's reply: ${exerciseSubject()}`, () => {
  const sockets: { close(): void }[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) socket.close();
  });
  const options = (connect: string[], more: Partial<typeof shotgunClientDefaults> = {}) => ({
    ...shotgunClientDefaults,
    connect,
    timeoutMs: 2000,
    ...more,
  });

  it("answers every request from one honest server", async () => {
    const events: string[] = [];
    const server = await fakeServer("a", events, (n) => [{ reply: [String(n), "OK"] }]);
    sockets.push(server);
    const result = await within(
      runShotgunClient(options([server.lastEndpoint!], { requests: 5 })),
      10_000,
      "the client did not finish 5 requests",
    );
    expect(result).toEqual({ answered: 5, discarded: 0, failed: false });
  });

  for (const requests of [4, 7]) {
    it(`never takes a late reply as the answer to a later request (${requests} requests, a slow server and a fast one)`, async () => {
      const events: string[] = [];
      // The slow server answers request n only when request n+1 reaches it: a late reply that
      // arrives while the client waits for n+1. The fast one answers each request 100 ms later.
      const slow = await fakeServer("slow", events, (n) =>
        n > 1 ? [{ reply: [String(n - 1), "OK"] }] : [],
      );
      const fast = await fakeServer("fast", events, (n) => [
        { reply: [String(n), "OK"], delayMs: 100 },
      ]);
      sockets.push(slow, fast);
      const result = await within(
        runShotgunClient(options([slow.lastEndpoint!, fast.lastEndpoint!], { requests })),
        20_000,
        "the client did not finish",
      );
      expect(result.answered).toBe(requests);
      expect(result.failed).toBe(false);
      // Each late reply the client read was counted; it read them while it waited.
      expect(result.discarded).toBeGreaterThanOrEqual(requests - 2);
      // The client moved on to request n+1 only after the fast server had answered n: the only
      // reply carrying n it could take. (Taking the slow one's "n-1" would move on earlier.)
      for (let n = 1; n < requests; n++) {
        const answered = events.indexOf(`fast sent ${n},OK`);
        const next = events.indexOf(`fast got ${n + 1}`);
        expect(answered, `fast sent ${n}`).toBeGreaterThanOrEqual(0);
        expect(next, `request ${n + 1} sent before any reply carrying ${n}`).toBeGreaterThan(
          answered,
        );
      }
    });
  }

  it("ignores malformed replies with a W: line, and still takes the good one", async () => {
    const log = watchLog();
    const events: string[] = [];
    const server = await fakeServer("a", events, (n) => [
      { reply: [String(n)] }, // no "OK"
      { reply: ["x", "OK"] }, // not a number
      { reply: [String(n), "NOT OK"] },
      { reply: [String(n), "OK", "extra"] },
      { reply: [String(n), "OK"], delayMs: 100 },
    ]);
    sockets.push(server);
    const result = await within(
      runShotgunClient(options([server.lastEndpoint!], { requests: 2 })),
      10_000,
      "the client did not finish 2 requests",
    );
    expect(result).toEqual({ answered: 2, discarded: 0, failed: false });
    expect(log.text().match(/\[client\] W: invalid reply, ignored:/g)).toHaveLength(8);
  });

  it("waits for a server that answers within the deadline, but gives up on one that only sends other requests' replies", async () => {
    const errors = vi.spyOn(console, "error");
    const events: string[] = [];
    const slowButOk = await fakeServer("ok", events, (n) => [
      { reply: [String(n), "OK"], delayMs: 400 },
    ]);
    const liar = await fakeServer("liar", events, (n) => [
      { reply: [String(n + 100), "OK"] },
      { reply: [String(n + 100), "OK"], delayMs: 300 },
    ]);
    sockets.push(slowButOk, liar);
    const waited = await within(
      runShotgunClient(options([slowButOk.lastEndpoint!], { requests: 2, timeoutMs: 1500 })),
      10_000,
      "the client did not finish",
    );
    expect(waited).toEqual({ answered: 2, discarded: 0, failed: false });
    const lied = await within(
      runShotgunClient(options([liar.lastEndpoint!], { requests: 3, timeoutMs: 800 })),
      10_000,
      "the client never gave up (no deadline?)",
    );
    expect(lied).toEqual({ answered: 0, discarded: 2, failed: true });
    expect(errors.mock.calls.flat()).toContain(
      "[client] E: no reply to request 1 in 800 ms: name service not available",
    );
    expect(events.filter((event) => event.startsWith("liar got"))).toEqual(["liar got 1"]);
  });

  it("as a process with no server, gives up after its deadline and exits 1", async () => {
    const client = runRoleProcess(script, [
      ...["--connect", unusedEndpoint(), "--timeout-ms", "500", "--requests", "3"],
    ]);
    const result = await within(client.exited, 20_000, "the client never gave up");
    expect(result.stderr).toContain(
      "[client] E: no reply to request 1 in 500 ms: name service not available",
    );
    expect(result.code).toBe(1);
  });
});
