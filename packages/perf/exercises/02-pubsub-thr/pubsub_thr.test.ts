import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, freeEndpoint, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

const { runLocalSubThr, runRemotePubThr }: typeof import("./solution/pubsub_thr.ts") = await import(
  exerciseModule(import.meta.url, "pubsub_thr.ts")
);

/** How long the publisher runs alone before the subscriber binds: later than any plausible sleep. */
const LATE_MS = 1500;

const LINES = [
  /^message size: 32 \[B\]$/,
  /^message count: 20000$/,
  /^mean throughput: \d+ \[msg\/s\]$/,
  /^mean throughput: \d+\.\d{3} \[Mb\/s\]$/,
];

describe(`exercise 02, PUB/SUB throughput (${exerciseSubject()})`, () => {
  it("delivers every message (none dropped, however fast) and prints libzmq's lines", async () => {
    const local = startRole(runLocalSubThr, {
      bind: EPHEMERAL,
      messageSize: 32,
      messageCount: 20_000,
    });
    const [endpoint] = await local.ready;
    await runRemotePubThr({ connect: endpoint!, messageSize: 32, messageCount: 20_000 });
    const lines = await local.done;
    expect(lines).toHaveLength(4);
    for (const [index, line] of lines.entries()) expect(line).toMatch(LINES[index]!);
  });

  it("loses nothing when the publisher starts well before the subscriber is there", async () => {
    const endpoint = await freeEndpoint(); // nobody listens yet: the publisher starts first
    const publishing = runRemotePubThr({
      connect: endpoint,
      messageSize: 32,
      messageCount: 20_000,
    });
    publishing.catch(() => {}); // awaited below
    // Longer than any sleep a publisher might use instead of waiting for the subscription.
    await new Promise((resolve) => setTimeout(resolve, LATE_MS));
    const local = startRole(runLocalSubThr, {
      bind: endpoint,
      messageSize: 32,
      messageCount: 20_000,
    });
    // A subscriber that misses messages waits for ever: give it a bounded time once the
    // publisher is done, then stop it and say why.
    const gaveUp = publishing.then(
      () =>
        new Promise<never>((_, reject) =>
          setTimeout(() => {
            setImmediate(() => void local.stop()); // after the race below has its answer
            reject(
              new Error(
                "the subscriber did not get all 20000 messages within 5 s after the publisher " +
                  "returned: were some sent before the subscription arrived, or dropped?",
              ),
            );
          }, 5000),
        ),
    );
    gaveUp.catch(() => {});
    const lines = await Promise.race([local.done, gaveUp]);
    await publishing;
    expect(lines[1]).toBe("message count: 20000");
  });

  it("stops cleanly when told to while no publisher comes", async () => {
    const local = startRole(runLocalSubThr, { bind: EPHEMERAL, messageSize: 32, messageCount: 10 });
    await local.ready;
    expect(await local.stop()).toEqual([]);
  });
});
