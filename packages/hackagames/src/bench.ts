// `pnpm --filter hackagames bench`: what the hub costs. 1, 10 and 50 tables of Connect 4, two
// random bots each, all playing at once: directly (each table its own ROUTER) and through a hub
// (a process of its own). Moves per second, µs added per move, and the hub's CPU per move.
// Prints a Markdown table; docs/performance.md quotes it. Takes about a minute.
import { readdirSync, readFileSync } from "node:fs";
import { runRoleProcess } from "@zmq-patterns/helpers";
import { botDefaults, runBot } from "./bot.ts";
import { gameServerDefaults, runGameServer, type SessionReport } from "./game-server.ts";

const RUNS = 3;
/** Tables, and games per table: about the same number of moves in every case. */
const CASES: [tables: number, games: number][] = [
  [1, 60],
  [10, 6],
  [50, 2],
];
const EPHEMERAL = "tcp://127.0.0.1:*";

/** CPU time (user + system, in µs) of a process and all its descendants, from /proc. */
function cpuMicros(root: number): number {
  const stats = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        return [
          {
            pid: Number(pid),
            ppid: Number(fields[1]),
            ticks: Number(fields[11]) + Number(fields[12]),
          },
        ];
      } catch (error) {
        if ((error as { code?: string }).code === "ENOENT") return []; // it ended meanwhile
        throw error;
      }
    });
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const stat of stats) {
      if (!tree.has(stat.pid) && tree.has(stat.ppid)) {
        tree.add(stat.pid);
        grew = true;
      }
    }
  }
  const ticks = stats.filter((s) => tree.has(s.pid)).reduce((sum, s) => sum + s.ticks, 0);
  return (ticks / 100) * 1e6; // USER_HZ is 100 on Linux
}

const quiet = <T>(work: () => Promise<T>): Promise<T> => {
  const log = console.log;
  console.log = () => {}; // the roles log every move: that would be the bench
  return work().finally(() => {
    console.log = log;
  });
};

/** N tables with two bots each; the tables connect to `hub`, or bind their own ROUTER. */
async function play(tables: number, games: number, hub?: { players: string; tables: string }) {
  const start = performance.now();
  const servers: Promise<SessionReport[]>[] = [];
  const bots: Promise<unknown>[] = [];
  for (let t = 0; t < tables; t++) {
    const endpoint = new Promise<string>((ready) => {
      servers.push(
        runGameServer({
          ...gameServerDefaults,
          ...(hub ? { hub: hub.tables } : { bind: [EPHEMERAL] }),
          publish: [],
          game: "connect4",
          games,
          sessions: 1,
          seed: t + 1,
          name: `table-${t}`,
          onReady: ([first]) => ready(hub ? hub.players : first!),
        }),
      );
    });
    const connect = [await endpoint];
    for (const seat of [1, 2]) {
      const seed = t * 2 + seat;
      bots.push(runBot({ ...botDefaults, connect, strategy: "random", seed, name: `b${seed}` }));
    }
  }
  const reports = await Promise.all(servers);
  await Promise.all(bots);
  const ms = performance.now() - start;
  const moves = reports
    .flat()
    .flatMap((r) => r.games)
    .reduce((n, g) => n + g.moves.length, 0);
  return { ms, moves };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

const hub = runRoleProcess("src/hub.ts", ["--bind", EPHEMERAL, "--tables", EPHEMERAL]);
const [, players] = await hub.waitForLine(/bound to (tcp:\/\/\S+)/);
const [, tableEndpoint] = await hub.waitForLine(/tables connect to (tcp:\/\/\S+)/);
const endpoints = { players: players!, tables: tableEndpoint! };

const rows: string[] = [];
for (const [tables, games] of CASES) {
  const direct: number[] = [];
  const through: number[] = [];
  const hubCpu: number[] = [];
  let moves = 0;
  for (let run = 0; run < RUNS; run++) {
    const d = await quiet(() => play(tables, games));
    direct.push(d.moves / (d.ms / 1000));
    const before = cpuMicros(hub.pid);
    const h = await quiet(() => play(tables, games, endpoints));
    hubCpu.push((cpuMicros(hub.pid) - before) / h.moves);
    through.push(h.moves / (h.ms / 1000));
    moves = h.moves;
  }
  const [dm, hm] = [median(direct), median(through)];
  // All tables together make `rate` moves a second: each move costs 1/rate of the run.
  const added = (1 / hm - 1 / dm) * 1e6;
  rows.push(
    `| ${tables} | ${fmt(moves)} | ${fmt(dm)} | ${fmt(hm)} | ${Math.round((hm / dm) * 100)}% | ${fmt(added)} | ${fmt(median(hubCpu))} |`,
  );
}
hub.signal("SIGTERM");
await hub.exited;

console.log(
  `Connect 4, random bots, ${RUNS} runs per case (medians); bots and tables in one process, the hub in another.\n`,
);
console.log(
  "| tables | moves per run | direct moves/s | through the hub moves/s | hub/direct | µs added per move | hub CPU µs per move |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const row of rows) console.log(row);
