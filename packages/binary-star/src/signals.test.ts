import { freeEndpoint, runRoleProcess, unusedEndpoint } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// SIGINT (Ctrl-C) and SIGTERM: every role closes its sockets and exits 0, whatever it is doing.
// Each signal goes to both server files, one as primary and one as backup, paired, and to a
// client waiting for a reply that will not come.
describe("stopping on a signal", () => {
  for (const [signal, primaryScript, backupScript] of [
    ["SIGINT", "src/server.ts", "src/bstar-server.ts"],
    ["SIGTERM", "src/bstar-server.ts", "src/server.ts"],
  ] as const) {
    it(`${signal}: a paired primary (${primaryScript}), backup (${backupScript}) and a waiting client exit 0`, async () => {
      const [primaryState, backupState] = [await freeEndpoint(), await freeEndpoint()];
      const server = (script: string, role: string, mine: string, peer: string) =>
        runRoleProcess(script, [
          ...["--role", role, "--frontend", "tcp://127.0.0.1:*"],
          ...["--state-pub", mine, "--state-sub", peer, "--heartbeat-ms", "500"],
        ]);
      const primary = server(primaryScript, "primary", primaryState, backupState);
      const backup = server(backupScript, "backup", backupState, primaryState);
      const client = runRoleProcess("src/client.ts", [
        ...["--connect", `${unusedEndpoint()},${unusedEndpoint()}`, "--settle-ms", "100"],
      ]);
      await primary.waitForLine(/state PRIMARY -> ACTIVE/);
      await backup.waitForLine(/state BACKUP -> PASSIVE/);
      await client.waitForLine(/sending 1/);
      for (const role of [primary, backup, client]) role.signal(signal);
      const results = await Promise.all([primary.exited, backup.exited, client.exited]);
      for (const [name, result] of [
        ["primary", results[0]],
        ["backup", results[1]],
        ["client", results[2]],
      ] as const) {
        expect(result.stdout).toContain(`[${name}] ${signal} received, closing sockets`);
        expect(result.code).toBe(0);
      }
      expect(results[0].stdout).toContain("[primary] stopped in ACTIVE");
      expect(results[1].stdout).toContain("[backup] stopped in PASSIVE");
      expect(results[2].stdout).toContain("[client] stopped: 0 of 10 requests answered");
    });
  }
});
