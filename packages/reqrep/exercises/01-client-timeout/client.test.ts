import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, unusedEndpoint } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Reply } from "zeromq";

const { runTimeoutClient }: typeof import("./solution/client.ts") = await import(
  exerciseModule(import.meta.url, "client.ts")
);

/** A REP server that answers the first `answered` requests, then keeps the rest unanswered. */
async function stallingServer(answered: number): Promise<{ endpoint: string; socket: Reply }> {
  const socket = new Reply({ linger: 0 });
  await socket.bind(EPHEMERAL);
  void (async () => {
    let count = 0;
    for await (const _request of socket) {
      count += 1;
      if (count > answered) break; // stop answering (and reading): the client must not wait for ever
      await socket.send(`World ${count}`);
    }
  })();
  return { endpoint: socket.lastEndpoint!, socket };
}

/**
 * The client's REQ sockets (the test opens none), and the linger each had when it was closed.
 * A socket left open, or closed with the default linger (-1) while a request is unsent, keeps
 * Node running after the client has returned.
 */
const requestSockets = vi.hoisted(() => new Map<object, number | "open">());
vi.mock("zeromq", async (importOriginal) => {
  const zmq = await importOriginal<typeof import("zeromq")>();
  class WatchedRequest extends zmq.Request {
    constructor(...args: ConstructorParameters<typeof zmq.Request>) {
      super(...args);
      requestSockets.set(this, "open");
    }
    override close(): void {
      if (requestSockets.get(this) === "open") requestSockets.set(this, this.linger);
      super.close();
    }
  }
  return { ...zmq, Request: WatchedRequest };
});

function watchRequestSockets() {
  requestSockets.clear();
  return {
    /** Every REQ socket the client opened is closed, each with linger 0. */
    expectAllClosed() {
      expect(requestSockets.size, "the client opened a REQ socket").toBeGreaterThan(0);
      for (const linger of requestSockets.values()) {
        expect(linger, "every REQ socket is closed, with linger 0").toBe(0);
      }
    },
  };
}

describe(`exercise 01, client time-out (${exerciseSubject()})`, () => {
  const servers: Reply[] = [];
  afterEach(() => {
    for (const socket of servers.splice(0)) socket.close();
  });

  it("gets every reply from a server that answers", async () => {
    const sockets = watchRequestSockets();
    const server = await stallingServer(Number.POSITIVE_INFINITY);
    servers.push(server.socket);
    const result = await runTimeoutClient({
      connect: [server.endpoint],
      requests: 3,
      timeoutMs: 2000,
    });
    expect(result).toEqual({ replies: ["World 1", "World 2", "World 3"], gaveUp: false });
    sockets.expectAllClosed();
  });

  it("gives up on a server that never answers", async () => {
    const sockets = watchRequestSockets();
    const server = await stallingServer(0);
    servers.push(server.socket);
    const result = await runTimeoutClient({
      connect: [server.endpoint],
      requests: 3,
      timeoutMs: 200,
    });
    expect(result).toEqual({ replies: [], gaveUp: true });
    sockets.expectAllClosed();
  });

  it("keeps the replies it got from a server that stalls half-way", async () => {
    const server = await stallingServer(2);
    servers.push(server.socket);
    const result = await runTimeoutClient({
      connect: [server.endpoint],
      requests: 5,
      timeoutMs: 2000, // also covers connecting and the two good replies on a busy machine
    });
    expect(result).toEqual({ replies: ["World 1", "World 2"], gaveUp: true });
  });

  it("gives up when nothing listens at the endpoint at all", async () => {
    const sockets = watchRequestSockets();
    const endpoint = unusedEndpoint(); // connecting finds nobody
    const result = await runTimeoutClient({ connect: [endpoint], requests: 1, timeoutMs: 200 });
    expect(result).toEqual({ replies: [], gaveUp: true });
    sockets.expectAllClosed(); // its request never left: only linger 0 lets Node exit
  });
});
