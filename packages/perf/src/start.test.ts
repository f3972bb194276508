import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

describe("pnpm --filter perf start", () => {
  it("runs every tool on small counts, prints libzmq's lines, and every role ends cleanly", async () => {
    const result = await runRoleProcess("src/start.ts", ["--free-ports"]).exited;
    expect(result.stdout).toMatch(/^\[local_thr\] mean throughput: \d+ \[msg\/s\]$/m);
    expect(result.stdout).toMatch(/^\[local_thr\] mean throughput: \d+\.\d{3} \[Mb\/s\]$/m);
    expect(result.stdout).toMatch(/^\[remote_lat\] average latency: \d+\.\d{3} \[us\]$/m);
    expect(result.stdout).toMatch(/^\[inproc_thr\] message count: 50000$/m);
    expect(result.stdout).toMatch(/^\[inproc_lat\] roundtrip count: 5000$/m);
    expect(result.stdout).toContain("[start] every role ended cleanly");
    expect(result.code).toBe(0);
  });
});
