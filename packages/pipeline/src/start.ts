// `pnpm --filter pipeline start [basic|one-worker|four-workers|early-connector]`: the whole
// pipeline, each role in its own process, as in separate terminals. Ends by itself with exit 0.
import { guidePorts, type RoleProcess, startScenario } from "@zmq-patterns/helpers";
import { KILL_PORT, SINK_PORT, VENTILATOR_PORT } from "./protocol.ts";

const [ventilatorPort, sinkPort, killPort] = await guidePorts([
  VENTILATOR_PORT,
  SINK_PORT,
  KILL_PORT,
]);
const TASKS = "40"; // the Guide's batch is 100 tasks; 40 keeps the one-worker run to about 2 s

const sink: RoleProcess = {
  name: "sink",
  script: "src/sink.ts",
  args: ["--bind", `tcp://*:${sinkPort}`, "--kill", `tcp://*:${killPort}`, "--tasks", TASKS],
  finishes: true,
  readyWhen: /waiting for the start/,
};

/** Workers end by themselves too: on the sink's KILL. */
const worker = (number: number): RoleProcess => ({
  name: `worker-${number}`,
  script: "src/worker.ts",
  args: [
    ["--name", `worker-${number}`],
    ["--ventilator", `tcp://localhost:${ventilatorPort}`],
    ["--sink", `tcp://localhost:${sinkPort}`],
    ["--kill", `tcp://localhost:${killPort}`],
  ].flat(),
  finishes: true,
});

const ventilator = (waitWorkers: number): RoleProcess => ({
  name: "ventilator",
  script: "src/ventilator.ts",
  args: [
    ["--bind", `tcp://*:${ventilatorPort}`],
    ["--sink", `tcp://localhost:${sinkPort}`],
    ["--tasks", TASKS, "--number-tasks"],
    ["--wait-workers", String(waitWorkers)],
  ].flat(),
  finishes: true,
});

const workers = (count: number) => Array.from({ length: count }, (_, index) => worker(index + 1));

await startScenario({
  basic: {
    title: "Divide and conquer: a ventilator, three workers and a sink",
    roles: [sink, ...workers(3), ventilator(3)],
  },
  "one-worker": {
    title: "One worker does the whole batch: compare the sink's time with four-workers",
    roles: [sink, ...workers(1), ventilator(1)],
  },
  "four-workers": {
    title: "Four workers share the batch: compare the sink's time with one-worker",
    roles: [sink, ...workers(4), ventilator(4)],
  },
  "early-connector": {
    title: "The early connector: the ventilator sends as soon as one worker is connected",
    // Every worker is up and listening for KILL before the ventilator starts; they all race to
    // connect to it, and the first one to get there is handed the whole batch.
    roles: [
      sink,
      ...workers(3).map((role) => ({ ...role, readyWhen: /listening for KILL/ })),
      ventilator(1),
    ],
  },
});
