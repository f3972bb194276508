import { EPHEMERAL, runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { Request } from "zeromq";

/** An address where nobody listens: a role connecting there keeps retrying, as it should. */
const NOBODY = "tcp://127.0.0.1:1";

// Every role as a real child process, as `pnpm --filter broker <role>` runs it: once it is up,
// SIGINT (Ctrl-C) or SIGTERM (what `start` sends) must close its sockets and exit with code 0.
const twoBinds = ["--frontend", EPHEMERAL, "--backend", EPHEMERAL];
const roles: { role: string; args: string[]; up: RegExp; stopped: RegExp }[] = [
  { role: "broker", args: twoBinds, up: /forwarding/, stopped: /stopped after 0 requests/ },
  { role: "proxy", args: twoBinds, up: /proxying/, stopped: /\] stopped$/m },
  { role: "worker", args: ["--connect", NOBODY], up: /connecting/, stopped: /answering 0 req/ },
  { role: "client", args: ["--connect", NOBODY], up: /connecting/, stopped: /0 of 10 replies/ },
  { role: "publisher", args: ["--bind", EPHEMERAL], up: /publishing/, stopped: /after \d+ up/ },
  {
    role: "forwarder",
    args: ["--publishers", NOBODY, "--subscribers", EPHEMERAL],
    up: /forwarding/,
    stopped: /stopped after 0 updates/,
  },
  { role: "subscriber", args: ["--connect", NOBODY], up: /subscribing/, stopped: /0 updates/ },
  { role: "streamer", args: twoBinds, up: /streaming/, stopped: /\] stopped$/m },
  {
    role: "ventilator",
    args: ["--connect", NOBODY, "--results", EPHEMERAL],
    up: /connecting/,
    stopped: /results: none/,
  },
  {
    role: "taskworker",
    args: ["--connect", NOBODY, "--results", NOBODY],
    up: /connecting/,
    stopped: /stopped after 0 tasks/,
  },
  { role: "lbbroker", args: twoBinds, up: /balancing/, stopped: /stopped after 0 requests/ },
  { role: "lbworker", args: ["--connect", NOBODY], up: /sent READY/, stopped: /answering 0 req/ },
];

describe.concurrent("every role exits 0 on SIGINT and SIGTERM", () => {
  for (const { role, args, up, stopped } of roles) {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      it(`${role} on ${signal}`, async () => {
        const child = runRoleProcess(`src/${role}.ts`, args);
        await child.waitForLine(up);
        child.signal(signal);
        const result = await child.exited;
        expect(result.stdout).toContain(`[${role}] ${signal} received, closing sockets`);
        const ownLines = result.stdout.split("\n").filter((line) => line.startsWith(`[${role}] `));
        expect(ownLines.join("\n")).toMatch(stopped);
        expect(result.code).toBe(0);
      });
    }
  }

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`mtserver on ${signal}, its worker threads included`, async () => {
      const child = runRoleProcess("src/mtserver.ts", [
        "--bind",
        EPHEMERAL,
        "--workers",
        "2",
        "--work-ms",
        "0",
      ]);
      const [, endpoint] = await child.waitForLine(/bound to (tcp:\/\/\S+)/);
      await child.waitForLine(/\[mtserver\] serving/);
      const client = new Request({ linger: 0 });
      client.connect(endpoint!);
      await client.send("Hello");
      expect(String(await client.receive())).toBe("World");
      client.close();

      child.signal(signal);
      const result = await child.exited;
      expect(result.stdout).toMatch(/\[mtserver-worker-1\] stopped after answering [01] requests/);
      expect(result.stdout).toMatch(/\[mtserver-worker-2\] stopped after answering [01] requests/);
      expect(result.stdout).toContain("[mtserver] stopped with its 2 worker threads");
      expect(result.code).toBe(0);
    });
  }
});
