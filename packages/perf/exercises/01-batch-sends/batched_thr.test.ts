import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Pull, Push } from "zeromq";

const { runBatchedLocalThr, runBatchedRemoteThr }: typeof import("./solution/batched_thr.ts") =
  await import(exerciseModule(import.meta.url, "batched_thr.ts"));

describe(`exercise 01, batched sends (${exerciseSubject()})`, () => {
  afterEach(() => vi.restoreAllMocks());

  it("counts every record once and prints libzmq's four lines", async () => {
    const local = startRole(runBatchedLocalThr, {
      bind: EPHEMERAL,
      messageSize: 16,
      messageCount: 10_000,
    });
    const [endpoint] = await local.ready;
    const frames = await runBatchedRemoteThr({
      connect: endpoint!,
      messageSize: 16,
      messageCount: 10_000,
      batch: 100,
    });
    const lines = await local.done;
    expect(frames).toBe(100);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe("message size: 16 [B]");
    expect(lines[1]).toBe("message count: 10000");
    expect(lines[2]).toMatch(/^mean throughput: \d+ \[msg\/s\]$/);
    expect(lines[3]).toMatch(/^mean throughput: \d+\.\d{3} \[Mb\/s\]$/);
  });

  it("sends whole frames of batch × size bytes and one short last frame", async () => {
    const receiver = new Pull({ linger: 0 });
    await receiver.bind(EPHEMERAL);
    const sending = runBatchedRemoteThr({
      connect: receiver.lastEndpoint!,
      messageSize: 8,
      messageCount: 250,
      batch: 100,
    });
    const receiving = (async () => {
      const sizes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const frames = await receiver.receive();
        expect(frames).toHaveLength(1);
        sizes.push(frames[0]!.length);
      }
      return sizes;
    })();
    // A sender that fails fails the test at once, instead of leaving the receive waiting.
    const sizes = await Promise.race([receiving, sending.then(() => receiving)]).finally(() =>
      receiver.close(),
    ); // once closed, the sender sees its peer leave and ends
    expect(sizes).toEqual([800, 800, 400]);
    expect(await sending).toBe(3);
  });

  it("logs a W: line for a frame that is not whole records, and keeps counting", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const local = startRole(runBatchedLocalThr, {
      bind: EPHEMERAL,
      messageSize: 10,
      messageCount: 3,
    });
    const [endpoint] = await local.ready;
    const sender = new Push({ linger: 1000 });
    sender.connect(endpoint!);
    await sender.send(Buffer.alloc(15)); // one and a half records
    await sender.send(Buffer.alloc(30)); // three records
    expect((await local.done)[1]).toBe("message count: 3");
    sender.close();
    expect(errors.mock.calls.flat().join("\n")).toMatch(/W: /);
  });
});
