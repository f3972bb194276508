import { freeEndpoint, runRoleProcess, unusedEndpoint } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// SIGINT (Ctrl-C) and SIGTERM: every role closes its sockets and exits 0, whatever it is doing.
// One run, four processes: a paired primary and backup (one of each server file), a third server
// on its own, and a client waiting for a reply that will not come. Each server file gets both
// signals. (SIGTERM to server.ts and to the client is also what ends `start` and the process tests.)
describe("stopping on a signal", () => {
  it("SIGINT and SIGTERM: paired servers of both files, a lone one, and a waiting client exit 0", async () => {
    const [primaryState, backupState] = [await freeEndpoint(), await freeEndpoint()];
    const server = (script: string, role: string, mine: string, peer: string) =>
      runRoleProcess(script, [
        ...["--role", role, "--frontend", "tcp://127.0.0.1:*"],
        ...["--state-pub", mine, "--state-sub", peer, "--heartbeat-ms", "500"],
      ]);
    const roles = {
      primary: server("src/server.ts", "primary", primaryState, backupState),
      backup: server("src/bstar-server.ts", "backup", backupState, primaryState),
      lone: server("src/bstar-server.ts", "primary", await freeEndpoint(), unusedEndpoint()),
      client: runRoleProcess("src/client.ts", [
        ...["--connect", `${unusedEndpoint()},${unusedEndpoint()}`, "--settle-ms", "100"],
      ]),
    };
    await roles.primary.waitForLine(/state PRIMARY -> ACTIVE/);
    await roles.backup.waitForLine(/state BACKUP -> PASSIVE/);
    await roles.lone.waitForLine(/PRIMARY: waiting for the peer's state/);
    await roles.client.waitForLine(/sending 1/);
    const signals = {
      primary: "SIGINT",
      backup: "SIGTERM",
      lone: "SIGINT",
      client: "SIGINT",
    } as const;
    for (const [name, role] of Object.entries(roles))
      role.signal(signals[name as keyof typeof roles]);
    for (const [name, role] of Object.entries(roles)) {
      const { code, stdout } = await role.exited;
      const label = name === "lone" ? "primary" : name;
      expect(stdout).toContain(
        `[${label}] ${signals[name as keyof typeof roles]} received, closing sockets`,
      );
      expect(code).toBe(0);
    }
    expect((await roles.primary.exited).stdout).toContain("[primary] stopped in ACTIVE");
    expect((await roles.backup.exited).stdout).toContain("[backup] stopped in PASSIVE");
    expect((await roles.lone.exited).stdout).toContain("[primary] stopped in PRIMARY");
    expect((await roles.client.exited).stdout).toContain(
      "[client] stopped: 0 of 10 requests answered",
    );
  });
});
