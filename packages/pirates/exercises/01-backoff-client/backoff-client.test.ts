import { fileURLToPath } from "node:url";
import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import {
  EPHEMERAL,
  type RunningRole,
  runRoleProcess,
  startRole,
  unusedEndpoint,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Router } from "zeromq";

const implementation = exerciseModule(import.meta.url, "backoff-client.ts");
const { backoffClientDefaults, runBackoffClient }: typeof import("./solution/backoff-client.ts") =
  await import(implementation);
type Options = Partial<typeof backoffClientDefaults>;

/** `promise`, or a failure naming what is missing if it has not settled within `ms`. */
async function within<T>(
  promise: Promise<T>,
  ms: number,
  missing: string | (() => string),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const what = typeof missing === "string" ? missing : missing();
      reject(new Error(`not within ${ms} ms: ${what}`));
    }, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

interface Arrival {
  /** The routing id the ROUTER gave the connection the copy came on, in hex. */
  peer: string;
  request: string;
  /** performance.now() when the server read it. */
  at: number;
}

/**
 * A ROUTER server that sees what a REQ client cannot hide: on which connection each copy of a
 * request arrives, and when. `answer(request, copy)` says what to reply to the copy-th copy of
 * a request (undefined: stay silent, as a dead or overloaded server does).
 */
async function recordingServer(answer: (request: string, copy: number) => string[] | undefined) {
  const socket = new Router({ linger: 0 });
  const connections = { accepted: 0, closed: 0 };
  let changed = () => {};
  socket.events.on("accept", () => {
    connections.accepted += 1;
    changed();
  });
  socket.events.on("disconnect", () => {
    connections.closed += 1;
    changed();
  });
  await socket.bind(EPHEMERAL);
  const arrivals: Arrival[] = [];
  let arrived = () => {};
  void (async () => {
    for await (const [peer, , ...body] of socket) {
      const request = body.map(String).join(",");
      const copy = arrivals.filter((arrival) => arrival.request === request).length + 1;
      arrivals.push({ peer: peer!.toString("hex"), request, at: performance.now() });
      arrived();
      const reply = answer(request, copy);
      if (reply) await socket.send([peer!, "", ...reply]);
    }
  })();
  return {
    endpoint: socket.lastEndpoint!,
    socket,
    arrivals,
    copiesOf: (request: string) => arrivals.filter((arrival) => arrival.request === request),
    /** Resolves once `count` copies have arrived (bounded: a client may never send them). */
    waitForCopies: (count: number, ms = 20_000) =>
      within(
        new Promise<void>((resolve) => {
          arrived = () => arrivals.length >= count && resolve();
          arrived();
        }),
        ms,
        () => `the server got ${arrivals.length} request(s), expected ${count}`,
      ),
    /**
     * Resolves once every connection a client made here is closed again (at least one per peer
     * a copy came from). A socket left open, not closed before the next one, never gets there.
     */
    allClosed: (ms = 10_000) =>
      within(
        new Promise<void>((resolve) => {
          changed = () =>
            connections.accepted >= distinct(arrivals) &&
            connections.closed === connections.accepted &&
            resolve();
          changed();
        }),
        ms,
        () =>
          "every socket the client opened should be closed when it returns; the server still has " +
          `${connections.accepted - connections.closed} of its ${connections.accepted} connections open`,
      ),
  };
}

/** Time between one copy's arrival and the next's, as the server measured it. */
const gapsOf = (copies: Arrival[]) => copies.slice(1).map((copy, at) => copy.at - copies[at]!.at);
const distinct = (copies: Arrival[]) => new Set(copies.map((copy) => copy.peer)).size;
/** Each gap at least its wait: a wait can only last longer than asked, never shorter. */
function expectAtLeast(gaps: number[], waits: number[]) {
  for (const [at, wait] of waits.entries())
    expect(gaps[at], `gap before copy ${at + 2} (after a ${wait} ms wait)`).toBeGreaterThanOrEqual(
      wait,
    );
}

