import { randomUUID } from "node:crypto";
import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Reply } from "zeromq";
import { brokerDefaults, runBroker } from "#src/broker.ts";

const { runAsyncClient }: typeof import("./solution/client.ts") = await import(
  exerciseModule(import.meta.url, "client.ts")
);

/** What the workers answered to each request body: only a reply through the broker carries it. */
const answers = new Map<string, string>();

/**
 * A worker behind the broker: a REP socket that answers [tag, body] with
 * [tag, "<body> done <nonce>"], a fresh random nonce each time, once `release(body)` lets it.
 * Resolves when its connection to the broker is up.
 */
async function worker(backend: string, release: (body: string) => Promise<void>) {
  const socket = new Reply({ linger: 0 });
  const connected = new Promise<void>((resolve) => socket.events.on("handshake", () => resolve()));
  socket.connect(backend);
  void (async () => {
    for await (const [tag, body] of socket) {
      await release(String(body));
      const result = `${body} done ${randomUUID()}`;
      answers.set(String(body), result);
      await socket.send([tag!, result]);
    }
  })();
  await connected;
  return socket;
}

describe(`exercise 01, asynchronous client (${exerciseSubject()})`, () => {
  afterEach(() => vi.restoreAllMocks());

  async function brokerWithWorkers(release: (body: string) => Promise<void>) {
    const log = watchLog();
    const broker = startRole(runBroker, {
      ...brokerDefaults,
      frontend: [EPHEMERAL],
      backend: [EPHEMERAL],
    });
    const [frontend, backend] = await broker.ready;
    const workers = [await worker(backend!, release), await worker(backend!, release)];
    // A request the broker drops will never be answered: fail at once instead of waiting.
    const dropped = log.waitFor(/\[broker\] W: .*/).then(({ line }) => {
      throw new Error(`the broker dropped a request: ${line}`);
    });
    const stop = async () => {
      for (const socket of workers) socket.close();
      await broker.stop();
    };
    return { frontend: frontend!, dropped, stop };
  }

  it("returns the results in the order of the requests, though they arrive out of order", async () => {
    let twoDone = () => {};
    const twoAnswered = new Promise<void>((resolve) => {
      twoDone = resolve;
    });
    // The worker that gets "one" holds it until "two" has been answered by the other worker:
    // "two done" reaches the client first. (A client that waits for "one" before sending "two"
    // would wait for ever here.)
    const { frontend, dropped, stop } = await brokerWithWorkers(async (body) => {
      if (body === "one") await twoAnswered;
      if (body === "two") setImmediate(twoDone);
    });
    const results = await Promise.race([
      runAsyncClient({ connect: [frontend], requests: ["one", "two"] }),
      dropped,
    ]);
    expect(results).toEqual([answers.get("one"), answers.get("two")]);
    expect(results[0]).toMatch(/^one done /);
    await stop();
  });

  it("handles many requests at once", async () => {
    const { frontend, dropped, stop } = await brokerWithWorkers(async () => {});
    const requests = Array.from({ length: 20 }, (_, i) => `job ${i + 1}`);
    const results = await Promise.race([
      runAsyncClient({ connect: [frontend], requests }),
      dropped,
    ]);
    expect(results).toEqual(requests.map((request) => answers.get(request)));
    expect(new Set(results).size).toBe(20);
    await stop();
  });
});
