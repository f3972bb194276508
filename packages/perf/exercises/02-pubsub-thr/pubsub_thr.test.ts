import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, freeEndpoint, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

const { runLocalSubThr, runRemotePubThr }: typeof import("./solution/pubsub_thr.ts") = await import(
  exerciseModule(import.meta.url, "pubsub_thr.ts")
);

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

  it("loses nothing when the publisher starts before the subscriber is there", async () => {
    const endpoint = await freeEndpoint(); // nobody listens yet: the publisher starts first
    const publishing = runRemotePubThr({
      connect: endpoint,
      messageSize: 32,
      messageCount: 20_000,
    });
    const lines = await runLocalSubThr({ bind: endpoint, messageSize: 32, messageCount: 20_000 });
    await publishing;
    expect(lines[1]).toBe("message count: 20000");
  });

  it("stops cleanly when told to while no publisher comes", async () => {
    const local = startRole(runLocalSubThr, { bind: EPHEMERAL, messageSize: 32, messageCount: 10 });
    await local.ready;
    expect(await local.stop()).toEqual([]);
  });
});
