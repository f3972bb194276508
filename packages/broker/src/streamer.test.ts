import { EPHEMERAL, freeEndpoint, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Pull, Push } from "zeromq";
import { runStreamer, streamerDefaults } from "./streamer.ts";
import { runTaskworker, taskworkerDefaults } from "./taskworker.ts";
import { runVentilator, ventilatorDefaults } from "./ventilator.ts";

const ephemeralStreamer = { ...streamerDefaults, frontend: [EPHEMERAL], backend: [EPHEMERAL] };

describe("streamer", () => {
  afterEach(() => vi.restoreAllMocks());

  it("spreads the tasks over every connected worker, and every task's result comes back once", async () => {
    const log = watchLog();
    const streamer = startRole(runStreamer, ephemeralStreamer);
    const [frontend, backend] = await streamer.ready;
    // The workers connect to the ventilator's results port before the ventilator exists (it
    // would send its tasks at once), so pick a free port for it up front.
    const resultsEndpoint = await freeEndpoint();

    const workers = [];
    for (const name of ["tw-1", "tw-2"]) {
      const connected = log.waitFor(new RegExp(`\\[${name}\\] connected to ${backend}`));
      workers.push(
        startRole(runTaskworker, {
          ...taskworkerDefaults,
          connect: [backend!],
          results: [resultsEndpoint],
          name,
        }),
      );
      await connected;
    }
    const perWorker = await runVentilator({
      ...ventilatorDefaults,
      connect: [frontend!],
      results: [resultsEndpoint],
      tasks: 20,
      maxWorkMs: 5,
    });
    expect(perWorker["tw-1"]! + perWorker["tw-2"]!).toBe(20);
    expect(perWorker["tw-1"]).toBeGreaterThan(0);
    expect(perWorker["tw-2"]).toBeGreaterThan(0);
    const done = await Promise.all(workers.map((worker) => worker.stop()));
    expect(done).toEqual([perWorker["tw-1"], perWorker["tw-2"]]);
    await streamer.stop();
  });

  it("passes any message through unchanged, whatever its frames", async () => {
    const streamer = startRole(runStreamer, ephemeralStreamer);
    const [frontend, backend] = await streamer.ready;
    const producer = new Push({ linger: 0 });
    const consumer = new Pull({ linger: 0 });
    producer.connect(frontend!);
    consumer.connect(backend!);
    const frames = [Buffer.from("task"), Buffer.alloc(0), Buffer.from([0x00, 0xff, 0x10])];
    await producer.send(frames);
    expect(await consumer.receive()).toEqual(frames);
    producer.close();
    consumer.close();
    await streamer.stop();
  });
});

describe("task worker and ventilator", () => {
  afterEach(() => vi.restoreAllMocks());

  it("a task worker drops a task that is not a workload, with a W: line, and does the next", async () => {
    const log = watchLog();
    const tasks = new Push({ linger: 0 });
    const results = new Pull({ linger: 0 });
    await tasks.bind(EPHEMERAL);
    await results.bind(EPHEMERAL);
    const worker = startRole(runTaskworker, {
      ...taskworkerDefaults,
      connect: [tasks.lastEndpoint!],
      results: [results.lastEndpoint!],
    });
    const dropped = log.waitFor(
      /\[taskworker\] W: not a task \(a workload in ms\): "soon"; dropped/,
    );
    await tasks.send("soon");
    await dropped;
    await tasks.send("1");
    expect(String(await results.receive())).toBe("taskworker 1");
    tasks.close();
    results.close();
    expect(await worker.stop()).toBe(1);
  });

  it("the ventilator counts only well-formed results", async () => {
    const log = watchLog();
    const streamerSide = new Pull({ linger: 0 });
    await streamerSide.bind(EPHEMERAL);
    const ventilator = startRole(runVentilator, {
      ...ventilatorDefaults,
      connect: [streamerSide.lastEndpoint!],
      results: [EPHEMERAL],
      tasks: 1,
    });
    const [, resultsEndpoint] = await ventilator.ready;
    expect(String(await streamerSide.receive())).toMatch(/^\d+$/); // the one task
    const worker = new Push({ linger: 0 });
    worker.connect(resultsEndpoint!);
    const dropped = log.waitFor(/\[ventilator\] W: not a result: "nonsense"; dropped/);
    await worker.send("nonsense");
    await dropped;
    await worker.send("tw-9 42");
    expect(await ventilator.done).toEqual({ "tw-9": 1 });
    worker.close();
    streamerSide.close();
  });
});