describe(`exercise 01, Lazy Pirate with back-off (${exerciseSubject()})`, () => {
  // Servers and clients a test started, stopped even when it fails.
  const sockets: Router[] = [];
  const clients: RunningRole<unknown>[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const client of clients.splice(0)) void client.stop(); // not awaited: it may hang
    for (const socket of sockets.splice(0)) socket.close();
  });
  const serve = async (answer: Parameters<typeof recordingServer>[0]) => {
    const server = await recordingServer(answer);
    sockets.push(server.socket);
    return server;
  };
  /** Runs the client to its end (bounded: a client that hangs is stopped and fails the test). */
  const runClient = async (
    endpoint: string,
    options: Options,
    expectedWaits: number[],
    ms = 30_000,
  ) => {
    const client = startRole(runBackoffClient, {
      ...backoffClientDefaults,
      connect: [endpoint],
      bind: [],
      ...options,
    });
    clients.push(client);
    const result = await within(client.done, ms, "runBackoffClient did not return");
    expect(result.waits, "result.waits: each back-off wait in ms, in order").toEqual(expectedWaits);
    return result;
  };
  const echo = (request: string) => [request];
  const silent = () => undefined;

  it("waits before each resend, the wait doubling from backoffMs up to backoffMaxMs, each try on a new connection", async () => {
    const log = watchLog();
    const server = await serve(silent);
    const waits = [90, 180, 360, 700, 700, 700];
    const options = { requests: 1, timeoutMs: 100, retries: 6, backoffMs: 90, backoffMaxMs: 700 };
    const result = await runClient(server.endpoint, options, waits);
    expect(result).toEqual({ replies: [], gaveUp: true, waits });
    const said = log.lines.flatMap(
      (line) => line.match(/^\[client\] waiting (\d+) ms before resending 1$/)?.[1] ?? [],
    );
    expect(said.map(Number), "the client's 'waiting <ms> ms before resending <n>' lines").toEqual(
      waits,
    );

    const copies = server.copiesOf("1");
    expect(copies).toHaveLength(7); // the first try and 6 retries
    expect(distinct(copies)).toBe(7); // a new REQ socket, so a new connection, for every copy
    // What the server saw must agree with what the client says it did. A wait can only last
    // longer than asked, never shorter: each gap holds the time-out, the wait and a reconnect.
    const gaps = gapsOf(copies);
    expectAtLeast(gaps, waits);
    // The waits grow: the fourth gap (700 ms wait) is well over the first (90 ms)...
    expect(gaps[3]! - gaps[0]!).toBeGreaterThan((700 - 90) / 2);
    // ...and stop growing at the cap: two waits after the fourth, an uncapped doubling would be
    // at 2800 ms, 2100 ms more than the fourth; capped, the two gaps are alike.
    expect(gaps[5]! - gaps[3]!).toBeLessThan(700);
    await server.allClosed();
  });

  it("starts the wait from backoffMs again after a success", async () => {
    // Request 1 is answered on its fifth copy, request 2 on its second, request 3 at once.
    const answeredOn: Record<string, number> = { "1": 5, "2": 2, "3": 1 };
    const server = await serve((request, copy) =>
      copy >= answeredOn[request]! ? echo(request) : undefined,
    );
    const options = {
      requests: 3,
      timeoutMs: 1000, // requests 2 and 3 are answered at once: long enough for a busy machine to see it
      retries: 4,
      backoffMs: 70,
      backoffMaxMs: 10_000,
    };
    const result = await runClient(server.endpoint, options, [70, 140, 280, 560, 70]);
    expect(result).toEqual({
      replies: ["1", "2", "3"],
      gaveUp: false,
      waits: [70, 140, 280, 560, 70],
    });

    const first = gapsOf(server.copiesOf("1"));
    const second = gapsOf(server.copiesOf("2"));
    expect(first).toHaveLength(4);
    expect(second).toHaveLength(1);
    expect(distinct(server.copiesOf("1"))).toBe(5);
    expectAtLeast(first, [70, 140, 280, 560]);
    expectAtLeast(second, [70]);
    // Reset, not carried on: request 2's wait (70 ms) is well under request 1's last (560 ms),
    // where a client that kept doubling would wait 1120 ms.
    expect(first[3]! - second[0]!).toBeGreaterThan((560 - 70) / 2);
    expect(server.copiesOf("3")).toHaveLength(1);
    await server.allClosed();
  });

  it("refuses a reply that is not the request it sent, backs off and asks again on a new connection", async () => {
    const errors = vi.spyOn(console, "error");
    const lies: Record<string, string[]> = { "1": ["999"], "2": ["2", "extra"] };
    const server = await serve((request, copy) =>
      copy === 1 && lies[request] ? lies[request] : echo(request),
    );
    const options = {
      requests: 3,
      timeoutMs: 5000, // the wrong replies come at once; only a client that ignores them waits
      retries: 2,
      backoffMs: 30,
      backoffMaxMs: 1000,
    };
    const result = await runClient(server.endpoint, options, [30, 30]);
    expect(result).toEqual({ replies: ["1", "2", "3"], gaveUp: false, waits: [30, 30] });
    expect(errors.mock.calls.flat()).toContain('[client] E: malformed reply from server: "999"');
    for (const request of ["1", "2"]) expect(distinct(server.copiesOf(request))).toBe(2);
    expect(server.copiesOf("3")).toHaveLength(1);
    await server.allClosed();
  });

  for (const retries of [0, 3]) {
    it(`gives up after exactly ${retries} retries, says so with an E: line, and sends nothing more`, async () => {
      const errors = vi.spyOn(console, "error");
      const server = await serve(silent);
      const options = { requests: 2, timeoutMs: 80, retries, backoffMs: 40, backoffMaxMs: 100 };
      const waits = [40, 80, 100].slice(0, retries);
      const result = await runClient(server.endpoint, options, waits);
      expect(result).toEqual({ replies: [], gaveUp: true, waits });
      expect(errors.mock.calls.flat()).toContain(
        "[client] E: server seems to be offline, abandoning request 1",
      );
      await server.allClosed();
      expect(server.copiesOf("1")).toHaveLength(retries + 1);
      expect(server.arrivals).toHaveLength(retries + 1); // request 2 is never sent
    });
  }

  it("a stop during a back-off wait ends the wait at once and leaves no socket open", async () => {
    const log = watchLog();
    const server = await serve(silent);
    const client = startRole(runBackoffClient, {
      ...backoffClientDefaults,
      connect: [server.endpoint],
      bind: [],
      requests: 1,
      timeoutMs: 100,
      backoffMs: 60_000, // a wait that does not listen to the stop signal is still waiting
      backoffMaxMs: 60_000,
    });
    clients.push(client);
    await server.waitForCopies(1);
    await log.waitFor(/^\[client\] waiting 60000 ms before resending 1$/, { timeoutMs: 10_000 });
    const result = await within(
      client.stop(),
      10_000,
      "runBackoffClient should return at once when options.signal aborts during a back-off wait",
    );
    expect(result.replies).toEqual([]);
    expect(result.gaveUp).toBe(false);
    await server.allClosed();
    expect(server.arrivals).toHaveLength(1); // stopped: no resend
  });

  it("as a process: gives up, exits 1 by itself (no socket left open) with the E: line", async () => {
    const client = runRoleProcess(fileURLToPath(implementation), [
      ...["--connect", unusedEndpoint(), "--requests", "2", "--timeout-ms", "100"],
      ...["--retries", "2", "--backoff-ms", "50", "--backoff-max-ms", "60"],
    ]);
    const result = await within(
      client.exited,
      30_000,
      "the client process should exit by itself after giving up (a socket left open keeps it running)",
    );
    expect(result.stderr).toContain("[client] E: server seems to be offline, abandoning request 1");
    expect(result.code).toBe(1);
  });

  it("as a process: a Ctrl-C (SIGINT) during a back-off wait stops it at once with exit code 0", async () => {
    const client = runRoleProcess(fileURLToPath(implementation), [
      ...["--connect", unusedEndpoint(), "--timeout-ms", "100"],
      ...["--backoff-ms", "60000", "--backoff-max-ms", "60000"],
    ]);
    await within(
      client.waitForLine(/\[client\] waiting 60000 ms before resending 1$/m),
      30_000,
      'no line "[client] waiting 60000 ms before resending 1"',
    );
    client.signal("SIGINT");
    const result = await within(client.exited, 30_000, "the client process did not exit");
    expect(result.stdout).toContain("[client] SIGINT received, closing sockets");
    expect(result.stderr).not.toContain("forcing exit"); // stopOnSignals' verdict on a role that hung on
    expect(result.code).toBe(0);
  });
});
