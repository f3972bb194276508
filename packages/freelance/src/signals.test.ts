import { EPHEMERAL, runRoleProcess, unusedEndpoint } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// Every long-running role, as a real process: the servers serving, each client waiting for a
// reply that does not come. A Ctrl-C (SIGINT) or a SIGTERM closes their sockets and exits 0.
const roles: [string, string[], RegExp][] = [
  ["server1", ["--bind", EPHEMERAL], /echo service is ready/],
  ["server2", ["--bind", EPHEMERAL], /service is ready/],
  ["server3", ["--bind", EPHEMERAL, "--endpoint", "tcp://localhost:5555"], /service is ready/],
  ["client1", ["--timeout-ms", "60000"], /trying echo service/],
  ["client2", ["--timeout-ms", "60000"], /connecting to/],
  ["client3", ["--global-timeout-ms", "60000"], /connecting to/],
];

describe("every role closes its sockets and exits 0", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`on ${signal}`, async () => {
      const children = roles.map(([role, args]) =>
        runRoleProcess(`src/${role}.ts`, [
          ...args,
          ...(role.startsWith("client") ? ["--connect", unusedEndpoint()] : []),
        ]),
      );
      await Promise.all(children.map((child, i) => child.waitForLine(roles[i]![2])));
      for (const child of children) child.signal(signal);
      const results = await Promise.all(children.map((child) => child.exited));
      for (const [i, result] of results.entries()) {
        expect(result.stdout, roles[i]![0]).toMatch(`${signal} received, closing sockets`);
        expect(result.stderr, roles[i]![0]).not.toContain("E:");
      }
      expect(results.map((result) => result.code)).toEqual(roles.map(() => 0));
    });
  }
});
