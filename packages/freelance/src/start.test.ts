import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter freelance start`, the three models in turn, each role its own
// process, a server killed in each as the launcher announces. --free-ports: no clash with
// parallel tests. (One run covers start:model1..3: `start` is those three, in turn.)
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const numbers = (text: string, pattern: RegExp) =>
  [...text.matchAll(pattern)].map((match) => Number(match[1]));

describe("pnpm --filter freelance start", () => {
  it("runs models 1, 2 and 3 in turn, a server killed in each; every request is answered", async () => {
    const { stdout, code } = await runRoleProcess("src/start.ts", ["--free-ports"]).exited;
    const [model1, model2, model3] = stdout.split(/\[start\] Freelance model \d/).slice(1) as [
      string,
      string,
      string,
    ];
    expect(model1).toContain("[start] killing server-1 now (SIGKILL)");
    expect(model1).toMatch(/\[client\] W: no response from tcp:\/\/localhost:\d+ in 1000 ms/);
    expect(numbers(model1, /\[client\] reply (\d+) from/g)).toEqual(oneTo(10));

    expect(model2).toContain("[start] killing server-2 now (SIGKILL)");
    expect(numbers(model2, /\[client\] reply (\d+) OK/g)).toEqual(oneTo(10));
    expect(model2).not.toContain("[client] W:"); // the shotgun does not even notice

    expect(model3).toContain("[start] killing server-1 now (SIGKILL)");
    expect(model3).toMatch(
      /\[client\] W: server tcp:\/\/localhost:\d+ connection closed; marked dead/,
    );
    expect(model3).toContain("[start] restarting server-1");
    expect(model3).toContain("[start] resuming client (SIGCONT)"); // paused while server-1 started
    expect(numbers(model3, /\[client\] reply (\d+) from/g)).toEqual(oneTo(40));
    // After its restart, server-1 serves again.
    const restarted = model3.split("[start] restarting server-1")[1]!;
    const server1 = model3.match(/\[client\] connecting to (tcp:\/\/localhost:\d+)/)![1]!;
    expect(restarted).toContain(`[client] server ${server1} is alive`);
    expect(restarted).toMatch(new RegExp(`\\[client\\] reply \\d+ from ${server1}`));

    expect(stdout.match(/\[start\] every role ended cleanly/g)).toHaveLength(3);
    expect(code).toBe(0);
  });
});
