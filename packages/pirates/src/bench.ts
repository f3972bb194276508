// `pnpm --filter pirates bench` (or `pnpm bench`): how long the Paranoid Pirate takes to notice
// each fault and to recover, measured with the Guide's timings (heartbeat 1000 ms, liveness 3),
// against what the protocol promises. Real processes, real SIGSTOP, a real cut link (as root).
// Prints a Markdown table; docs/pirates.md quotes it. Takes about a minute and a half.
import {
  createTestNetwork,
  freePorts,
  networkNamespacesUnavailable,
  type RoleChild,
  runRoleProcess,
} from "@zmq-patterns/helpers";
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_LIVENESS } from "./protocol.ts";

const RUNS = 3;
const silenceMs = HEARTBEAT_INTERVAL_MS * HEARTBEAT_LIVENESS;
const forgotten = /worker "\S+" silent for \d+ ms \(\d+ heartbeats missed\); forgotten/;

/** Milliseconds from now until `role` prints a line matching `pattern` (after its current lines). */
async function msUntil(
  role: RoleChild,
  pattern: RegExp,
  start = performance.now(),
): Promise<number> {
  await role.waitForLine(pattern, { since: role.lines.length });
  return performance.now() - start;
}

const stopAll = async (roles: RoleChild[]) => {
  for (const role of roles) role.signal("SIGTERM");
  await Promise.all(roles.map((role) => role.exited));
};

/** A queue and one worker on free local ports; the worker is ready when this resolves. */
async function queueAndWorker() {
  const [front, back] = await freePorts(2);
  const queue = runRoleProcess("src/paranoid-queue.ts", [
    "--frontend",
    `tcp://127.0.0.1:${front}`,
    "--backend",
    `tcp://127.0.0.1:${back}`,
  ]);
  const worker = runRoleProcess("src/paranoid-worker.ts", [
    "--connect",
    `tcp://127.0.0.1:${back}`,
    "--work-ms",
    "0",
  ]);
  await queue.waitForLine(/ready \(1 idle, 1 live\)/);
  return { queue, worker, front };
}

async function hungWorker(): Promise<number> {
  const { queue, worker } = await queueAndWorker();
  const start = performance.now();
  worker.hang();
  const ms = await msUntil(queue, forgotten, start);
  worker.resume();
  await stopAll([queue, worker]);
  return ms;
}

async function cutLink(): Promise<number> {
  const network = await createTestNetwork(["queue", "worker"]);
  try {
    const backend = `tcp://${network.hosts.queue!.address}:5556`;
    const queue = runRoleProcess(
      "src/paranoid-queue.ts",
      ["--frontend", "tcp://127.0.0.1:5555", "--backend", backend],
      { host: network.hosts.queue! },
    );
    const worker = runRoleProcess("src/paranoid-worker.ts", ["--connect", backend], {
      host: network.hosts.worker!,
    });
    await queue.waitForLine(/ready \(1 idle, 1 live\)/);
    const start = performance.now();
    await network.cut("worker");
    const ms = await msUntil(queue, forgotten, start);
    await stopAll([queue, worker]);
    return ms;
  } finally {
    await network.remove();
  }
}

/** From a queue's restart (SIGKILL, then a new process on the same port) to a reply served through it. */
async function queueRestart(): Promise<{ toBound: number; toServed: number }> {
  const { queue, worker, front } = await queueAndWorker();
  await queue.kill();
  const start = performance.now();
  const restarted = await queue.restart();
  const toBound = await msUntil(restarted, /bound to .*\n?.*/, start);
  const client = runRoleProcess("src/lazy-client.ts", [
    "--connect",
    `tcp://127.0.0.1:${front}`,
    "--requests",
    "1",
    "--retries",
    "10",
  ]);
  const toServed = await msUntil(client, /server replied OK \(1\)/, start);
  await client.exited;
  await stopAll([restarted, worker]);
  return { toBound, toServed };
}

const range = (values: number[]) =>
  `${Math.round(Math.min(...values))}-${Math.round(Math.max(...values))} ms (${values.length} runs)`;

const hung: number[] = [];
const cut: number[] = [];
const restarts: { toBound: number; toServed: number }[] = [];
for (let run = 0; run < RUNS; run++) hung.push(await hungWorker());
const noNetns = networkNamespacesUnavailable();
if (!noNetns) for (let run = 0; run < RUNS; run++) cut.push(await cutLink());
for (let run = 0; run < RUNS; run++) restarts.push(await queueRestart());

const rows = [
  [
    "a worker hangs (SIGSTOP) → the queue forgets it",
    range(hung),
    `${silenceMs}-${silenceMs + HEARTBEAT_INTERVAL_MS} ms (liveness × interval, checked once an interval)`,
  ],
  [
    "the worker's link is cut → the queue forgets it",
    noNetns ? `not measured: ${noNetns}` : range(cut),
    `${silenceMs}-${silenceMs + HEARTBEAT_INTERVAL_MS} ms`,
  ],
  [
    "the queue restarts → its process has bound",
    range(restarts.map((r) => r.toBound)),
    "(a Node + tsx start)",
  ],
  [
    "the queue restarts → first request served through it",
    range(restarts.map((r) => r.toServed)),
    `≤ ${silenceMs} ms of the workers' silence + 1000 ms back-off after the old queue died`,
  ],
];
console.log(
  `Paranoid Pirate, Guide timings (heartbeat ${HEARTBEAT_INTERVAL_MS} ms, liveness ${HEARTBEAT_LIVENESS}):\n`,
);
console.log("| fault → event | measured | the protocol's bound |\n| --- | --- | --- |");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
