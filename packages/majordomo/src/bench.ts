// `pnpm --filter majordomo bench`: what a Majordomo hop costs. Round trips per second for one
// synchronous client (client-api.ts) through our broker to one echo worker, against the broker
// package's rrbroker (ROUTER/DEALER, REP echo worker) on the same setup; the async client with
// 1 and 4 workers; the µs a broker hop adds against a direct REQ/REP; and, when python3 has
// pyzmq, our Python peers (interop/, frame for frame the Guide's) side by side. Each broker and
// worker is its own process; the clients run here. Prints a Markdown table (docs/performance.md).

import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { freePorts, type RoleChild, runRoleProcess } from "@zmq-patterns/helpers";
import { Request } from "zeromq";
import { MajordomoAsyncClient } from "./async-client-api.ts";
import { MajordomoClient } from "./client-api.ts";

const RUNS = 5;
const ROUND_TRIPS = 5000;
// Every process is fresh in each run: let V8 compile the hot paths (broker, worker, client)
// before the clock starts, or the first case to warm up looks slower than it is.
const WARM_UP = 2000;
const ASYNC_REQUESTS = 20_000;
const WINDOW = 100;
const brokerPackage = resolve(import.meta.dirname, "../../broker");
const here = resolve(import.meta.dirname, "..");

const stopAll = async (roles: RoleChild[]) => {
  for (const role of roles) role.signal("SIGTERM");
  await Promise.all(roles.map((role) => role.exited));
};
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const perSecond = (count: number, start: number) => (count * 1000) / (performance.now() - start);

/** Our broker and `workers` echo workers, each a process, all registered. */
async function majordomo(workers: number) {
  const [port] = await freePorts(1);
  const endpoint = `tcp://127.0.0.1:${port}`;
  const broker = runRoleProcess("src/broker.ts", ["--bind", endpoint], here);
  const echo = Array.from({ length: workers }, (_, i) =>
    runRoleProcess("src/worker.ts", ["--connect", endpoint, "--name", `echo-${i + 1}`], here),
  );
  for (let i = 1; i <= workers; i++)
    await broker.waitForLine(new RegExp(`worker "echo-${i}-\\w+" ready`));
  return { endpoint, roles: [broker, ...echo] };
}

async function syncMajordomo(): Promise<number> {
  const { endpoint, roles } = await majordomo(1);
  const client = new MajordomoClient({ broker: endpoint });
  for (let n = 0; n < WARM_UP; n++) await client.request("echo", "warm-up");
  const start = performance.now();
  for (let n = 0; n < ROUND_TRIPS; n++) await client.request("echo", "0123456789abcdef");
  const rate = perSecond(ROUND_TRIPS, start);
  client.close();
  await stopAll(roles);
  return rate;
}

async function asyncMajordomo(workers: number): Promise<number> {
  const { endpoint, roles } = await majordomo(workers);
  const client = new MajordomoAsyncClient({ broker: endpoint });
  for (let n = 0; n < WARM_UP; n++) {
    await client.send("echo", "warm-up");
    await client.receive();
  }
  const start = performance.now();
  let sent = 0;
  for (; sent < WINDOW; sent++) await client.send("echo", String(sent));
  for (let received = 0; received < ASYNC_REQUESTS; received++) {
    if ((await client.receive({ timeoutMs: 10_000 })) === null)
      throw new Error("a reply went missing");
    if (sent < ASYNC_REQUESTS) await client.send("echo", String(sent++));
  }
  const rate = perSecond(ASYNC_REQUESTS, start);
  client.close();
  await stopAll(roles);
  return rate;
}

/** Round trips of a plain REQ to `endpoint`, where an echo REP answers (directly or through a broker). */
async function plainRoundTrips(socket: Request): Promise<number> {
  for (let n = 0; n < WARM_UP; n++) {
    await socket.send("warm-up");
    await socket.receive();
  }
  const start = performance.now();
  for (let n = 0; n < ROUND_TRIPS; n++) {
    await socket.send("0123456789abcdef");
    await socket.receive();
  }
  return perSecond(ROUND_TRIPS, start);
}

/** The broker package's rrbroker and echo worker (REP), as processes, and a REQ client here. */
async function rrbroker(): Promise<number> {
  const [front, back] = await freePorts(2);
  const broker = runRoleProcess(
    "src/broker.ts",
    ["--frontend", `tcp://127.0.0.1:${front}`, "--backend", `tcp://127.0.0.1:${back}`],
    brokerPackage,
  );
  await broker.waitForLine(/bound to .*:\d+/);
  const worker = runRoleProcess(
    "src/worker.ts",
    ["--connect", `tcp://127.0.0.1:${back}`, "--work-ms", "0", "--echo", "--quiet"],
    brokerPackage,
  );
  await worker.waitForLine(/connected to/);
  const socket = new Request({ linger: 0 });
  socket.connect(`tcp://127.0.0.1:${front}`);
  const rate = await plainRoundTrips(socket);
  socket.close();
  await stopAll([broker, worker]);
  return rate;
}

