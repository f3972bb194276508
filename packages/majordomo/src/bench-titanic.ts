// `pnpm --filter majordomo bench` (Titanic's part; also `tsx src/bench-titanic.ts`): how many
// requests a second Titanic accepts with fsync on: each one written to its own file, flushed,
// renamed and its directory flushed before the "200". The broker and Titanic are real processes;
// the clients are synchronous MDP clients in this process. The store is on the package's disk
// (data/bench-titanic), not in /tmp (a tmpfs would make fsync free). Prints a Markdown table.
import { rmSync } from "node:fs";
import { freePorts, type RoleChild, roleLog, runRoleProcess } from "@zmq-patterns/helpers";
import { MajordomoClient } from "./client-api.ts";
import { openTitanicStore } from "./titanic-store.ts";

const DIR = "data/bench-titanic";
const SECONDS = 3;
const STORE_WRITES = 500;

/** The store alone, no network: durable writes a second, and the time each takes. */
async function storeAlone(): Promise<{ perSecond: number }> {
  rmSync(DIR, { recursive: true, force: true });
  const store = await openTitanicStore(DIR, roleLog("bench"));
  const body = [Buffer.from("Hello world")];
  const start = performance.now();
  for (let i = 0; i < STORE_WRITES; i++) await store.storeRequest("echo", body);
  const ms = performance.now() - start;
  return { perSecond: (STORE_WRITES * 1000) / ms };
}

/** `clients` synchronous clients sending titanic.request for SECONDS; accepted requests a second. */
async function accepted(clients: number, withWorker: boolean): Promise<number> {
  rmSync(DIR, { recursive: true, force: true });
  const [port] = await freePorts(1);
  const endpoint = `tcp://127.0.0.1:${port}`;
  const roles: RoleChild[] = [];
  const broker = runRoleProcess("src/broker.ts", ["--bind", endpoint]);
  roles.push(broker);
  await broker.waitForLine(/bound to/);
  roles.push(runRoleProcess("src/titanic.ts", ["--connect", endpoint, "--dir", DIR]));
  for (const service of ["request", "reply", "close"]) {
    await broker.waitForLine(new RegExp(`worker "titanic\\.${service}-\\w+" ready`));
  }
  if (withWorker) {
    roles.push(runRoleProcess("src/worker.ts", ["--connect", endpoint]));
    await broker.waitForLine(/worker "echo-\w+" ready/);
  }
  const quiet = {
    info() {},
    warn: roleLog("bench").warn,
    error: roleLog("bench").error,
    label: "",
  };
  let count = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new MajordomoClient({ broker: endpoint, log: quiet });
      while (performance.now() < end) {
        const [status] = (await client.request("titanic.request", "echo", "Hello world")) ?? [];
        if (status?.toString() === "200") count += 1;
      }
      client.close();
    }),
  );
  for (const role of roles) role.signal("SIGTERM");
  await Promise.all(roles.map((role) => role.exited));
  return count / SECONDS;
}

const RUNS = 3;
/** Median and spread of RUNS runs of `measure`. */
async function runs(measure: () => Promise<number>) {
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) rates.push(await measure());
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(RUNS / 2)]!, min: rates[0]!, max: rates[RUNS - 1]! };
}
const rows: [string, Awaited<ReturnType<typeof runs>>][] = [
  [
    "the store alone, no network (durable writes/s)",
    await runs(async () => (await storeAlone()).perSecond),
  ],
  ["1 client, no echo worker (requests pile up)", await runs(() => accepted(1, false))],
  ["4 clients, no echo worker", await runs(() => accepted(4, false))],
  ["1 client and an echo worker (replies stored too)", await runs(() => accepted(1, true))],
];
rmSync(DIR, { recursive: true, force: true });
const n = (rate: number) => Math.round(rate).toLocaleString("en");
console.log(`\nTitanic, fsync on (file and directory), ${SECONDS} s a run, ${RUNS} runs:\n`);
console.log("| case | accepted/s (median) | spread (min–max) |");
console.log("| --- | --- | --- |");
for (const [name, { median, min, max }] of rows) {
  console.log(`| ${name} | ${n(median)} | ${n(min)} – ${n(max)} |`);
}
const [alone, one, four, busy] = rows.map(([, { median }]) => median) as [
  number,
  number,
  number,
  number,
];
console.log(
  `\nOne durable write took ${((1000 * 1000) / alone).toFixed(0)} µs; through the broker one client got ${((100 * one) / alone).toFixed(0)}% of the store's rate, 4 clients ${((100 * four) / alone).toFixed(0)}%, and with an echo worker answering (a reply file per request as well) ${((100 * busy) / alone).toFixed(0)}%.`,
);
