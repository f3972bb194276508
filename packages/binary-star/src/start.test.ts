import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter binary-star start`, each role its own process, the faults injected
// by the launcher as they are announced. --free-ports: no clash with parallel tests.
const answeredIn = (output: string) =>
  [...output.matchAll(/\[client\] server replied OK \((\d+)\)/g)].map((match) => Number(match[1]));
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("pnpm --filter binary-star start", () => {
  it("the primary is killed and restarted: the backup takes over, the primary comes back passive, every request answered once", async () => {
    const { stdout, code } = await runRoleProcess("src/start.ts", ["--free-ports"]).exited;
    const inOrder = [
      "[primary] state PRIMARY -> ACTIVE: connected to backup (passive), ready as active",
      "[backup] state BACKUP -> PASSIVE: connected to primary (active), ready as passive",
      "[start] killing primary now (SIGKILL)",
      "[backup] W: the peer has been silent for 2000 ms: it counts as dead",
      "[backup] state PASSIVE -> ACTIVE: failover successful, ready as active",
      "[start] restarting primary",
      "[primary] state PRIMARY -> PASSIVE: connected to backup (active), ready as passive",
      "[client] done: 20 of 20 requests answered (failovers: 1)",
      "[start] every role ended cleanly",
    ];
    const positions = inOrder.map((line) => stdout.indexOf(line));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // The client's time-out and the backup's peer expiry run on clocks of their own (its
    // request's, the last state message's): either may come first, both between the kill and
    // the backup taking over.
    const timedOut = stdout.indexOf("[client] W: no reply in 1000 ms from", positions[2]);
    expect(timedOut).toBeGreaterThan(positions[2]!);
    expect(timedOut).toBeLessThan(positions[4]!);
    expect(answeredIn(stdout)).toEqual(oneTo(20));
    expect(code).toBe(0);
  });
});
