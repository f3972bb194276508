import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter inproc-pair start <scenario>`, as a real child process. inproc://
// uses no ports; --free-ports is passed as every package's start tests do, and changes nothing.
describe("pnpm --filter inproc-pair start", () => {
  it("relay: the chain completes three times and the process ends cleanly", async () => {
    const result = await runRoleProcess("src/start.ts", ["relay", "--free-ports"]).exited;
    expect(result.stdout).toContain("[relay] Test successful! (3/3)");
    expect(result.stdout).toContain("[relay] done: 3 of 3 rounds completed");
    expect(result.stdout).toContain("[start] every role ended cleanly");
    expect(result.code).toBe(0);
  });

  it("second-peer: step 2 hears only from the first peer", async () => {
    const result = await runRoleProcess("src/start.ts", ["second-peer", "--free-ports"]).exited;
    expect(result.stdout).toContain('[step2] received "READY again from the first peer"');
    expect(result.stdout).toContain("[step2] done: 2 messages, 0 from the second peer");
    expect(result.code).toBe(0);
  });

  it("refuses an unknown scenario and names the real ones", async () => {
    const result = await runRoleProcess("src/start.ts", ["nonsense"]).exited;
    expect(result.stderr).toContain('no scenario "nonsense"; choose one of: relay, second-peer');
    expect(result.code).toBe(2);
  });
});