/** A REQ here straight to an echo REP in this process's peer: the broker package's worker, connecting to us. */
async function direct(): Promise<number> {
  const socket = new Request({ linger: 0 });
  await socket.bind("tcp://127.0.0.1:*");
  const worker = runRoleProcess(
    "src/worker.ts",
    ["--connect", socket.lastEndpoint!, "--work-ms", "0", "--echo", "--quiet"],
    brokerPackage,
  );
  await worker.waitForLine(/connected to/);
  const rate = await plainRoundTrips(socket);
  socket.close();
  await stopAll([worker]);
  return rate;
}

const python = ["python3", "/usr/bin/python3"].find(
  (candidate) => spawnSync(candidate, ["-c", "import zmq"], { stdio: "ignore" }).status === 0,
);

/** Our Python peers (interop/), broker, worker and client, each a process, side by side. */
async function pythonTrio(): Promise<number> {
  const [port] = await freePorts(1);
  const endpoint = `tcp://127.0.0.1:${port}`;
  const { spawn } = await import("node:child_process");
  const run = (script: string, args: string[]) =>
    spawn(python!, [resolve(here, "interop", script), ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
  const broker = run("mdbroker.py", [endpoint]);
  const worker = run("mdworker.py", [
    endpoint,
    "echo",
    "--requests",
    String(ROUND_TRIPS + 1),
    "--quiet",
  ]);
  const client = run("mdclient.py", [
    endpoint,
    "echo",
    "--requests",
    String(ROUND_TRIPS),
    "--quiet",
  ]);
  let output = "";
  client.stdout.on("data", (chunk) => {
    output += chunk;
  });
  await new Promise((done) => client.on("close", done));
  broker.kill("SIGKILL");
  worker.kill("SIGKILL");
  const match = output.match(/([\d.]+) round trips\/s/);
  if (!match) throw new Error(`no rate from mdclient.py: ${output}`);
  return Number(match[1]);
}

const cases: [string, () => Promise<number>][] = [
  ["direct REQ → REP (no broker)", direct],
  ["rrbroker (broker package) → REP, sync REQ", rrbroker],
  ["majordomo broker → 1 echo worker, sync client", syncMajordomo],
  ["majordomo, async client (100 in flight), 1 worker", () => asyncMajordomo(1)],
  ["majordomo, async client (100 in flight), 4 workers", () => asyncMajordomo(4)],
];
if (python) cases.push(["Python peers (interop/*.py) side by side, sync", pythonTrio]);

// Runs interleaved (every case once, then again...), so that a noisy neighbour on a shared
// machine slows every case alike and the ratios stay meaningful.
const rates = new Map<string, number[]>(cases.map(([label]) => [label, []]));
for (let run = 1; run <= RUNS; run++) {
  for (const [label, what] of cases) {
    const rate = await what();
    rates.get(label)!.push(rate);
    console.error(`[bench] run ${run}/${RUNS} ${label}: ${Math.round(rate)} round trips/s`);
  }
}
const results = new Map(
  [...rates].map(([label, values]) => [
    label,
    { median: median(values), min: Math.min(...values), max: Math.max(...values) },
  ]),
);
const fmt = (n: number) => Math.round(n).toLocaleString("en");
console.log(
  `${ROUND_TRIPS.toLocaleString("en")} sync round trips (async: ${ASYNC_REQUESTS.toLocaleString("en")}) of 16 B over tcp://127.0.0.1, ${RUNS} runs each, median and spread:\n`,
);
console.log("| case | round trips/s (median) | spread (min–max) |");
console.log("| --- | --- | --- |");
for (const [label, { median, min, max }] of results)
  console.log(`| ${label} | ${fmt(median)} | ${fmt(min)} – ${fmt(max)} |`);
const rate = (label: string) => results.get(label)!.median;
const mdp = rate("majordomo broker → 1 echo worker, sync client");
const rr = rate("rrbroker (broker package) → REP, sync REQ");
const dir = rate("direct REQ → REP (no broker)");
const hopUs = (1e6 / mdp - 1e6 / dir) / 2;
console.log(`\nmajordomo / rrbroker: ${Math.round((mdp / rr) * 100)}% (target ≥ 90%)`);
console.log(
  `a majordomo round trip costs ${fmt(1e6 / mdp)} µs against ${fmt(1e6 / dir)} µs direct: ${fmt(hopUs)} µs per broker hop (two hops per round trip)`,
);
if (python) {
  const py = rate("Python peers (interop/*.py) side by side, sync");
  console.log(
    `majordomo / Python peers: ${(mdp / py).toFixed(1)}× (target ≥ 2× the Guide's Python)`,
  );
}
