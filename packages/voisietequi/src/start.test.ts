import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter voisietequi start <scenario>`, as a real child process with each role
// in its own process. --free-ports swaps the seed's ports for free ones; --store keeps the test's
// results out of the package's data/ folder.
const start = async (scenario: string) => {
  const store = join(await mkdtemp(join(tmpdir(), "voisietequi-start-")), "results.jsonl");
  return runRoleProcess("src/start.ts", [scenario, "--free-ports", `--store=${store}`]).exited;
};

describe("pnpm --filter voisietequi start", () => {
  it("basic: three computers answer the commands and the saver stores all 24 results", async () => {
    const result = await start("basic");
    for (const name of ["computer-1", "computer-2", "computer-3"]) {
      expect(result.stdout).toMatch(
        new RegExp(`\\[server\\] ${name} answered "ok" to command \\d`),
      );
      expect(result.stdout).toContain(`[${name}] computed 8 results; still answering commands`);
    }
    expect(result.stdout).toContain("[saver] 0 results already in");
    expect(result.stdout).toContain("(24 this run, 24 in store)");
    expect(result.stdout).toContain("[saver] stopped after storing 24 results");
    expect(result.stdout).toContain("[start] every role ended cleanly");
    expect(result.code).toBe(0);
  });

  it("late-computer: the computer started after round 1 is configured by a later command", async () => {
    const result = await start("late-computer");
    const [round1] = result.stdout.match(/\[server\] round 1 closed .*\n/) ?? [];
    expect(round1).toMatch(/answered by computer-\d, computer-\d\n/);
    const [, command] = result.stdout.match(/\[computer-3\] configured by command (\d+)/) ?? [];
    expect(Number(command)).toBeGreaterThan(1);
    expect(result.stdout).toContain("[server] discovered computer-3");
    expect(result.stdout).toContain("[saver] stopped after storing 9 results");
    expect(result.code).toBe(0);
  });

  it("saver-restart: the second saver finds the first one's results and stores what came after", async () => {
    const result = await start("saver-restart");
    expect(result.stdout).toContain("[saver] stopped after storing 6 results");
    expect(result.stdout).toContain("[saver-again] 6 results already in");
    expect(result.stdout).toMatch(
      /\[saver-again\] stored computer-\d#\d+ .*\(1 this run, 7 in store\)/,
    );
    expect(result.stdout).toContain("[saver-again] stopped after storing 9 results");
    expect(result.stdout).toContain("[start] every role ended cleanly");
    expect(result.code).toBe(0);
  });

  it("refuses an unknown scenario and names the real ones", async () => {
    const result = await runRoleProcess("src/start.ts", ["nonsense"]).exited;
    expect(result.stderr).toContain(
      'no scenario "nonsense"; choose one of: basic, late-computer, saver-restart',
    );
    expect(result.code).toBe(2);
  });
});
