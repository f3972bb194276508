import { EPHEMERAL, handshakes, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer } from "zeromq";
import { MAX_MESSAGE_BYTES } from "./protocol.ts";
import { runWorker, workerDefaults } from "./worker.ts";

/** The broker's side of a worker: a DEALER, bound, as the broker's backend is. */
async function fakeBackend(): Promise<Dealer> {
  const backend = new Dealer({ linger: 0 });
  await backend.bind(EPHEMERAL);
  return backend;
}

describe("request-reply worker", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers World and hands back the envelope it was given, untouched", async () => {
    const backend = await fakeBackend();
    const worker = startRole(runWorker, {
      ...workerDefaults,
      connect: [backend.lastEndpoint!],
      workMs: 0,
    });
    // A request as the broker forwards it: [client id, "", body].
    await backend.send([Buffer.from([0x00, 0x80, 0x00, 0x00, 0x29]), "", "Hello"]);
    const [clientId, delimiter, reply] = await backend.receive();
    expect(clientId).toEqual(Buffer.from([0x00, 0x80, 0x00, 0x00, 0x29]));
    expect([String(delimiter), String(reply)]).toEqual(["", "World"]);
    backend.close();
    expect(await worker.stop()).toBe(1);
  });

  it("echoes every frame of a request in echo mode", async () => {
    const backend = await fakeBackend();
    const worker = startRole(runWorker, {
      ...workerDefaults,
      connect: [backend.lastEndpoint!],
      workMs: 0,
      echo: true,
    });
    await backend.send(["client", "", "one", "two"]);
    expect((await backend.receive()).map(String)).toEqual(["client", "", "one", "two"]);
    backend.close();
    await worker.stop();
  });

  it("answers a request of several frames with an error, then serves the next", async () => {
    const backend = await fakeBackend();
    const worker = startRole(runWorker, {
      ...workerDefaults,
      connect: [backend.lastEndpoint!],
      workMs: 0,
    });
    await backend.send(["client", "", "Hello", "extra"]);
    expect((await backend.receive()).map(String)).toEqual([
      "client",
      "",
      "error: expected 1 frame, got 2",
    ]);
    await backend.send(["client", "", "Hello"]);
    expect((await backend.receive()).map(String)).toEqual(["client", "", "World"]);
    backend.close();
    expect(await worker.stop()).toBe(1);
  });

  it("logs a request without an envelope, which its REP socket drops, and keeps serving", async () => {
    const log = watchLog();
    const backend = await fakeBackend();
    const worker = startRole(runWorker, {
      ...workerDefaults,
      connect: [backend.lastEndpoint!],
      workMs: 0,
    });
    await backend.send(["client", "", "Hello"]);
    await backend.receive(); // connected and serving
    const dropped = log.waitFor(/\[worker\] W: the REP socket dropped a request/);
    await backend.send("no envelope at all");
    await dropped;
    await backend.send(["client", "", "Hello"]);
    expect((await backend.receive()).map(String)).toEqual(["client", "", "World"]);
    backend.close();
    expect(await worker.stop()).toBe(2);
  });

  it("loses its connection to a frame over the limit, connects again, and serves the next request", async () => {
    const log = watchLog();
    const backend = await fakeBackend();
    const connectedTwice = handshakes(backend, 2); // its first connection, then a new one
    const worker = startRole(runWorker, {
      ...workerDefaults,
      connect: [backend.lastEndpoint!],
      workMs: 0,
    });
    await backend.send(["client", "", Buffer.alloc(MAX_MESSAGE_BYTES + 1)]); // libzmq drops it
    await connectedTwice; // without our reconnect, never: the worker would be deaf for good
    await backend.send(["client", "", "Hello"]);
    expect((await backend.receive()).map(String)).toEqual(["client", "", "World"]);
    expect(log.text()).toMatch(
      /\[worker\] W: libzmq dropped the connection to tcp:\/\/\S+ \(a frame over 4194304 bytes, or another protocol error\) and will not reconnect it: connecting again/,
    );
    backend.close();
    expect(await worker.stop()).toBe(1);
  });
});
