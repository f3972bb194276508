import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request } from "zeromq";
import { clientDefaults, runClient } from "./client.ts";
import { proxyDefaults, runProxyBroker } from "./proxy.ts";
import { runWorker, workerDefaults } from "./worker.ts";

const ephemeralProxy = { ...proxyDefaults, frontend: [EPHEMERAL], backend: [EPHEMERAL] };

describe("request-reply broker as zeromq's built-in Proxy", () => {
  afterEach(() => vi.restoreAllMocks());

  it("gives every client exactly its own replies, like the hand-written broker", async () => {
    const proxy = startRole(runProxyBroker, ephemeralProxy);
    const [frontend, backend] = await proxy.ready;
    const workers = [1, 2].map((i) =>
      startRole(runWorker, {
        ...workerDefaults,
        connect: [backend!],
        workMs: 0,
        echo: true,
        name: `worker-${i}`,
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
    await proxy.stop();
  });

  it("passes a request without a delimiter on; the worker's REP drops it and the next one is served", async () => {
    const log = watchLog();
    const proxy = startRole(runProxyBroker, ephemeralProxy);
    const [frontend, backend] = await proxy.ready;
    const worker = startRole(runWorker, { ...workerDefaults, connect: [backend!], workMs: 0 });
    const dealer = new Dealer({ linger: 0 });
    dealer.connect(frontend!);
    // The Proxy cannot check anything: [id, "Hello"] reaches the worker's REP socket, which
    // discards it. Only the worker can say so.
    const dropped = log.waitFor(/\[worker\] W: the REP socket dropped a request without an empty/);
    await dealer.send("Hello");
    await dropped;
    await dealer.send(["", "Hello"]);
    expect((await dealer.receive()).map(String)).toEqual(["", "World"]);
    dealer.close();

    const client = new Request({ linger: 0 });
    client.connect(frontend!);
    await client.send("Hello");
    expect(String(await client.receive())).toBe("World");
    client.close();
    expect(await worker.stop()).toBe(2); // only the two good requests reached the worker's code
    await proxy.stop();
  });

  it("stops when told to before any message went through", async () => {
    const proxy = startRole(runProxyBroker, ephemeralProxy);
    await proxy.ready;
    await expect(proxy.stop()).resolves.toBeUndefined();
  });
});
