import {
  EPHEMERAL,
  handshakes,
  startRole,
  unusedEndpoint,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Router } from "zeromq";
import { MajordomoAsyncClient } from "./async-client-api.ts";
import { brokerDefaults, runBroker } from "./broker.ts";
import { MajordomoClient } from "./client-api.ts";
import { MAX_FRAME_BYTES, MDPC01 } from "./protocol.ts";
import { MajordomoWorker } from "./worker-api.ts";

const quickBroker = { ...brokerDefaults, bind: [EPHEMERAL], heartbeatMs: 500 };
const quick = { heartbeatMs: 500, reconnectMs: 100 };

describe("the client and worker APIs", () => {
  const closing: { close(): void }[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const thing of closing.splice(0)) thing.close();
  });

  it("a worker written in one line serves a synchronous client through the broker", async () => {
    const log = watchLog();
    const broker = startRole(runBroker, quickBroker);
    const [endpoint] = await broker.ready;
    const worker = new MajordomoWorker({ broker: endpoint, service: "upper", ...quick });
    closing.push(worker);
    const serving = worker.serve((body) => body.map((frame) => frame.toString().toUpperCase()));
    await log.waitFor(/\[broker\] worker "upper-\w+" ready for "upper"/);

    const client = new MajordomoClient({ broker: endpoint });
    closing.push(client);
    const reply = await client.request("upper", "hello", "world");
    expect(reply?.map(String)).toEqual(["HELLO", "WORLD"]);
    worker.close();
    await serving;
    expect(worker.stats).toMatchObject({ requests: 1, replies: 1 });
    await broker.stop();
  });

  it("the async client keeps many requests in flight and gets each reply once", async () => {
    const broker = startRole(runBroker, quickBroker);
    const [endpoint] = await broker.ready;
    const worker = new MajordomoWorker({ broker: endpoint, service: "echo", ...quick });
    closing.push(worker);
    const serving = worker.serve((body) => body);
    const client = new MajordomoAsyncClient({ broker: endpoint });
    closing.push(client);
    for (let n = 1; n <= 50; n++) await client.send("echo", String(n));
    const got: string[] = [];
    for (let n = 1; n <= 50; n++) {
      const reply = await client.receive({ timeoutMs: 10_000 });
      expect(reply?.service).toBe("echo");
      got.push(String(reply?.body[0]));
    }
    expect(got.sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 50 }, (_, i) => String(i + 1)),
    );
    expect(await client.receive({ timeoutMs: 100 })).toBeNull(); // nothing twice
    worker.close();
    await serving;
    await broker.stop();
  });

  it("the async client, cut off by a reply with a frame over the limit, connects again and goes on", async () => {
    const log = watchLog();
    const fake = new Router({ linger: 0 });
    closing.push(fake);
    await fake.bind(EPHEMERAL);
    const connectedTwice = handshakes(fake, 2); // its first connection, then a new one
    const client = new MajordomoAsyncClient({ broker: fake.lastEndpoint! });
    closing.push(client);
    await client.send("echo", "1");
    const [id] = await fake.receive();
    await fake.send([id!, "", MDPC01, "echo", Buffer.alloc(MAX_FRAME_BYTES + 1)]); // dropped
    await connectedTwice; // without our reconnect, never, and the send below would wait for ever
    await client.send("echo", "2");
    const [newId, , , , body] = await fake.receive();
    expect(body?.toString()).toBe("2");
    await fake.send([newId!, "", MDPC01, "echo", "2"]);
    expect(await client.receive()).toEqual({ service: "echo", body: [Buffer.from("2")] });
    expect(log.text()).toMatch(
      /\[client\] W: libzmq dropped the connection to tcp:\/\/\S+ \(a frame over 1048576 bytes, or another protocol error\) and will not reconnect it: connecting again/,
    );
  });

  it("the synchronous client tries `retries` times on a new socket each time, then gives up with null", async () => {
    const log = watchLog();
    const client = new MajordomoClient({ broker: unusedEndpoint(), timeoutMs: 100, retries: 3 });
    closing.push(client);
    expect(await client.request("echo", "anyone?")).toBeNull();
    expect(log.lines.filter((line) => line.includes('W: no reply from "echo"'))).toHaveLength(3);
    expect(log.lines.filter((line) => line.includes("reconnected"))).toHaveLength(2);
    expect(log.text()).toContain("permanent error");
  });

  it("the synchronous client that gave up still serves its next request (on a new socket)", async () => {
    const fake = new Router({ linger: 0 });
    closing.push(fake);
    await fake.bind(EPHEMERAL);
    const client = new MajordomoClient({ broker: fake.lastEndpoint!, timeoutMs: 300, retries: 1 });
    closing.push(client);
    // The first request reaches the fake broker, which never answers it.
    const unanswered = client.request("echo", "first");
    const [, , , , first] = await fake.receive();
    expect(first?.toString()).toBe("first");
    expect(await unanswered).toBeNull();
    // A REQ still waiting for that reply could never send again: this one must go out.
    const asked = client.request("echo", "second");
    const [id, , , , second] = await fake.receive();
    expect(second?.toString()).toBe("second");
    await fake.send([id!, "", MDPC01, "echo", "answered"]);
    expect((await asked)?.map(String)).toEqual(["answered"]);
  });

  it("the synchronous client refuses a reply with the wrong header or service, and retries", async () => {
    const log = watchLog();
    const fake = new Router({ linger: 0 });
    closing.push(fake);
    await fake.bind(EPHEMERAL);
    const client = new MajordomoClient({ broker: fake.lastEndpoint!, timeoutMs: 2000, retries: 3 });
    closing.push(client);
    const asked = client.request("echo", "x");
    const answers = [
      ["MDPC02", "echo", "wrong header"],
      [MDPC01, "other", "wrong service"],
      [MDPC01, "echo", "right"],
    ];
    for (const answer of answers) {
      const [id, , header, service, body] = await fake.receive();
      expect([header?.toString(), service?.toString(), body?.toString()]).toEqual([
        MDPC01,
        "echo",
        "x",
      ]);
      await fake.send([id!, "", ...answer]);
    }
    expect((await asked)?.map(String)).toEqual(["right"]);
    expect(log.lines.filter((line) => line.includes("malformed reply"))).toHaveLength(2);
  });

  it("a worker may not offer an mmi.* service", () => {
    expect(() => new MajordomoWorker({ service: "mmi.service" })).toThrow(/mmi/);
  });
});
