import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter pirates start <scenario>`, each role its own process, faults
// injected by the launcher as they are announced. --free-ports: no clash with parallel tests.
const answeredIn = (output: string) =>
  [...output.matchAll(/\[client\] server replied OK \((\d+)\)/g)].map((match) => Number(match[1]));
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("pnpm --filter pirates start", () => {
  it("lazy: the server is killed and restarted; every request is answered once, in order", async () => {
    const { stdout, code } = await runRoleProcess("src/start.ts", ["lazy", "--free-ports"]).exited;
    expect(stdout).toContain("[start] killing server now (SIGKILL)");
    expect(stdout).toContain("[start] restarting server");
    expect(stdout).toMatch(/\[client\] W: no reply in 2500 ms/);
    expect(answeredIn(stdout)).toEqual(oneTo(8));
    expect(stdout).toContain("[start] every role ended cleanly");
    expect(code).toBe(0);
  });

  it("simple: a worker dies holding a request; the other serves the retry and the rest", async () => {
    const { stdout, code } = await runRoleProcess("src/start.ts", ["simple", "--free-ports"])
      .exited;
    expect(stdout).toContain("[start] killing worker-1 now (SIGKILL)");
    expect(answeredIn(stdout)).toEqual(oneTo(8));
    expect(stdout).toContain("[start] every role ended cleanly");
    expect(code).toBe(0);
  });

  it("paranoid: a hung worker is forgotten and comes back; the killed queue restarts and everyone reconnects", async () => {
    const { stdout, code } = await runRoleProcess("src/start.ts", ["paranoid", "--free-ports"])
      .exited;
    for (const announced of [
      "[start] hanging worker-1 now (SIGSTOP)",
      "[start] resuming worker-1 (SIGCONT)",
      "[start] killing queue now (SIGKILL)",
      "[start] restarting queue",
    ])
      expect(stdout).toContain(announced);
    expect(stdout).toMatch(
      /\[queue\] W: worker "worker-1-\w+" silent for 3000 ms \(3 heartbeats missed\); forgotten/,
    );
    expect(stdout).toMatch(
      /\[worker-2\] W: heartbeat failure: the queue was silent for 3000 ms; reconnecting in 1000 ms/,
    );
    expect(answeredIn(stdout)).toEqual(oneTo(40));
    expect(stdout).toContain("[start] every role ended cleanly");
    expect(code).toBe(0);
  });
});
