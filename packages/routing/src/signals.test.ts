import { EPHEMERAL, runRoleProcess, unusedEndpoint } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// Every long-running role, as a real process, stopped by a signal while it waits: it closes its
// sockets and exits 0. Half get SIGINT (Ctrl-C), half SIGTERM; both go through stopOnSignals.
const roles = [
  {
    script: "src/hop.ts",
    args: ["--frontend", EPHEMERAL, "--backend", EPHEMERAL],
    ready: /bound to[\s\S]*bound to/,
    signal: "SIGINT",
  },
  { script: "src/boss.ts", args: ["--bind", EPHEMERAL], ready: /bound to/, signal: "SIGTERM" },
  {
    script: "src/async-server.ts",
    args: ["--bind", EPHEMERAL, "--backend", "inproc://signals"],
    ready: /worker-5\] started/,
    signal: "SIGINT",
  },
  {
    script: "src/req-worker.ts",
    args: ["--connect", unusedEndpoint(), "--workers", "2"],
    ready: /connecting to/,
    signal: "SIGTERM",
  },
  {
    script: "src/dealer-worker.ts",
    args: ["--connect", unusedEndpoint()],
    ready: /connecting to/,
    signal: "SIGINT",
  },
  {
    script: "src/async-client.ts",
    args: ["--connect", unusedEndpoint()],
    ready: /sent "request #1/,
    signal: "SIGTERM",
  },
] as const;

describe("stopping", () => {
  it("every long-running role closes its sockets and exits 0 on SIGINT or SIGTERM", async () => {
    await Promise.all(
      roles.map(async ({ script, args, ready, signal }) => {
        const role = runRoleProcess(script, [...args]);
        await role.waitForLine(ready);
        role.signal(signal);
        const { code, stdout, stderr } = await role.exited;
        expect(stdout, script).toContain(`${signal} received, closing sockets`);
        expect(stderr, script).not.toMatch(/Error|E:/);
        expect(code, script).toBe(0);
      }),
    );
  });
});
