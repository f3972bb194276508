import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter majordomo start titanic`, each role its own process, Titanic killed
// and restarted by the launcher as it announces. --free-ports: no clash with parallel tests.
describe("pnpm --filter majordomo start titanic", () => {
  it("requests stored before any worker exists, Titanic killed and restarted: every accepted request answered", async () => {
    const { stdout, code } = await runRoleProcess("src/start.ts", ["titanic", "--free-ports"])
      .exited;
    expect(stdout).toContain("[start] killing titanic now (SIGKILL)");
    expect(stdout).toContain("[start] restarting titanic");
    const pairs = (pattern: RegExp) =>
      new Map([...stdout.matchAll(pattern)].map(([, uuid, text]) => [uuid!, text!]));
    const accepted = pairs(/\[titanic-client\] accepted (\w{32}) for "([^"]+)"/g);
    const replies = pairs(/\[titanic-client\] reply to (\w{32}): "([^"]+)"/g);
    expect(accepted.size).toBe(5);
    expect(replies).toEqual(accepted); // each accepted request, its own reply
    // At least once: every request reached the worker (the one in flight at the kill, twice).
    for (const body of accepted.values()) expect(stdout).toContain(`[echo] request: ${body}`);
    // The worker came only after all five were stored.
    const lines = stdout.split("\n");
    const fifth = lines.findIndex((line) =>
      /\[titanic-client\] accepted .* "Hello world 5"/.test(line),
    );
    const workerUp = lines.findIndex((line) => line.startsWith("[echo] "));
    expect(fifth).toBeGreaterThanOrEqual(0);
    expect(workerUp).toBeGreaterThan(fifth);
    expect(stdout).toContain("[titanic-client] all 5 replies received");
    expect(stdout).toContain("[start] every role ended cleanly");
    expect(code).toBe(0);
  });
});
