import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter routing start <scenario>`, each role its own process.
// --free-ports: no clash with tests running in parallel.
const start = (scenario: string) =>
  runRoleProcess("src/start.ts", [scenario, "--free-ports"]).exited;

/** The boss's tally and the workers' own counts, by worker id. */
function tallies(stdout: string) {
  const boss = new Map(
    [...stdout.matchAll(/\[boss\] "([\w-]+)": (\d+) tasks/g)].map((m) => [m[1], Number(m[2])]),
  );
  const workers = new Map(
    [...stdout.matchAll(/\[\w+-worker ([\w-]+)\] Completed: (\d+) tasks/g)].map((m) => [
      m[1],
      Number(m[2]),
    ]),
  );
  return { boss, workers };
}

describe("pnpm --filter routing start", () => {
  // The four scenarios at once: they are independent, and each mostly waits.
  it.concurrent("routing: prints the combinations table, then the envelope chain, and exits 0", async () => {
    const { stdout, code } = await start("routing");
    expect(stdout).toContain("21 of 121 ordered pairs talk; 12 pairs either way round:");
    expect(stdout.indexOf("pairs either way round")).toBeLessThan(
      stdout.indexOf("[client] REQ sends"),
    );
    expect(stdout).toContain('[client] REQ took the empty delimiter off and gives back "World"');
    expect(stdout).toContain("[client] DEALER got one reply, to the second message");
    expect(stdout).toContain("[start] every role ended cleanly");
    expect(code).toBe(0);
  });

  for (const [scenario, kind] of [
    ["rtreq", "req-worker"],
    ["rtdealer", "dealer-worker"],
  ] as const) {
    it.concurrent(`${scenario}: 10 ${kind}s are fired, each after the tasks the boss counted for it`, async () => {
      const { stdout, code } = await start(scenario);
      const { boss, workers } = tallies(stdout);
      expect(workers.size).toBe(10);
      expect(boss).toEqual(workers);
      expect(stdout).toMatch(/\[boss\] \d+ tasks over 10 workers/);
      expect(stdout).toContain("[start] every role ended cleanly");
      expect(code).toBe(0);
    });
  }

  it.concurrent("asyncsrv: 3 clients get their replies while they send; the server and its 5 threads stop cleanly", async () => {
    const { stdout, code } = await start("asyncsrv");
    for (const match of stdout.matchAll(
      /\[client ([\w-]+)\] received "request #\d from ([\w-]+)"/g,
    )) {
      expect(match[2]).toBe(match[1]); // every reply went to the client that asked
    }
    expect([...stdout.matchAll(/\[client [\w-]+\] sent 4 requests/g)]).toHaveLength(3);
    expect([...stdout.matchAll(/\[server-worker-\d\] stopped after/g)]).toHaveLength(5);
    expect(stdout).toMatch(
      /\[server\] stopped after 12 requests, \d+ replies routed, 0 dropped, 5 workers stopped/,
    );
    expect(stdout).toContain("[start] every role ended cleanly");
    expect(code).toBe(0);
  });
});
