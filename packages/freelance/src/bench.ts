// `pnpm --filter freelance bench` (or `pnpm bench`): the average round trip of each Freelance
// model over 10,000 requests, with 1 and with 3 servers (the figure the Guide's flclient2 and
// flclient3 print), and how the shotgun's cost grows with the number of servers it asks.
// Real processes on tcp://127.0.0.1, each client one request at a time. Prints Markdown tables;
// docs/freelance.md and docs/performance.md quote them. Takes about two minutes.
import { freePorts, type RoleChild, runRoleProcess } from "@zmq-patterns/helpers";

const REQUESTS = 10_000;
const RUNS = 3;
const models = {
  1: { server: "src/server1.ts", client: "src/client1.ts" },
  2: { server: "src/server2.ts", client: "src/client2.ts" },
  3: { server: "src/server3.ts", client: "src/client3.ts" },
} as const;

/** One client run against `count` fresh servers: the client's own "average round trip cost". */
async function averageRoundTrip(model: keyof typeof models, count: number): Promise<number> {
  const endpoints = (await freePorts(count)).map((port) => `tcp://127.0.0.1:${port}`);
  const servers: RoleChild[] = endpoints.map((endpoint) =>
    runRoleProcess(
      models[model].server,
      ["--bind", endpoint, "--endpoint", endpoint].slice(0, model === 3 ? 4 : 2),
    ),
  );
  await Promise.all(servers.map((server) => server.waitForLine(/service is ready/)));
  const client = runRoleProcess(models[model].client, [
    ...["--connect", endpoints.join(","), "--requests", String(REQUESTS), "--quiet"],
  ]);
  const [, usec] = await client.waitForLine(/average round trip cost: (\d+) usec/);
  const result = await client.exited;
  if (result.code !== 0)
    throw new Error(`model ${model} client failed:\n${result.stdout}${result.stderr}`);
  for (const server of servers) server.signal("SIGTERM");
  await Promise.all(servers.map((server) => server.exited));
  return Number(usec);
}

async function median(model: keyof typeof models, count: number): Promise<string> {
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run++) runs.push(await averageRoundTrip(model, count));
  runs.sort((a, b) => a - b);
  return `${runs[Math.floor(RUNS / 2)]} µs (${runs[0]}–${runs.at(-1)})`;
}

const rows: string[][] = [];
for (const model of [1, 2, 3] as const) {
  rows.push([`model ${model}`, await median(model, 1), await median(model, 3)]);
}
console.log(
  `Average round trip over ${REQUESTS.toLocaleString("en")} requests, median of ${RUNS} runs (min–max):\n`,
);
console.log("| model | 1 server | 3 servers |\n| --- | --- | --- |");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);

const shotgun: string[][] = [];
for (const count of [1, 2, 3, 4]) shotgun.push([String(count), await median(2, count)]);
console.log("\nThe shotgun (model 2) asking every server:\n");
console.log("| servers | average round trip |\n| --- | --- |");
for (const row of shotgun) console.log(`| ${row.join(" | ")} |`);
