import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Publisher, Push } from "zeromq";
import { runVentilator, ventilatorDefaults } from "#src/ventilator.ts";
import { runWorker, workerDefaults } from "#src/worker.ts";

const { runPatientSink }: typeof import("./solution/sink.ts") = await import(
  exerciseModule(import.meta.url, "sink.ts")
);

/** A stand-in worker: pushes the results the test writes. */
function resultSender(endpoint: string): Push {
  const socket = new Push({ linger: 0 });
  socket.connect(endpoint);
  return socket;
}

const oneTo = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

describe(`exercise 01, missing tasks (${exerciseSubject()})`, () => {
  afterEach(() => vi.restoreAllMocks());

  it("returns as soon as every task is back, with nothing missing", async () => {
    const sink = startRole(runPatientSink, { bind: [EPHEMERAL], tasks: 10, quietMs: 5000 });
    const [endpoint] = await sink.ready;
    const worker = resultSender(endpoint!);
    for (const number of oneTo(10)) await worker.send(`w1 5 ${number}`);
    expect(await sink.done).toEqual({ received: oneTo(10), missing: [] });
    worker.close();
  });

  it("names the tasks whose results never came, once nothing comes for quietMs", async () => {
    const log = watchLog();
    const sink = startRole(runPatientSink, { bind: [EPHEMERAL], tasks: 10, quietMs: 2000 });
    const [endpoint] = await sink.ready;
    const worker = resultSender(endpoint!);
    for (const number of [1, 2, 3, 5, 6, 8, 9, 10]) await worker.send(`w1 5 ${number}`);
    expect(await sink.done).toEqual({ received: [1, 2, 3, 5, 6, 8, 9, 10], missing: [4, 7] });
    const warnings = log.lines.filter((line) => / W: /.test(line));
    expect(
      warnings.some((line) => /\b4\b.*\b7\b/.test(line)),
      "a W: line names 4 and 7",
    ).toBe(true);
    worker.close();
  });

  it("counts a task that comes back twice once, and skips what is not a result", async () => {
    const log = watchLog();
    const sink = startRole(runPatientSink, { bind: [EPHEMERAL], tasks: 3, quietMs: 2000 });
    const [endpoint] = await sink.ready;
    const worker = resultSender(endpoint!);
    for (const message of ["w1 5 1", "w2 5 1", "hello", "w1 5 3"]) await worker.send(message);
    // Not results of task 2: partial records, numbers out of range or not whole, other frames.
    const notResults = ["w1 5", "w1", "w1 5 2 ", "w1 5 2x", "w1 5 0", "w1 5 4", "w1 5 -2"];
    for (const message of [...notResults, "w1 5 1.5", "w1  5 2", ""]) await worker.send(message);
    await worker.send(["w1 5 2", "in two frames"]);
    await worker.send(["w1", "5", "2"]);
    expect(await sink.done).toEqual({ received: [1, 3], missing: [2] });
    const skipped = log.lines.filter((line) => / W: /.test(line) && !/missing/.test(line));
    expect(skipped.length, "a W: line for each message skipped").toBeGreaterThanOrEqual(13);
    worker.close();
  });

  it("finds the tasks a worker took with it when it died mid-batch (real ventilator and workers)", async () => {
    const log = watchLog();
    const sink = startRole(runPatientSink, { bind: [EPHEMERAL], tasks: 20, quietMs: 3000 });
    const [sinkEndpoint] = await sink.ready;
    const killLine = new Publisher({ linger: 0 }); // the patient sink sends no KILL; the test stops the workers
    await killLine.bind(EPHEMERAL);
    const ventilator = startRole(runVentilator, {
      ...ventilatorDefaults,
      ...{ bind: [EPHEMERAL], connect: [], sink: [sinkEndpoint!], tasks: 20, maxMs: 5 },
      ...{ waitWorkers: 2, numberTasks: true },
    });
    const [tasksEndpoint] = await ventilator.ready;
    const peers = {
      ventilator: [tasksEndpoint!],
      sink: [sinkEndpoint!],
      kill: [killLine.lastEndpoint!],
    };
    const doomed = startRole(runWorker, { ...workerDefaults, ...peers, name: "doomed" });
    const survivor = startRole(runWorker, { ...workerDefaults, ...peers, name: "survivor" });
    await log.waitFor(/\[doomed\] working on/);
    await doomed.stop(); // its queued tasks die with it: PUSH/PULL does not resend them

    const report = await sink.done;
    const survived = (await survivor.stop()).tasks.map((task) => task.number);
    expect(report.missing.length).toBeGreaterThan(0);
    expect([...report.received, ...report.missing].sort((a, b) => a - b)).toEqual(oneTo(20));
    for (const number of survived) expect(report.received).toContain(number);
    killLine.close();
  });
});
