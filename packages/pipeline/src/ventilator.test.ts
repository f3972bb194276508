import { EPHEMERAL, runRoleProcess, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Pull } from "zeromq";
import { formatTask } from "./protocol.ts";
import { boundPull, collect } from "./test-support.ts";
import { runVentilator, ventilatorDefaults } from "./ventilator.ts";

const quickVentilator = { ...ventilatorDefaults, bind: [EPHEMERAL], connect: [], tasks: 20 };

/** A stand-in worker: a PULL connected to the ventilator. */
function connectedWorker(endpoint: string): Pull {
  const socket = new Pull({ linger: 0 });
  socket.connect(endpoint);
  return socket;
}

describe("ventilator", () => {
  afterEach(() => vi.restoreAllMocks());

  it("tells the sink the batch starts, then sends tasks of 1 to 100 ms, as the Guide's taskvent", async () => {
    const sink = await boundPull();
    const ventilator = startRole(runVentilator, { ...quickVentilator, sink: [sink.lastEndpoint!] });
    const [endpoint] = await ventilator.ready;
    const [tasks] = await collect([connectedWorker(endpoint!)], 20);
    expect(await collect([sink], 1)).toEqual([["0"]]);
    for (const task of tasks!) {
      expect(task).toMatch(/^\d+$/); // one frame, a decimal string: the Guide's workers read it
      expect(Number(task)).toBeGreaterThanOrEqual(1);
      expect(Number(task)).toBeLessThanOrEqual(100);
    }
    expect((await ventilator.done).map(formatTask)).toEqual(tasks);
  });

  it("numbers the tasks 1 to N after the workload with --number-tasks", async () => {
    const sink = await boundPull();
    const ventilator = startRole(runVentilator, {
      ...quickVentilator,
      sink: [sink.lastEndpoint!],
      numberTasks: true,
    });
    const [endpoint] = await ventilator.ready;
    const [tasks] = await collect([connectedWorker(endpoint!)], 20);
    expect(tasks!.map((task) => Number(task.split(" ")[1]))).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
    sink.close();
    await ventilator.done;
  });

  it("waits for --wait-workers workers, then deals the tasks round robin, 10 each", async () => {
    const log = watchLog();
    const sink = await boundPull();
    const ventilator = startRole(runVentilator, {
      ...quickVentilator,
      sink: [sink.lastEndpoint!],
      waitWorkers: 2,
    });
    const [endpoint] = await ventilator.ready;
    const first = connectedWorker(endpoint!);
    await log.waitFor(/\[ventilator\] worker 1 of 2 connected/);
    // Had the ventilator sent now, the first worker would get all 20: the second is not there.
    const second = connectedWorker(endpoint!);
    const [firstTasks, secondTasks] = await collect([first, second], 20);
    expect([firstTasks!.length, secondTasks!.length]).toEqual([10, 10]);
    sink.close();
    await ventilator.done;
  });

  it("shows the early connector: a worker that connects after the batch went out gets none of it", async () => {
    const sink = await boundPull();
    const ventilator = startRole(runVentilator, {
      ...quickVentilator,
      sink: [sink.lastEndpoint!],
      waitWorkers: 1,
    });
    const [endpoint] = await ventilator.ready;
    const early = connectedWorker(endpoint!);
    expect(await ventilator.done).toHaveLength(20); // all sent, all queued for the early worker
    const late = connectedWorker(endpoint!);
    const [earlyTasks, lateTasks] = await collect([early, late], 20);
    expect([earlyTasks!.length, lateTasks!.length]).toEqual([20, 0]);
    sink.close();
  });

  it("returns without sending when stopped while it waits for workers", async () => {
    const sink = await boundPull();
    const ventilator = startRole(runVentilator, { ...quickVentilator, sink: [sink.lastEndpoint!] });
    await ventilator.ready;
    expect(await ventilator.stop()).toEqual([]);
    sink.close();
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal} while it waits for workers`, async () => {
      const sink = await boundPull();
      const ventilator = runRoleProcess(
        "src/ventilator.ts",
        [["--bind", EPHEMERAL, "--sink", sink.lastEndpoint!, "--wait-workers", "3"]].flat(),
      );
      await ventilator.waitForLine(/waiting for 3 workers to connect/);
      ventilator.signal(signal);
      const result = await ventilator.exited;
      expect(result.stdout).toContain(`[ventilator] ${signal} received, closing sockets`);
      expect(result.code).toBe(0);
      sink.close();
    });
  }
});
