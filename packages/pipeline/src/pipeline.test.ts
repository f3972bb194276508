import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { Pull, Push } from "zeromq";
import { runSink, sinkDefaults } from "./sink.ts";
import { runVentilator, ventilatorDefaults } from "./ventilator.ts";
import { runWorker, workerDefaults } from "./worker.ts";

// The pattern's promises, with the real roles together: a ventilator, N workers, a sink.
interface Batch {
  workers: number;
  tasks: number;
  /** Extra workers that speak the Guide's protocol: empty results, no kill line. */
  guideWorkers?: number;
}

/** A Guide worker (taskwork.c): pull a task, send an empty result, until closed. */
async function guideWorker(tasksEndpoint: string, sinkEndpoint: string) {
  const receiver = new Pull({ linger: 0 });
  const sender = new Push({ linger: 0 });
  receiver.connect(tasksEndpoint);
  sender.connect(sinkEndpoint);
  let done = 0;
  const working = (async () => {
    for await (const _task of receiver) {
      await sender.send("");
      done += 1;
    }
  })();
  return {
    stop: async () => {
      receiver.close();
      sender.close();
      await working;
      return done;
    },
  };
}

async function runBatch({ workers, tasks, guideWorkers = 0 }: Batch) {
  const sink = startRole(runSink, {
    ...sinkDefaults,
    ...{ bind: [EPHEMERAL], connect: [], kill: [EPHEMERAL], tasks },
  });
  const [sinkEndpoint, killEndpoint] = await sink.ready;
  const ventilator = startRole(runVentilator, {
    ...ventilatorDefaults,
    ...{ bind: [EPHEMERAL], connect: [], sink: [sinkEndpoint!], tasks, maxMs: 5 },
    ...{ waitWorkers: workers + guideWorkers, numberTasks: true },
  });
  const [tasksEndpoint] = await ventilator.ready;
  const ours = Array.from({ length: workers }, (_, index) =>
    startRole(runWorker, {
      ...workerDefaults,
      name: `worker-${index + 1}`,
      ...{ ventilator: [tasksEndpoint!], sink: [sinkEndpoint!], kill: [killEndpoint!] },
    }),
  );
  const guides = await Promise.all(
    Array.from({ length: guideWorkers }, () => guideWorker(tasksEndpoint!, sinkEndpoint!)),
  );
  // Nobody stops the workers: they must end by themselves, on the sink's KILL.
  const [sent, report, ...workerReports] = await Promise.all([
    ventilator.done,
    sink.done,
    ...ours.map((worker) => worker.done),
  ]);
  const guideCounts = await Promise.all(guides.map((guide) => guide.stop()));
  return { sent, report, workerReports, guideCounts };
}

const oneToN = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

describe("pipeline: ventilator, workers, sink", () => {
  it("processes every task exactly once across the workers", async () => {
    const { sent, report, workerReports } = await runBatch({ workers: 3, tasks: 30 });
    expect(sent.map((task) => task.number)).toEqual(oneToN(30));
    const doneByWorkers = workerReports.flatMap((worker) =>
      worker.tasks.map((task) => task.number),
    );
    expect(doneByWorkers.sort((a = 0, b = 0) => a - b)).toEqual(oneToN(30));
    const resultNumbers = report.results.map((result) => result.task?.number);
    expect(resultNumbers.sort((a = 0, b = 0) => a - b)).toEqual(oneToN(30));
    // and each result names the worker that really did that task
    for (const { worker, task } of report.results) {
      const index = Number(worker?.replace("worker-", "")) - 1;
      expect(workerReports[index]?.tasks).toContainEqual(task);
    }
  });

  it("spreads the tasks over all the workers, round robin: 10 each for 3 workers and 30 tasks", async () => {
    const { workerReports } = await runBatch({ workers: 3, tasks: 30 });
    expect(workerReports.map((worker) => worker.tasks.length)).toEqual([10, 10, 10]);
  });

  it("stops every worker with the kill signal once the batch is done", async () => {
    const { report, workerReports } = await runBatch({ workers: 4, tasks: 8 });
    expect(report.results).toHaveLength(8);
    expect(workerReports.map((worker) => worker.killed)).toEqual([true, true, true, true]);
  });

  it("counts the results of a Guide worker (empty frames) alongside ours", async () => {
    const { report, workerReports, guideCounts } = await runBatch({
      workers: 1,
      guideWorkers: 1,
      tasks: 20,
    });
    const fromGuide = report.results.filter((result) => result.worker === undefined);
    expect(fromGuide).toHaveLength(guideCounts[0]!);
    expect(guideCounts[0]! + workerReports[0]!.tasks.length).toBe(20);
    expect(report.results).toHaveLength(20);
  });
});
