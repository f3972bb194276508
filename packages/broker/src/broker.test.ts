import { ask, EPHEMERAL, plainRequest, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request } from "zeromq";
import { brokerDefaults, runBroker } from "./broker.ts";
import { clientDefaults, runClient } from "./client.ts";
import { MAX_MESSAGE_BYTES } from "./protocol.ts";
import { runWorker, workerDefaults } from "./worker.ts";

const ephemeralBroker = { ...brokerDefaults, frontend: [EPHEMERAL], backend: [EPHEMERAL] };

function startWorker(backend: string, options: Partial<typeof workerDefaults> = {}) {
  return startRole(runWorker, { ...workerDefaults, connect: [backend], workMs: 0, ...options });
}

describe("request-reply broker", () => {
  afterEach(() => vi.restoreAllMocks());

  it("gives every client exactly its own replies while five clients talk at once", async () => {
    const broker = startRole(runBroker, ephemeralBroker);
    const [frontend, backend] = await broker.ready;
    const workers = [1, 2].map((i) => startWorker(backend!, { echo: true, name: `worker-${i}` }));
    const names = ["ann", "bob", "cat", "dan", "eve"];
    const replies = await Promise.all(
      names.map((name) =>
        runClient({ ...clientDefaults, connect: [frontend!], requests: 6, request: name, name }),
      ),
    );
    // The workers echo: a reply that went to the wrong client would carry another name.
    expect(replies).toEqual(names.map((name) => Array(6).fill(name)));
    const served = await Promise.all(workers.map((worker) => worker.stop()));
    expect(served[0]! + served[1]!).toBe(30);
    expect(await broker.stop()).toEqual({ requests: 30, replies: 30, dropped: 0 });
  });

  it("hands the requests to its workers in turn", async () => {
    const broker = startRole(runBroker, ephemeralBroker);
    const [frontend, backend] = await broker.ready;
    const workers = [startWorker(backend!, { reply: "A" }), startWorker(backend!, { reply: "B" })];
    const client = plainRequest(frontend!);
    // Both workers have answered once: both are connected to the broker's DEALER.
    const answered = new Set<string>();
    while (answered.size < 2) answered.add(await ask(client, "Hello"));

    const replies: string[] = [];
    for (let i = 0; i < 6; i++) replies.push(await ask(client, "Hello"));
    expect(replies.join("")).toMatch(/^(AB){3}$|^(BA){3}$/);
    client.close();
    for (const worker of workers) await worker.stop();
    await broker.stop();
  });

  it("keeps a request that arrives before any worker, and delivers it when one connects", async () => {
    const broker = startRole(runBroker, ephemeralBroker);
    const [frontend, backend] = await broker.ready;
    const client = plainRequest(frontend!);
    const reply = ask(client, "early bird");
    const worker = startWorker(backend!, { echo: true });
    expect(await reply).toBe("early bird");
    client.close();
    expect(await worker.stop()).toBe(1);
    await broker.stop();
  });

  describe("drops a malformed message with a W: line and keeps serving", () => {
    const fromClient: [string, (string | Buffer)[], RegExp][] = [
      ["no empty delimiter", ["Hello"], /no empty delimiter frame among 1 frame\(s\); dropped/],
      ["nothing after the delimiter", [""], /nothing after the empty delimiter; dropped/],
      [
        "binary garbage",
        [Buffer.from([0xff, 0x00, 0x13]), Buffer.from([0xde, 0xad])],
        /no empty delimiter frame among 2 frame\(s\); dropped/,
      ],
    ];
    for (const [what, frames, warning] of fromClient) {
      it(`from a DEALER client: ${what}`, async () => {
        const log = watchLog();
        const broker = startRole(runBroker, ephemeralBroker);
        const [frontend, backend] = await broker.ready;
        const worker = startWorker(backend!);
        const dealer = new Dealer({ linger: 0 });
        dealer.connect(frontend!);

        const dropped = log.waitFor(/\[broker\] W: request from 0x[0-9a-f]+: /);
        await dealer.send(frames);
        expect((await dropped).line).toMatch(warning);
        // The same DEALER speaking the REQ envelope correctly is served as usual.
        await dealer.send(["", "Hello"]);
        expect((await dealer.receive()).map(String)).toEqual(["", "World"]);

        dealer.close();
        expect(await worker.stop()).toBe(1);
        expect(await broker.stop()).toEqual({ requests: 1, replies: 1, dropped: 1 });
      });
    }

    const fromWorker: [string, (string | Buffer)[], RegExp][] = [
      ["a reply for an unknown client", ["nobody", "", "World"], /unknown client "nobody"/],
      ["garbage", [Buffer.from([0xff, 0xfe])], /reply from a worker: no empty delimiter/],
      ["a reply with no body", ["somebody", ""], /reply from a worker: nothing after the/],
    ];
    for (const [what, frames, warning] of fromWorker) {
      it(`from a worker: ${what}`, async () => {
        const log = watchLog();
        const broker = startRole(runBroker, ephemeralBroker);
        const [frontend, backend] = await broker.ready;
        // A hand-made worker: a DEALER that misbehaves once, then serves properly.
        const worker = new Dealer({ linger: 0 });
        worker.connect(backend!);
        const dropped = log.waitFor(/\[broker\] W: /);
        await worker.send(frames);
        expect((await dropped).line).toMatch(warning);

        const client = plainRequest(frontend!);
        const reply = ask(client, "Hello");
        const [clientId, delimiter, request] = await worker.receive();
        expect([String(delimiter), String(request)]).toEqual(["", "Hello"]);
        await worker.send([clientId!, "", "World"]);
        expect(await reply).toBe("World");

        client.close();
        worker.close();
        expect(await broker.stop()).toEqual({ requests: 1, replies: 1, dropped: 1 });
      });
    }
  });

  it("disconnects a client that sends more than the hard message limit, and serves the rest", async () => {
    const broker = startRole(runBroker, ephemeralBroker);
    const [frontend, backend] = await broker.ready;
    const worker = startWorker(backend!);
    const flooder = new Request({ linger: 0 });
    const disconnected = new Promise<void>((resolve) =>
      flooder.events.on("disconnect", () => resolve()),
    );
    flooder.connect(frontend!);
    await flooder.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1));
    await disconnected; // libzmq dropped the connection; the broker's code never saw the message
    flooder.close();

    const client = plainRequest(frontend!);
    expect(await ask(client, "Hello")).toBe("World");
    client.close();
    await worker.stop();
    expect(await broker.stop()).toEqual({ requests: 1, replies: 1, dropped: 0 });
  });
});
