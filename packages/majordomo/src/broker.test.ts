import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request, Router } from "zeromq";
import { asyncClientDefaults, runAsyncClient } from "./async-client.ts";
import { brokerDefaults, runBroker } from "./broker.ts";
import { MajordomoClient } from "./client-api.ts";
import { mmiDefaults, runMmi } from "./mmi.ts";
import {
  DISCONNECT,
  HEARTBEAT,
  MAX_FRAME_BYTES,
  MDPC01,
  MDPW01,
  READY,
  REPLY,
  REQUEST,
} from "./protocol.ts";
import { MajordomoWorker } from "./worker-api.ts";

const quickBroker = { ...brokerDefaults, bind: [EPHEMERAL], heartbeatMs: 500 };
const quick = { heartbeatMs: 500, reconnectMs: 100 };
const text = (frames: Buffer[] | null | undefined) => frames?.map(String) ?? null;

describe("the Majordomo broker", () => {
  const closing: { close(): void }[] = [];
  const serving: Promise<void>[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const thing of closing.splice(0)) thing.close();
    await Promise.all(serving.splice(0));
  });
  /** A worker in process whose reply names its service and itself: [service, name, body...]. */
  const startWorker = (broker: string, service: string, name: string) => {
    const worker = new MajordomoWorker({ broker, service, name, ...quick });
    closing.push(worker);
    serving.push(worker.serve((body) => [service, name, ...body]));
    return worker;
  };
  const newClient = (broker: string, timeoutMs = 5000) => {
    const client = new MajordomoClient({ broker, timeoutMs, retries: 3 });
    closing.push(client);
    return client;
  };

  it("routes every request to a worker of the service it names, and every reply to the client that asked", async () => {
    const log = watchLog();
    const broker = startRole(runBroker, quickBroker);
    const [endpoint] = await broker.ready;
    const services = ["echo", "upper", "time"];
    const workers = services.flatMap((service) =>
      [1, 2].map((i) => startWorker(endpoint!, service, `${service}-${i}`)),
    );
    for (const worker of workers)
      await log.waitFor(new RegExp(`\\[broker\\] worker "${worker.name}-\\w+" ready`));

    // Six clients at once, two per service, ten requests each.
    const asking = Array.from({ length: 6 }, async (_, c) => {
      const client = newClient(endpoint!);
      const service = services[c % services.length]!;
      const replies: string[][] = [];
      for (let n = 1; n <= 10; n++) {
        const reply = text(await client.request(service, `client-${c}`, String(n)));
        expect(reply?.[0]).toBe(service); // from a worker of that service...
        expect(reply?.slice(2)).toEqual([`client-${c}`, String(n)]); // ...answering this request
        replies.push(reply!);
      }
      return replies;
    });
    const all = (await Promise.all(asking)).flat();
    expect(all).toHaveLength(60);
    for (const worker of workers) expect(worker.stats.replies).toBeGreaterThan(0); // each took some
    expect(workers.reduce((sum, worker) => sum + worker.stats.replies, 0)).toBe(60);
    expect(await broker.stop()).toMatchObject({ requests: 60, replies: 60, rejected: 0 });
  });

  it("the async client keeps many requests in flight over two workers; each is answered once", async () => {
    const log = watchLog();
    const broker = startRole(runBroker, quickBroker);
    const [endpoint] = await broker.ready;
    for (const name of ["w1", "w2"]) {
      const worker = new MajordomoWorker({ broker: endpoint!, service: "echo", name, ...quick });
      closing.push(worker);
      serving.push(worker.serve((body) => body));
    }
    await log.waitFor(/ready for "echo" \(2 for it\)/);
    const result = await runAsyncClient({
      ...asyncClientDefaults,
      connect: [endpoint!],
      requests: 300,
      window: 50,
      timeoutMs: 5000,
      quiet: true,
    });
    expect(result).toEqual({ answered: 300, duplicates: 0, gaveUp: false });
    await broker.stop();
  });

  it("queues requests for a service until a worker for it is ready; MMI answers 200, 404 and 501", async () => {
    const log = watchLog();
    const broker = startRole(runBroker, quickBroker);
    const [endpoint] = await broker.ready;
    const mmi = (service: string, query = "mmi.service") =>
      runMmi({ ...mmiDefaults, connect: [endpoint!], service, query });
    expect(await mmi("late")).toBe("404");

    const early = newClient(endpoint!, 20_000).request("late", "waited"); // no worker yet
    await log.waitFor(/service "late" created/);
    const worker = startWorker(endpoint!, "late", "late-1");
    expect(text(await early)).toEqual(["late", "late-1", "waited"]);
    expect(await mmi("late")).toBe("200");
    expect(await mmi("echo")).toBe("404");
    expect(await mmi("late", "mmi.nothing")).toBe("501");
    // The MMI reply itself is an MDP reply naming the mmi service.
    const raw = new Request({ linger: 0 });
    closing.push(raw);
    raw.connect(endpoint!);
    await raw.send([MDPC01, "mmi.service", "late"]);
    expect(text(await raw.receive())).toEqual([MDPC01, "mmi.service", "200"]);

    worker.close(); // gone without a word: expired by heartbeat, then 404
    await log.waitFor(/worker "late-1-\w+" forgotten: silent for 1500 ms/);
    expect(await mmi("late")).toBe("404");
    await broker.stop();
  });

  describe("bad input: the protocol's answer (DISCONNECT) or a W: line, and others go on", () => {
    const fromWorker: [string, (string | Buffer)[], RegExp][] = [
      ["an unknown command byte", [Buffer.from([0x09])], /unknown 0x09 command from "bad"/],
      ["a missing command", [], /unknown \(missing\) command from "bad"/],
      [
        "REPLY before READY",
        [REPLY, "client", "", "x"],
        /REPLY from "bad", which never said READY/,
      ],
      ["HEARTBEAT before READY", [HEARTBEAT], /HEARTBEAT from "bad", which never said READY/],
      ["READY without a service", [READY], /READY from "bad" without exactly one service name/],
      ["READY for an mmi.* name", [READY, "mmi.service"], /"mmi.service", a name reserved/],
      ["REQUEST, a broker's command", [REQUEST, "c", "", "x"], /REQUEST command from "bad"/],
    ];
    for (const [what, command, expected] of fromWorker) {
      it(`from a worker: ${what} gets DISCONNECT`, async () => {
        const log = watchLog();
        const broker = startRole(runBroker, quickBroker);
        const [endpoint] = await broker.ready;
        const bad = new Dealer({ linger: 0, routingId: "bad" });
        closing.push(bad);
        bad.connect(endpoint!);
        await bad.send(["", MDPW01, ...command]);
        expect(text(await bad.receive())).toEqual(["", MDPW01, DISCONNECT.toString()]);
        expect(log.text()).toMatch(expected);
        startWorker(endpoint!, "echo", "good");
        expect(text(await newClient(endpoint!).request("echo", "still"))).toEqual([
          "echo",
          "good",
          "still",
        ]);
        expect(await runMmi({ ...mmiDefaults, connect: [endpoint!], service: "mmi.service" })).toBe(
          "404",
        ); // no worker got registered under an mmi.* name
        await broker.stop();
      });
    }

    it("from a worker: READY twice, or a malformed REPLY, costs its registration (DISCONNECT)", async () => {
      const log = watchLog();
      const broker = startRole(runBroker, quickBroker);
      const [endpoint] = await broker.ready;
      const bad = new Dealer({ linger: 0, routingId: "twice" });
      closing.push(bad);
      bad.connect(endpoint!);
      await bad.send(["", MDPW01, READY, "echo"]);
      await log.waitFor(/worker "twice" ready for "echo"/);
      await bad.send(["", MDPW01, READY, "echo"]);
      expect(text(await bad.receive())).toEqual(["", MDPW01, DISCONNECT.toString()]);
      expect(log.text()).toMatch(/READY from "twice", which was ready already: DISCONNECT/);
      expect(await runMmi({ ...mmiDefaults, connect: [endpoint!], service: "echo" })).toBe("404");

      await bad.send(["", MDPW01, READY, "echo"]); // a new conversation, then a REPLY with no envelope
      await log.waitFor(/worker "twice" ready for "echo"/, { since: log.lines.length });
      await bad.send(["", MDPW01, REPLY, "no-delimiter"]);
      for (;;) {
        const frames = text(await bad.receive());
        if (frames?.[2] === HEARTBEAT.toString()) continue;
        expect(frames).toEqual(["", MDPW01, DISCONNECT.toString()]);
        break;
      }
      expect(log.text()).toMatch(/REPLY from "twice" without a client address and an empty frame/);
      await broker.stop();
    });

    it("from anyone: no delimiter, an unknown protocol header, no service name, a frame over the limit", async () => {
      const log = watchLog();
      const broker = startRole(runBroker, quickBroker);
      const [endpoint] = await broker.ready;
      const bad = new Dealer({ linger: 0, routingId: "rogue" });
      closing.push(bad);
      bad.connect(endpoint!);
      await bad.send([MDPC01, "echo", "no delimiter"]);
      await log.waitFor(/message from "rogue" without an empty frame and a header; dropped/);
      await bad.send(["", "MDPC02", "echo", "x"]);
      await log.waitFor(/message from "rogue" with header "MDPC02", neither MDPC01 nor MDPW01/);
      await bad.send(["", MDPC01]);
      await log.waitFor(/request from "rogue" without a service name; dropped/);
      await bad.send(["", MDPW01, READY, "echo", "extra"]);
      await log.waitFor(/READY from "rogue" without exactly one service name/);

      const flooder = new Dealer({ linger: 0 });
      closing.push(flooder);
      const cut = new Promise<void>((resolve) => flooder.events.on("disconnect", () => resolve()));
      flooder.connect(endpoint!);
      await flooder.send(["", MDPC01, "echo", Buffer.alloc(MAX_FRAME_BYTES + 1)]);
      await cut; // libzmq closed that connection; the broker's code never saw the frame
      await log.waitFor(/a connection closed/);

      startWorker(endpoint!, "echo", "good");
      expect(text(await newClient(endpoint!).request("echo", "fine"))).toEqual([
        "echo",
        "good",
        "fine",
      ]);
      expect(await broker.stop()).toMatchObject({ requests: 1, replies: 1, rejected: 4 });
    });

    it("a reply for a client that has left is dropped with a W: line", async () => {
      const log = watchLog();
      const broker = startRole(runBroker, quickBroker);
      const [endpoint] = await broker.ready;
      const worker = new Dealer({ linger: 0, routingId: "w" });
      closing.push(worker);
      worker.connect(endpoint!);
      await worker.send(["", MDPW01, READY, "echo"]);
      await log.waitFor(/worker "w" ready/);
      await worker.send(["", MDPW01, REPLY, "gone-client", "", "late"]);
      await log.waitFor(/reply from "w": the peer has gone or does not read; dropped/);
      expect(await runMmi({ ...mmiDefaults, connect: [endpoint!], service: "echo" })).toBe("200");
      await broker.stop();
    });
  });
});

