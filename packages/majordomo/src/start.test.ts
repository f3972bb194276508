import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter majordomo start`, each role its own process, the fault injected by
// the launcher as it is announced. --free-ports: no clash with parallel tests.
const repliesOf = (output: string, client: string) =>
  [
    ...output.matchAll(new RegExp(`\\[${client}\\] reply (\\d+) from "(\\w+)": hello (\\d+)`, "g")),
  ].map((match) => `${match[2]} ${match[1]}=${match[3]}`);
const expected = (service: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${service} ${i + 1}=${i + 1}`);

describe("pnpm --filter majordomo start", () => {
  it("services: a worker killed holding a request; every request of both clients is answered once, in order, by its service", async () => {
    const { stdout, code } = await runRoleProcess("src/start.ts", ["--free-ports"]).exited;
    expect(stdout).toContain("[start] killing echo-1 now (SIGKILL)");
    expect(stdout).toMatch(/\[client-echo\] W: no reply from "echo" in 2500 ms/);
    expect(repliesOf(stdout, "client-echo")).toEqual(expected("echo", 10));
    expect(repliesOf(stdout, "client-audit")).toEqual(expected("audit", 6));
    expect(stdout).toContain("[start] every role ended cleanly");
    expect(code).toBe(0);
  });
});
