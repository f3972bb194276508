import { ask, EPHEMERAL, plainRequest, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request, Router } from "zeromq";
import { clientDefaults, runClient } from "./client.ts";
import { lbbrokerDefaults, runLbBroker } from "./lbbroker.ts";
import { lbworkerDefaults, runLbWorker } from "./lbworker.ts";
import { MAX_MESSAGE_BYTES, READY } from "./protocol.ts";

const ephemeralBroker = { ...lbbrokerDefaults, frontend: [EPHEMERAL], backend: [EPHEMERAL] };

interface Job {
  client: Buffer;
  request: string;
}

/**
 * A worker the test drives by hand: a DEALER with a routing id that speaks like the Guide's REQ
 * worker (["", READY], then ["", client, "", reply] for each ["", client, "", request]). It
 * records every request that reaches it, so a test can see where the broker sent work.
 */
function handWorker(id: string, backend: string, options: { autoAnswer?: boolean } = {}) {
  const socket = new Dealer({ linger: 0, routingId: id });
  socket.connect(backend);
  const received: Job[] = [];
  let notify = () => {};
  void (async () => {
    for await (const [, client, , request] of socket) {
      const job = { client: client!, request: String(request) };
      received.push(job);
      notify();
      if (options.autoAnswer) await socket.send(["", job.client, "", `${id}:${job.request}`]);
    }
  })();
  return {
    received,
    /** Resolves once `count` requests have reached this worker. */
    async arrived(count: number): Promise<void> {
      while (received.length < count) {
        await new Promise<void>((resolve) => {
          notify = resolve;
        });
      }
    },
    answer: (job: Job, reply: string) => socket.send(["", job.client, "", reply]),
    send: (frames: (string | Buffer)[]) => socket.send(frames),
    close: () => socket.close(),
  };
}

