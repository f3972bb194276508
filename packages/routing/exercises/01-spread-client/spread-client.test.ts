import { exerciseModule, exerciseSubject, messagesOf } from "@zmq-patterns/helpers";
import { describe, expect, it } from "vitest";
import { Dealer, Reply } from "zeromq";

const { runSpreadClient, spreadClientDefaults }: typeof import("./solution/spread-client.ts") =
  await import(exerciseModule(import.meta.url, "spread-client.ts"));

/**
 * REP servers that count the requests out at once, over all of them. Each holds its request until
 * `inFlight` are out (so a client that keeps them out is seen doing so), or for at most `holdMs`
 * (so a client that keeps fewer out still gets its replies, and fails the count, not a time-out).
 */
async function startServers(count: number, inFlight: number, holdMs = 300) {
  const seen = { out: 0, most: 0, served: new Map<string, number>() };
  const release = new Set<() => void>();
  const servers = Array.from({ length: count }, () => new Reply({ linger: 0 }));
  const endpoints: string[] = [];
  for (const server of servers) {
    await server.bind("tcp://127.0.0.1:*");
    endpoints.push(server.lastEndpoint!);
  }
  const serving = servers.map(async (server, index) => {
    const name = `s${index + 1}`;
    for await (const [request] of messagesOf(server, () => {})) {
      seen.out += 1;
      seen.most = Math.max(seen.most, seen.out);
      seen.served.set(name, (seen.served.get(name) ?? 0) + 1);
      if (seen.out >= inFlight) {
        for (const go of release) go();
      } else {
        await new Promise<void>((resolve) => {
          const go = () => {
            release.delete(go);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(go, holdMs);
          release.add(go);
        });
      }
      seen.out -= 1;
      if (server.closed) break;
      await server.send(`${request} by ${name}`);
    }
  });
  const stop = async () => {
    for (const server of servers) server.close();
    await Promise.all(serving);
  };
  return { endpoints, seen, stop };
}

/**
 * Counts, at the client, the requests sent and not yet answered: every DEALER's send and receive
 * goes through the prototype. The servers cannot see a request that a client sent too many
 * (it waits in a queue until a REP is free); the client's own sockets can.
 */
function countRequestsOut() {
  const count = { out: 0, most: 0 };
  const { send, receive } = Dealer.prototype; // inherited, native and fixed: shadow them on Dealer
  Object.defineProperty(Dealer.prototype, "send", {
    configurable: true,
    value: function (this: Dealer, ...args: Parameters<Dealer["send"]>) {
      count.out += 1;
      count.most = Math.max(count.most, count.out);
      return send.apply(this, args);
    },
  });
  Object.defineProperty(Dealer.prototype, "receive", {
    configurable: true,
    value: async function (this: Dealer) {
      const frames = await receive.apply(this);
      count.out -= 1;
      return frames;
    },
  });
  const restore = () => {
    delete (Dealer.prototype as { send?: unknown }).send;
    delete (Dealer.prototype as { receive?: unknown }).receive;
  };
  return { count, restore };
}

describe(`exercise 01: a DEALER client keeping requests in flight over several REP servers (${exerciseSubject()})`, () => {
  for (const { servers, inFlight, count } of [
    { servers: 3, inFlight: 2, count: 9 },
    { servers: 4, inFlight: 3, count: 10 },
  ]) {
    it(`${servers} servers, ${inFlight} in flight, ${count} requests: all answered once, never more than ${inFlight} out, and ${inFlight} out at a time`, async () => {
      const { endpoints, seen, stop } = await startServers(servers, inFlight);
      const requests = Array.from({ length: count }, (_, n) => `task-${n + 1}`);
      const client = countRequestsOut();
      const replies = await runSpreadClient({
        ...spreadClientDefaults,
        connect: endpoints,
        requests,
        inFlight,
      }).finally(client.restore);
      await stop();
      expect(replies).toHaveLength(count);
      expect(replies.map((reply) => reply.replace(/ by s\d+$/, "")).sort()).toEqual(
        [...requests].sort(),
      );
      expect(client.count.most, "the most requests the client had out at once").toBeLessThanOrEqual(
        inFlight,
      );
      expect(seen.most, "the most requests out at once at the servers").toBe(inFlight);
      // Spread: every server did some of the work.
      expect([...seen.served.keys()].sort()).toEqual(
        Array.from({ length: servers }, (_, i) => `s${i + 1}`),
      );
    });
  }
});