describe("the worker API against a broker the test drives by hand", () => {
  const closing: { close(): void }[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const thing of closing.splice(0)) thing.close();
  });

  it("survives garbage, reconnects on DISCONNECT with a new socket and READY, and keeps serving", async () => {
    const log = watchLog();
    const broker = new Router({ linger: 0 });
    closing.push(broker);
    await broker.bind(EPHEMERAL);
    const worker = new MajordomoWorker({ broker: broker.lastEndpoint!, service: "echo", ...quick });
    closing.push(worker);
    const served = worker.serve((body) => body);
    const nextNonHeartbeat = async () => {
      for (;;) {
        const [id, ...frames] = await broker.receive();
        if (frames[2]?.equals(HEARTBEAT)) continue;
        return [id!, ...frames];
      }
    };
    const [first, , , ready, service] = await nextNonHeartbeat();
    expect([ready, service?.toString()]).toEqual([READY, "echo"]);
    await broker.send([first!, "garbage"]);
    await broker.send([first!, "", MDPW01, Buffer.from([0x07])]);
    await broker.send([first!, "", MDPW01, REQUEST, "no-delimiter"]);
    await log.waitFor(/REQUEST without a client address and an empty frame; ignored/);
    expect(log.text()).toContain("not an MDP/Worker message");
    expect(log.text()).toContain("unexpected unknown 0x07 from the broker");

    await broker.send([first!, "", MDPW01, DISCONNECT]);
    const [second, , , again, service2] = await nextNonHeartbeat();
    expect([again, service2?.toString()]).toEqual([READY, "echo"]);
    expect(second!.equals(first!)).toBe(false); // a new socket, a new routing id
    await broker.send([second!, "", MDPW01, REQUEST, "client-1", "", "ping"]);
    const [, , , command, client, empty, body] = await nextNonHeartbeat();
    expect(text([command!, client!, empty!, body!])).toEqual([
      REPLY.toString(),
      "client-1",
      "",
      "ping",
    ]);
    worker.close();
    await served;
    expect(worker.stats).toMatchObject({ requests: 1, replies: 1, reconnects: 1 });
  });

  it("gives a silent broker up after liveness x interval and says READY again on a new socket", async () => {
    const log = watchLog();
    const broker = new Router({ linger: 0 });
    closing.push(broker);
    await broker.bind(EPHEMERAL);
    const worker = new MajordomoWorker({ broker: broker.lastEndpoint!, service: "echo", ...quick });
    closing.push(worker);
    const served = worker.serve((body) => body);
    const identities = new Set<string>();
    while (identities.size < 2) {
      const [id, , , command] = await broker.receive(); // heard, never answered
      if (command?.equals(READY)) identities.add(id!.toString());
    }
    expect(log.text()).toMatch(/W: heartbeat failure: the broker was silent for 1500 ms/);
    worker.close();
    await served;
    expect(worker.stats.reconnects).toBeGreaterThanOrEqual(1);
  });
});
