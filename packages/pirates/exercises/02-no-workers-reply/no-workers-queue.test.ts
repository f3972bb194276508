import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, type RunningRole, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request } from "zeromq";
import { paranoidWorkerDefaults, runParanoidWorker } from "#src/paranoid-worker.ts";
import { HEARTBEAT, READY } from "#src/protocol.ts";

const {
  noWorkersQueueDefaults,
  runNoWorkersQueue,
}: typeof import("./solution/no-workers-queue.ts") = await import(
  exerciseModule(import.meta.url, "no-workers-queue.ts")
);
type QueueOptions = Partial<typeof noWorkersQueueDefaults>;

/** The reply the task asks for, spelled out here: the test does not take the student's constant. */
const NO_WORKERS = "E: no workers";

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

describe(`exercise 02, a queue that says "${NO_WORKERS}" (${exerciseSubject()})`, () => {
  // Everything a test started, stopped even when it fails (an open socket keeps the run alive).
  const sockets: { close(): void; closed: boolean }[] = [];
  const roles: RunningRole<unknown>[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) if (!socket.closed) socket.close();
    await Promise.all(roles.splice(0).map((role) => role.stop().catch(() => {})));
  });

  const startQueue = async (options: QueueOptions) => {
    const queue = startRole(runNoWorkersQueue, {
      ...noWorkersQueueDefaults,
      frontend: [EPHEMERAL],
      backend: [EPHEMERAL],
      ...options,
    });
    roles.push(queue);
    const [frontend, backend] = await within(queue.ready, 10_000, "the queue did not bind");
    return { queue, frontend: frontend!, backend: backend! };
  };
  /** A real Paranoid Pirate worker from the lesson, echoing each request after workMs. */
  const startWorker = (backend: string, heartbeatMs: number, workMs = 0) => {
    const worker = startRole(runParanoidWorker, {
      ...paranoidWorkerDefaults,
      connect: [backend],
      heartbeatMs,
      workMs,
      name: "worker",
    });
    roles.push(worker);
    return worker;
  };
  /** A client that keeps many requests in flight: a DEALER speaking to the REQ-facing frontend. */
  const manyRequestsClient = (frontend: string) => {
    const socket = new Dealer({ linger: 0 });
    sockets.push(socket);
    socket.connect(frontend);
    return {
      send: (body: string) => socket.send(["", body]),
      /** The next reply's body, its frames joined by "," (bounded: a queue may never answer). */
      next: async (missing: string) => {
        const [delimiter, ...body] = await within(socket.receive(), 15_000, missing);
        expect(delimiter, "a reply starts with the empty delimiter").toHaveLength(0);
        return body.map(String).join(",");
      },
    };
  };
  /** A REQ client, as the Lazy Pirate client uses: one request, one reply. */
  const requestClient = (frontend: string) => {
    const socket = new Request({ linger: 0 });
    sockets.push(socket);
    socket.connect(frontend);
    return {
      send: (body: string) => socket.send(body),
      /** The reply, its frames joined by "," (bounded: a queue may never answer). */
      reply: async (missing: string) =>
        (await within(socket.receive(), 15_000, missing)).map(String).join(","),
    };
  };
  const noReplyYet = `no reply: a request with no live worker should get "${NO_WORKERS}" once it has waited noWorkerMs`;

  it(`answers "${NO_WORKERS}" to a request that waited noWorkerMs with no worker, and not before`, async () => {
    // Two queues, one patient, one not: each answers after its own noWorkerMs, never sooner.
    // Their heartbeats are rarer than either deadline: a queue must wake up for the deadline.
    const quick = await startQueue({ noWorkerMs: 200, heartbeatMs: 3000, name: "quick" });
    const slow = await startQueue({ noWorkerMs: 1600, heartbeatMs: 3000, name: "slow" });
    const ask = async (frontend: string) => {
      const socket = requestClient(frontend);
      const sentAt = Date.now();
      await socket.send("anyone?");
      const reply = await socket.reply(noReplyYet);
      return { reply, waited: Date.now() - sentAt };
    };
    const slowFirst = ask(slow.frontend);
    const fromQuick = await ask(quick.frontend);
    // A second request to the slow queue, sent while its first waits: it has its own deadline,
    // later than the first one's (a queue that refuses everything waiting at once fails here).
    const slowLater = ask(slow.frontend);
    const [fromSlow, fromSlowLater] = await Promise.all([slowFirst, slowLater]);
    expect([fromQuick.reply, fromSlow.reply, fromSlowLater.reply]).toEqual([
      NO_WORKERS,
      NO_WORKERS,
      NO_WORKERS,
    ]);
    // Not before the deadline: the queue read each request after it was sent, then waited.
    expect(fromQuick.waited).toBeGreaterThanOrEqual(200);
    expect(fromSlow.waited).toBeGreaterThanOrEqual(1600);
    expect(fromSlowLater.waited).toBeGreaterThanOrEqual(1600);
    // Each its own deadline, not one fixed delay: the quick one answers well before the slow one.
    expect(fromSlow.waited - fromQuick.waited).toBeGreaterThan((1600 - 200) / 2);
    expect(await quick.queue.stop()).toMatchObject({ refused: 1, requests: 0 });
    expect(await slow.queue.stop()).toMatchObject({ refused: 2, requests: 0 });
  });

  it("a worker that comes before the deadline serves the waiting requests, in order", async () => {
    const { queue, frontend, backend } = await startQueue({ noWorkerMs: 30_000, heartbeatMs: 300 });
    const client = manyRequestsClient(frontend);
    for (const body of ["a", "b", "c"]) await client.send(body);
    startWorker(backend, 300); // comes late, but well before the deadline
    const replies = [];
    for (let n = 0; n < 3; n++) replies.push(await client.next("no reply from the worker"));
    expect(replies).toEqual(["a", "b", "c"]);
    expect(await queue.stop()).toMatchObject({ requests: 3, replies: 3, refused: 0 });
  });

  it("a live worker serves every request in order, even ones that wait longer than noWorkerMs behind it", async () => {
    const log = watchLog();
    // noWorkerMs is shorter than one request's work: a queue that refuses requests for want of
    // an *idle* worker, rather than a *live* one, refuses most of these.
    const { queue, frontend, backend } = await startQueue({ noWorkerMs: 40, heartbeatMs: 300 });
    startWorker(backend, 300, 120);
    await log.waitFor(/^\[queue\] worker .* ready/, { timeoutMs: 10_000 });
    const client = manyRequestsClient(frontend);
    const bodies = ["r1", "r2", "r3", "r4", "r5", "r6"];
    for (const body of bodies) await client.send(body);
    const replies = [];
    for (const _ of bodies) replies.push(await client.next("no reply from the busy worker"));
    expect(replies).toEqual(bodies);
    expect(await queue.stop()).toMatchObject({ requests: 6, replies: 6, refused: 0 });
  });

  it(`many requests with no worker each get exactly one "${NO_WORKERS}"; a worker that comes back gets the next ones; one that goes silent expires`, async () => {
    const log = watchLog();
    const { queue, frontend, backend } = await startQueue({ noWorkerMs: 250, heartbeatMs: 250 });
    const client = manyRequestsClient(frontend);
    const waiting = Array.from({ length: 8 }, (_, n) => `early-${n + 1}`);
    for (const body of waiting) await client.send(body);
    const refusals = [];
    for (const _ of waiting) refusals.push(await client.next(noReplyYet));
    expect(refusals).toEqual(waiting.map(() => NO_WORKERS));

    // A worker comes back: the next requests are served, and no stray answer to the early ones
    // (a second refusal, or an early request passed on after all) comes before their replies.
    const worker = startWorker(backend, 250);
    await log.waitFor(/^\[queue\] worker .* ready/, { timeoutMs: 10_000 });
    for (const body of ["n1", "n2", "n3"]) await client.send(body);
    const served = [];
    for (let n = 0; n < 3; n++) served.push(await client.next("no reply from the worker"));
    expect(served).toEqual(["n1", "n2", "n3"]);

    // The worker stops (its socket closes, no more heartbeats): the queue finds out through the
    // heartbeats, and forgets it. (A request sent before that would go to the dead worker and
    // be lost with it: that one is the Lazy Pirate client's to retry.)
    await worker.stop();
    await log.waitFor(/^\[queue\] W: worker .* silent for \d+ ms/, { timeoutMs: 10_000 });
    await client.send("late");
    expect(await client.next(noReplyYet)).toBe(NO_WORKERS);
    expect(await queue.stop()).toMatchObject({ refused: 9, requests: 3, replies: 3, expired: 1 });
  });

  it("a hung worker (READY, then silence) keeps requests waiting while it beats, and counts as no worker once it expires", async () => {
    const { queue, frontend, backend } = await startQueue({
      noWorkerMs: 150, // shorter than the 600 ms a silent worker takes to expire
      heartbeatMs: 200,
      liveness: 3,
    });
    // The fake worker: says READY, takes one request and never answers it, answers the queue's
    // heartbeats `beats` times, then goes silent, as a hung process does.
    const fake = new Dealer({ linger: 0, routingId: "hung-1" });
    sockets.push(fake);
    fake.connect(backend);
    await fake.send(READY);
    const beats = 6;
    const seen = { beats: 0, requests: [] as string[] };
    let heartbeatSeen = () => {};
    let requestSeen = () => {};
    void (async () => {
      for await (const frames of fake) {
        if (frames.length === 1 && frames[0]!.equals(HEARTBEAT)) {
          heartbeatSeen();
          if (seen.beats < beats) {
            seen.beats += 1;
            await fake.send(HEARTBEAT);
          }
        } else {
          seen.requests.push(String(frames.at(-1)));
          requestSeen();
        }
      }
    })();
    // The queue heartbeats only workers it knows: the first heartbeat says READY was taken.
    await within(
      new Promise<void>((resolve) => {
        heartbeatSeen = resolve;
      }),
      10_000,
      "the queue never sent a heartbeat to a worker that said READY",
    );
    const holder = requestClient(frontend);
    await holder.send("x");
    await within(
      new Promise<void>((resolve) => {
        requestSeen = resolve;
      }),
      10_000,
      "the live, idle worker was never given the request",
    );
    expect(seen.requests).toEqual(["x"]);

    // The fake holds "x" and beats on: it is live (if busy), so "y" waits, past its noWorkerMs.
    const waiter = requestClient(frontend);
    await waiter.send("y");
    expect(await waiter.reply(noReplyYet)).toBe(NO_WORKERS);
    // It came only once the fake had stopped beating (and so expired), not while it was live.
    expect(seen.beats).toBe(beats);

    // Expired means forgotten: a new request is not given to it, and is refused in its turn.
    const third = requestClient(frontend);
    await third.send("z");
    expect(await third.reply(noReplyYet)).toBe(NO_WORKERS);
    expect(seen.requests).toEqual(["x"]);
    expect(await queue.stop()).toMatchObject({ expired: 1, refused: 2, requests: 1, replies: 0 });
  });
});