describe("load-balancing broker", () => {
  afterEach(() => vi.restoreAllMocks());

  it("sends no work to a busy worker: the next request waits until a worker is idle", async () => {
    const log = watchLog();
    const broker = startRole(runLbBroker, ephemeralBroker);
    const [frontend, backend] = await broker.ready;
    const clients = [1, 2, 3].map(() => plainRequest(frontend!));

    const a = handWorker("A", backend!);
    let ready = log.waitFor(/worker "A" ready/);
    await a.send(["", READY]);
    await ready;
    const replyOne = ask(clients[0]!, "one");
    await a.arrived(1); // A holds "one" until the test releases it

    const b = handWorker("B", backend!);
    ready = log.waitFor(/worker "B" ready/);
    await b.send(["", READY]);
    await ready;
    const replyTwo = ask(clients[1]!, "two");
    await Promise.race([b.arrived(1), a.arrived(2)]); // fails fast if "two" went to busy A
    expect(a.received.map((job) => job.request)).toEqual(["one"]);
    expect(b.received.map((job) => job.request)).toEqual(["two"]);

    // Both busy: the broker takes "three" and must keep it rather than burden A or B.
    const waiting = log.waitFor(/all workers busy: the request from 0x[0-9a-f]+ waits/);
    const replyThree = ask(clients[2]!, "three");
    await Promise.race([waiting, a.arrived(2), b.arrived(2)]);
    expect(a.received).toHaveLength(1);
    expect(b.received).toHaveLength(1);

    // A finishes: its reply goes to its client, and A, idle again, gets "three".
    await a.answer(a.received[0]!, "A did one");
    expect(await replyOne).toBe("A did one");
    await a.arrived(2);
    expect(a.received[1]!.request).toBe("three");
    await b.answer(b.received[0]!, "B did two");
    await a.answer(a.received[1]!, "A did three");
    expect([await replyTwo, await replyThree]).toEqual(["B did two", "A did three"]);
    expect(b.received).toHaveLength(1);

    for (const socket of clients) socket.close();
    a.close();
    b.close();
    expect(await broker.stop()).toEqual({ requests: 3, replies: 3, dropped: 0 });
  });

  it("lets a fast worker serve the queue while a slow one holds its request", async () => {
    const log = watchLog();
    const broker = startRole(runLbBroker, ephemeralBroker);
    const [frontend, backend] = await broker.ready;
    const slow = handWorker("slow", backend!);
    let ready = log.waitFor(/worker "slow" ready/);
    await slow.send(["", READY]);
    await ready;
    const patient = plainRequest(frontend!);
    const slowReply = ask(patient, "a long job");
    await slow.arrived(1);

    ready = log.waitFor(/worker "fast" ready/);
    const fast = startRole(runLbWorker, {
      ...lbworkerDefaults,
      connect: [backend!],
      routingId: "fast",
      echo: true,
    });
    await ready;
    const busy = plainRequest(frontend!);
    const replies: string[] = [];
    const sentToSlow = slow.arrived(2).then(() => "sent to the slow worker");
    for (let i = 1; i <= 5; i++)
      replies.push(await Promise.race([ask(busy, `quick ${i}`), sentToSlow]));
    expect(replies).toEqual(["quick 1", "quick 2", "quick 3", "quick 4", "quick 5"]);
    expect(slow.received).toHaveLength(1); // nothing queued behind the slow worker

    await slow.answer(slow.received[0]!, "done at last");
    expect(await slowReply).toBe("done at last");
    for (const socket of [patient, busy]) socket.close();
    slow.close();
    expect(await fast.stop()).toBe(5);
    await broker.stop();
  });

  it("gives each request to the worker that has been idle longest", async () => {
    const log = watchLog();
    const broker = startRole(runLbBroker, ephemeralBroker);
    const [frontend, backend] = await broker.ready;
    const workers = [];
    for (const id of ["A", "B", "C"]) {
      const worker = handWorker(id, backend!, { autoAnswer: true });
      const ready = log.waitFor(new RegExp(`worker "${id}" ready`));
      await worker.send(["", READY]);
      await ready;
      workers.push(worker);
    }
    const client = plainRequest(frontend!);
    const replies: string[] = [];
    for (let i = 1; i <= 6; i++) replies.push(await ask(client, String(i)));
    // Each worker, once it answered, goes to the back of the queue.
    expect(replies).toEqual(["A:1", "B:2", "C:3", "A:4", "B:5", "C:6"]);
    client.close();
    for (const worker of workers) worker.close();
    await broker.stop();
  });

  it("gives every client exactly its own replies through real lbworkers", async () => {
    const broker = startRole(runLbBroker, ephemeralBroker);
    const [frontend, backend] = await broker.ready;
    const workers = [1, 2, 3].map((i) =>
      startRole(runLbWorker, {
        ...lbworkerDefaults,
        connect: [backend!],
        echo: true,
        name: `w${i}`,
      }),
    );
    const names = ["ann", "bob", "cat", "dan"];
    const replies = await Promise.all(
      names.map((name) =>
        runClient({ ...clientDefaults, connect: [frontend!], requests: 5, request: name, name }),
      ),
    );
    expect(replies).toEqual(names.map((name) => Array(5).fill(name)));
    const served = await Promise.all(workers.map((worker) => worker.stop()));
    expect(served.reduce((sum, count) => sum + count, 0)).toBe(20);
    expect(await broker.stop()).toEqual({ requests: 20, replies: 20, dropped: 0 });
  });

  describe("drops a malformed message with a W: line and keeps serving", () => {
    const fromClient: [string, (string | Buffer)[]][] = [
      ["no empty delimiter", ["Hello"]],
      ["a body of two frames", ["", "Hello", "again"]],
      ["binary garbage", [Buffer.from([0x00, 0xff, 0x7f])]],
    ];
    for (const [what, frames] of fromClient) {
      it(`from a DEALER client: ${what}`, async () => {
        const log = watchLog();
        const broker = startRole(runLbBroker, ephemeralBroker);
        const [frontend, backend] = await broker.ready;
        const worker = startRole(runLbWorker, { ...lbworkerDefaults, connect: [backend!] });
        const dealer = new Dealer({ linger: 0 });
        dealer.connect(frontend!);
        const dropped = log.waitFor(
          /\[lbbroker\] W: request from 0x[0-9a-f]+: expected \["", request\]/,
        );
        await dealer.send(frames);
        await dropped;
        await dealer.send(["", "Hello"]);
        expect((await dealer.receive()).map(String)).toEqual(["", "OK"]);
        dealer.close();
        expect(await worker.stop()).toBe(1);
        expect(await broker.stop()).toEqual({ requests: 1, replies: 1, dropped: 1 });
      });
    }

    const fromWorker: [string, (string | Buffer)[], RegExp][] = [
      ["garbage", [Buffer.from([0xff, 0xfe])], /from worker "X": no empty delimiter and body/],
      [
        "a reply for an unknown client",
        ["", "nobody", "", "OK"],
        /unknown or stuck client "nobody"/,
      ],
      ["a reply without its client's delimiter", ["", "nobody", "OK"], /neither READY nor/],
      ["READY twice", ["", READY], /READY from worker "X", which is already idle/],
    ];
    for (const [what, frames, warning] of fromWorker) {
      it(`from a worker: ${what}`, async () => {
        const log = watchLog();
        const broker = startRole(runLbBroker, ephemeralBroker);
        const [frontend, backend] = await broker.ready;
        const worker = handWorker("X", backend!, { autoAnswer: true });
        const ready = log.waitFor(/worker "X" ready/);
        await worker.send(["", READY]);
        await ready;
        const dropped = log.waitFor(/\[lbbroker\] W: /);
        await worker.send(frames);
        expect((await dropped).line).toMatch(warning);
        // The same worker still gets the next request, and only once.
        const client = plainRequest(frontend!);
        expect(await ask(client, "Hello")).toBe("X:Hello");
        expect(worker.received.map((job) => job.request)).toEqual(["Hello"]);
        client.close();
        worker.close();
        expect(await broker.stop()).toEqual({ requests: 1, replies: 1, dropped: 1 });
      });
    }
  });

  it("disconnects a client that sends more than the hard message limit, and serves the rest", async () => {
    const broker = startRole(runLbBroker, ephemeralBroker);
    const [frontend, backend] = await broker.ready;
    const worker = startRole(runLbWorker, { ...lbworkerDefaults, connect: [backend!] });
    const flooder = new Request({ linger: 0 });
    const disconnected = new Promise<void>((resolve) =>
      flooder.events.on("disconnect", () => resolve()),
    );
    flooder.connect(frontend!);
    await flooder.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1));
    await disconnected;
    flooder.close();
    const client = plainRequest(frontend!);
    expect(await ask(client, "HELLO")).toBe("OK");
    client.close();
    await worker.stop();
    expect(await broker.stop()).toEqual({ requests: 1, replies: 1, dropped: 0 });
  });
});

describe("load-balancing worker", () => {
  afterEach(() => vi.restoreAllMocks());

  it("says READY first, answers with the client's address, and says READY again after garbage", async () => {
    const broker = new Router({ linger: 0 });
    await broker.bind(EPHEMERAL);
    const worker = startRole(runLbWorker, {
      ...lbworkerDefaults,
      connect: [broker.lastEndpoint!],
      routingId: "W",
    });
    expect((await broker.receive()).map(String)).toEqual(["W", "", READY]);
    await broker.send(["W", "", "no envelope here"]);
    expect((await broker.receive()).map(String)).toEqual(["W", "", READY]);
    await broker.send(["W", "", "client-7", "", "HELLO"]);
    expect((await broker.receive()).map(String)).toEqual(["W", "", "client-7", "", "OK"]);
    broker.close();
    expect(await worker.stop()).toBe(1);
  });
});
