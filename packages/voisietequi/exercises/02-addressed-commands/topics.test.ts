import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { Subscriber, XPublisher } from "zeromq";
import { COMPUTER_ID } from "#src/protocol.ts";

const { commandTopic, subscriptionsFor, EVERYONE }: typeof import("./solution/topics.ts") =
  await import(exerciseModule(import.meta.url, "topics.ts"));

const computers = ["computer-1", "computer-10", "computer-1.5"];

/** Publishes one command per target over a real PUB; returns what each computer's SUB received. */
async function deliver(targets: string[]): Promise<Map<string, string[]>> {
  // The receive time-outs only turn a wrong answer into a failure instead of a hang.
  const server = new XPublisher({ linger: 0, receiveTimeout: 5000 });
  server.verbosity = "allSubs"; // see every subscription, even one another SUB already made
  await server.bind(EPHEMERAL);
  const subscriptions = computers.map((id) => subscriptionsFor(id));
  expect(
    subscriptions.every((list) => list.length > 0),
    "every computer subscribes",
  ).toBe(true);

  const sockets = computers.map((_id, index) => {
    const socket = new Subscriber({ linger: 0, receiveTimeout: 5000 });
    for (const topic of subscriptions[index]!) socket.subscribe(topic);
    socket.connect(server.lastEndpoint!);
    return socket;
  });
  // No slow joiner: publish only once the XPUB has seen every subscription arrive.
  // (A SUB sends each distinct subscription once.)
  const expected = subscriptions.reduce((sum, list) => sum + new Set(list).size, 0);
  for (let pending = expected; pending > 0; pending--) await server.receive();

  for (const target of targets) await server.send([commandTopic(target), `for ${target}`]);
  await server.send([commandTopic(EVERYONE), "end"]); // one SUB gets a PUB's messages in order

  const received = new Map<string, string[]>();
  for (const [index, socket] of sockets.entries()) {
    const bodies: string[] = [];
    for (;;) {
      const [, body] = await socket.receive();
      if (String(body) === "end") break;
      bodies.push(String(body));
    }
    received.set(computers[index]!, bodies);
    socket.close();
  }
  server.close();
  return received;
}

describe(`exercise 02, addressed commands (${exerciseSubject()})`, () => {
  it("gives each computer the commands for everyone and for itself, and nothing else", async () => {
    const received = await deliver([EVERYONE, ...computers, "computer-2", EVERYONE]);
    expect(received.get("computer-1")).toEqual([
      `for ${EVERYONE}`,
      "for computer-1",
      `for ${EVERYONE}`,
    ]);
    expect(received.get("computer-10")).toEqual([
      `for ${EVERYONE}`,
      "for computer-10",
      `for ${EVERYONE}`,
    ]);
    expect(received.get("computer-1.5")).toEqual([
      `for ${EVERYONE}`,
      "for computer-1.5",
      `for ${EVERYONE}`,
    ]);
  });

  it("sends a command for one computer to that computer alone", async () => {
    const received = await deliver(["computer-10"]);
    expect(Object.fromEntries(received)).toEqual({
      "computer-1": [],
      "computer-10": ["for computer-10"],
      "computer-1.5": [],
    });
  });

  it("addresses exactly one computer for every pair of ids, whatever allowed characters they use", () => {
    // Every character an id may hold (COMPUTER_ID), alone, and after an id that is a prefix of
    // the result; plus the longest id. A SUB keeps a topic when a subscription is a prefix of it.
    const allowed = [..."AZaz09_.@:-"];
    const ids = [
      ...allowed,
      "computer-1",
      ...allowed.map((character) => `computer-1${character}`),
      ...allowed.map((character) => `computer-1${character}5`),
      "x".repeat(64),
    ];
    for (const id of ids) expect(COMPUTER_ID.test(id), id).toBe(true);
    const keeps = (id: string, target: string) =>
      subscriptionsFor(id).some((subscription) => commandTopic(target).startsWith(subscription));
    for (const id of ids) {
      expect(keeps(id, id), `${id} gets its own commands`).toBe(true);
      expect(keeps(id, EVERYONE), `${id} gets the commands for everyone`).toBe(true);
      for (const other of ids) {
        if (other !== id) expect(keeps(id, other), `${id} must not get ${other}'s`).toBe(false);
      }
    }
  });

  it("gives no two targets the same topic", () => {
    const topics = [EVERYONE, ...computers, "computer-2"].map((target) => commandTopic(target));
    expect(new Set(topics).size).toBe(topics.length);
  });
});
