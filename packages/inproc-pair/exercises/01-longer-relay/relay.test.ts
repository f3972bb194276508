import { Worker } from "node:worker_threads";
import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { describe, expect, it } from "vitest";

const { runLongRelay }: typeof import("./solution/relay.ts") = await import(
  exerciseModule(import.meta.url, "relay.ts")
);

/**
 * The id the next worker thread will get is above this one: Node numbers threads in the order
 * they start. A route of "step<n>@<threadId>" frames can only name ids between two such probes
 * if each step really ran in a thread started in between, and put its own id in the signal.
 */
async function lastThreadId(): Promise<number> {
  const probe = new Worker("", { eval: true });
  const id = probe.threadId;
  await new Promise((resolve) => probe.once("exit", resolve));
  return id;
}

/** Runs the relay between two probes; checks that each frame came from its own new thread. */
async function relayThroughThreads(steps: number, name: string): Promise<string[]> {
  const before = await lastThreadId();
  const route = await runLongRelay({ steps, name });
  const after = await lastThreadId();
  expect(route.map((frame) => frame.replace(/@.*/, ""))).toEqual(
    Array.from({ length: steps }, (_, index) => `step${index + 1}`),
  );
  const ids = route.map((frame) => Number(frame.match(/^step\d+@(\d+)$/)?.[1]));
  for (const [index, id] of ids.entries()) {
    expect(id, `frame ${route[index]}: the id of the thread that ran this step`).toBeGreaterThan(
      before,
    );
    expect(id, `frame ${route[index]}: a thread started during this relay`).toBeLessThan(after);
  }
  expect(new Set(ids).size, "one thread per step").toBe(steps);
  return route;
}

describe(`exercise 01, a relay of any length (${exerciseSubject()})`, () => {
  it("relays through three threads, like the Guide's, and the route says so", async () => {
    await relayThroughThreads(3, "ex01-three");
  });

  it("works with a single step, which signals the main thread directly", async () => {
    await relayThroughThreads(1, "ex01-one");
  });

  it("relays through seven threads, then four twice in a row on the same endpoints", async () => {
    await relayThroughThreads(7, "ex01-seven");
    await relayThroughThreads(4, "ex01-four");
    await relayThroughThreads(4, "ex01-four");
  });
});
