import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { ask, EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { Request } from "zeromq";

const { runCountingServer }: typeof import("./solution/server.ts") = await import(
  exerciseModule(import.meta.url, "server.ts")
);

async function connectedClient(endpoint: string): Promise<Request> {
  const socket = new Request({ linger: 0 });
  socket.connect(endpoint);
  return socket;
}

describe(`exercise 02, numbered replies (${exerciseSubject()})`, () => {
  it("answers World 1, World 2, World 3 to one client", async () => {
    const server = startRole(runCountingServer, { bind: [EPHEMERAL] });
    const [endpoint] = await server.ready;
    const client = await connectedClient(endpoint!);
    expect([
      await ask(client, "Hello"),
      await ask(client, "Hello"),
      await ask(client, "Hello"),
    ]).toEqual(["World 1", "World 2", "World 3"]);
    client.close();
    expect(await server.stop()).toBe(3);
  });

  it("counts across clients: concurrent clients never get the same number", async () => {
    const server = startRole(runCountingServer, { bind: [EPHEMERAL] });
    const [endpoint] = await server.ready;
    const clients = await Promise.all([1, 2, 3, 4].map(() => connectedClient(endpoint!)));
    const replies = await Promise.all(
      clients.map(async (client) => [await ask(client, "Hello"), await ask(client, "Hello")]),
    );
    const numbers = replies.flat().map((reply) => Number(reply.replace("World ", "")));
    expect(numbers.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const client of clients) client.close();
    expect(await server.stop()).toBe(8);
  });

  it("answers a request of several frames with an error and does not count it", async () => {
    const server = startRole(runCountingServer, { bind: [EPHEMERAL] });
    const [endpoint] = await server.ready;
    const client = await connectedClient(endpoint!);
    expect(await ask(client, "Hello")).toBe("World 1");
    expect(await ask(client, "Hello", "extra")).toBe("error: expected 1 frame, got 2");
    expect(await ask(client, "Hello", "", "more")).toBe("error: expected 1 frame, got 3");
    expect(await ask(client, "Hello")).toBe("World 2");
    client.close();
    expect(await server.stop()).toBe(2);
  });
});
