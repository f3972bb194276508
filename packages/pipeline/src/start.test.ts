import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter pipeline start <scenario>`, as a real child process with each role
// in its own process. --free-ports swaps the Guide's ports for free ones so that packages can
// run these tests in parallel.
const start = (scenario: string) =>
  runRoleProcess("src/start.ts", [scenario, "--free-ports"]).exited;

describe("pnpm --filter pipeline start", () => {
  it("basic: three workers share 40 tasks, each done once, and every role ends by itself", async () => {
    const result = await start("basic");
    expect(result.stdout).toContain("[ventilator] worker 3 of 3 connected");
    expect(result.stdout).toMatch(/\[sink\] Total elapsed time: \d+ msec/);
    expect(result.stdout).toMatch(
      /\[sink\] tasks per worker: worker-1: \d+, worker-2: \d+, worker-3: \d+\n/,
    );
    expect(result.stdout).toContain("[sink] every task, 1 to 40, came back exactly once");
    for (const worker of ["worker-1", "worker-2", "worker-3"]) {
      expect(result.stdout).toMatch(new RegExp(`\\[${worker}\\] KILL received after \\d+ tasks`));
    }
    expect(result.stdout).toContain("[start] every role ended cleanly");
    expect(result.code).toBe(0);
  });

  it("one-worker: one worker does all 40 tasks", async () => {
    const result = await start("one-worker");
    expect(result.stdout).toContain("[sink] tasks per worker: worker-1: 40");
    expect(result.stdout).toContain("[worker-1] KILL received after 40 tasks");
    expect(result.code).toBe(0);
  });

  it("four-workers: the tasks are dealt round robin, 10 to each worker", async () => {
    const result = await start("four-workers");
    expect(result.stdout).toContain(
      "[sink] tasks per worker: worker-1: 10, worker-2: 10, worker-3: 10, worker-4: 10",
    );
    expect(result.code).toBe(0);
  });

  it("early-connector: the ventilator sends once one worker is there, and the batch still completes", async () => {
    const result = await start("early-connector");
    expect(result.stdout).toContain("[ventilator] worker 1 of 1 connected");
    expect(result.stdout).toContain("[sink] every task, 1 to 40, came back exactly once");
    expect(result.code).toBe(0);
  });

  it("refuses an unknown scenario and names the real ones", async () => {
    const result = await runRoleProcess("src/start.ts", ["nonsense"]).exited;
    expect(result.stderr).toContain(
      'no scenario "nonsense"; choose one of: basic, one-worker, four-workers, early-connector',
    );
    expect(result.code).toBe(2);
  });
});
