import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { runKeygen } from "./keygen.ts";

// Every long-running role, as a real process, stops on SIGINT and on SIGTERM with exit code 0;
// so does a client still waiting for its reply. All at once, to keep the suite short.
describe("SIGINT and SIGTERM", () => {
  it("every server (SIGINT or SIGTERM), the relay and a waiting client (both) close their sockets and exit 0", async () => {
    const keys = mkdtempSync(join(tmpdir(), "security-signals-"));
    runKeygen({
      dir: keys,
      name: ["server", "client"],
      publicDir: join(keys, "allowed"),
      force: false,
      label: "keygen",
    });
    const bind = ["--bind", "tcp://127.0.0.1:*"];
    const cert = ["--cert", join(keys, "server.key_secret")];
    const roles: [string, string[], RegExp][] = [
      ["src/grasslands-server.ts", bind, /-server\] bound to tcp/],
      ["src/strawhouse-server.ts", bind, /-server\] bound to tcp/],
      ["src/woodhouse-server.ts", bind, /-server\] bound to tcp/],
      ["src/stonehouse-server.ts", [...bind, ...cert], /-server\] bound to tcp/],
      [
        "src/ironhouse-server.ts",
        [...bind, ...cert, "--allow-dir", join(keys, "allowed")],
        /-server\] bound to tcp/,
      ],
      ["src/relay.ts", ["--route", "0=127.0.0.1:9"], /listening on/],
      // Nobody answers on the discard port: the client waits for its reply when the signal comes.
      [
        "src/ironhouse-client.ts",
        [
          "--connect",
          "tcp://127.0.0.1:9",
          "--cert",
          join(keys, "client.key_secret"),
          "--server-key",
          join(keys, "server.key"),
          "--timeout-ms",
          "60000",
        ],
        /sent "Hello"/,
      ],
    ];
    // Both signals take the same path (stopOnSignals): the servers take turns, the relay and the
    // client get both.
    const signals = (index: number) =>
      index >= 5 ? (["SIGINT", "SIGTERM"] as const) : ([index % 2 ? "SIGTERM" : "SIGINT"] as const);
    const runs = roles.flatMap(([script, args, ready], index) =>
      signals(index).map(async (signal) => {
        const child = runRoleProcess(script, args);
        await child.waitForLine(ready);
        child.signal(signal);
        const result = await child.exited;
        return {
          script,
          signal,
          code: result.code,
          said: result.stdout.includes(`${signal} received`),
        };
      }),
    );
    for (const { script, signal, code, said } of await Promise.all(runs)) {
      expect({ script, signal, code, said }).toEqual({ script, signal, code: 0, said: true });
    }
  });
});
