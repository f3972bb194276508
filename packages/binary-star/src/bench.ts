// `pnpm --filter binary-star bench`: how long a Binary Star failover takes, from the primary's
// death (SIGKILL) to the client's first reply from the backup, with the Guide's timings
// (heartbeat 1000 ms, peer expiry 2000 ms, client time-out 1000 ms), against what the protocol
// allows: the peer expiry plus the client's time-out. Also without the client's settle delay,
// to show what it is for. Real processes on loopback. Prints a Markdown table (docs/performance.md).
import { freePorts, type RoleChild, runRoleProcess } from "@zmq-patterns/helpers";
import { PEER_EXPIRY_MS, REQUEST_TIMEOUT_MS, SETTLE_DELAY_MS } from "./protocol.ts";

const RUNS = 5;

async function failover(settleMs: number): Promise<{ ms: number; failovers: number }> {
  const [pf, bf, ps, bs] = (await freePorts(4)).map((port) => `tcp://127.0.0.1:${port}`);
  const server = (role: string, front: string, mine: string, peer: string) =>
    runRoleProcess("src/server.ts", [
      "--role",
      role,
      "--frontend",
      front,
      "--state-pub",
      mine,
      "--state-sub",
      peer,
    ]);
  const primary = server("primary", pf!, ps!, bs!);
  const backup = server("backup", bf!, bs!, ps!);
  await backup.waitForLine(/state BACKUP -> PASSIVE/);
  const client = runRoleProcess("src/client.ts", [
    ...["--connect", `${pf},${bf}`, "--requests", "100000", "--interval-ms", "50"],
    ...["--settle-ms", String(settleMs), "--failovers", "100"],
  ]);
  // Kill at a random moment between two replies, as a real crash would come.
  await client.waitForLine(/server replied OK \(5\)/);
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
  const since = client.lines.length;
  const start = performance.now();
  await primary.kill();
  await client.waitForLine(/server replied OK/, { since });
  const ms = performance.now() - start;
  const failovers = client.lines
    .slice(since)
    .filter((line) => line.includes("failing over")).length;
  await stopAll([backup, client]);
  return { ms, failovers };
}

const stopAll = async (roles: RoleChild[]) => {
  for (const role of roles) role.signal("SIGTERM");
  await Promise.all(roles.map((role) => role.exited));
};

const bound = PEER_EXPIRY_MS + REQUEST_TIMEOUT_MS;
const rows: string[] = [];
for (const settleMs of [SETTLE_DELAY_MS, 0]) {
  const runs: { ms: number; failovers: number }[] = [];
  for (let run = 0; run < RUNS; run++) runs.push(await failover(settleMs));
  const times = runs.map((r) => r.ms).sort((a, b) => a - b);
  const label = settleMs === SETTLE_DELAY_MS ? `${settleMs} ms (the Guide's)` : "0 (none)";
  rows.push(
    `| ${label} | ${Math.round(times[0]!)} | ${Math.round(times[Math.floor(times.length / 2)]!)} | ${Math.round(times.at(-1)!)} | ${runs.map((r) => r.failovers).join(", ")} | ${bound} |`,
  );
}
console.log(
  [
    `Failover, primary SIGKILLed to the first reply from the backup (${RUNS} runs each; heartbeat 1000 ms, peer expiry ${PEER_EXPIRY_MS} ms, client time-out ${REQUEST_TIMEOUT_MS} ms):`,
    "",
    "| client settle delay | min ms | median ms | max ms | failovers per run | expiry + time-out ms |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n"),
);
