import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter reqrep start <scenario>`, as a real child process with each role
// in its own process. --free-ports swaps the Guide's ports for free ones so that packages can
// run these tests in parallel.
describe("pnpm --filter reqrep start", () => {
  it("basic: the client gets 5 Worlds and every role ends cleanly", async () => {
    const result = await runRoleProcess("src/start.ts", ["basic", "--free-ports"]).exited;
    expect(result.stdout).toContain('[client] received "World" (5/5)');
    expect(result.stdout).toContain("[server] stopped after answering 5 requests");
    expect(result.stdout).toContain("[start] every role ended cleanly");
    expect(result.code).toBe(0);
  });

  it("reverse: the client binds, the server connects, and it works the same", async () => {
    const result = await runRoleProcess("src/start.ts", ["reverse", "--free-ports"]).exited;
    expect(result.stdout).toMatch(/\[client\] bound to tcp:/);
    expect(result.stdout).toMatch(/\[server\] connecting to tcp:/);
    expect(result.stdout).toContain("[client] done: 5 of 5 replies");
    expect(result.code).toBe(0);
  });

  it("two-servers: requests alternate, three to each server", async () => {
    const result = await runRoleProcess("src/start.ts", ["two-servers", "--free-ports"]).exited;
    expect(result.stdout).toContain("[server-a] stopped after answering 3 requests");
    expect(result.stdout).toContain("[server-b] stopped after answering 3 requests");
    expect(result.code).toBe(0);
  });

  it("refuses an unknown scenario and names the real ones", async () => {
    const result = await runRoleProcess("src/start.ts", ["nonsense"]).exited;
    expect(result.stderr).toContain(
      'no scenario "nonsense"; choose one of: basic, reverse, two-servers',
    );
    expect(result.code).toBe(2);
  });
});
