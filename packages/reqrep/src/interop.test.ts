import { spawn, spawnSync } from "node:child_process";
import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { clientDefaults, runClient } from "./client.ts";
import { runServer, serverDefaults } from "./server.ts";

// Interoperability with another ZeroMQ implementation: the Guide's Hello World roles written
// in Python with pyzmq (its own libzmq build). CI installs it (Debian's python3-zmq); on a
// machine without pyzmq these tests are skipped and say so.
const python = ["python3", "/usr/bin/python3"].find(
  (candidate) => spawnSync(candidate, ["-c", "import zmq"], { stdio: "ignore" }).status === 0,
);
const interop = (name: string) => `${name} (needs python3 with pyzmq: apt install python3-zmq)`;

function runPython(
  script: string,
  args: string[],
): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(python!, [`interop/${script}`, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout })));
}

describe.skipIf(!python)("interoperability with the Guide's Python hwclient and hwserver", () => {
  it(interop("our server answers the Guide's Python client unchanged"), async () => {
    const server = startRole(runServer, {
      ...serverDefaults,
      bind: [EPHEMERAL],
      connect: [],
      workMs: 0,
    });
    const [endpoint] = await server.ready;
    const result = await runPython("hwclient.py", [endpoint!, "3"]);
    expect(result.stdout).toContain("[py-client] received World (3/3)");
    expect(result.code).toBe(0);
    expect(await server.stop()).toBe(3);
  });

  it(interop("our client talks to the Guide's Python server unchanged"), async () => {
    const child = spawn(python!, ["interop/hwserver.py", "tcp://127.0.0.1:*", "3"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const endpoint = await new Promise<string>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        const match = chunk.toString().match(/bound to (tcp:\/\/\S+)/);
        if (match?.[1]) resolve(match[1]);
      });
    });
    const replies = await runClient({ ...clientDefaults, connect: [endpoint], requests: 3 });
    expect(replies).toEqual(["World", "World", "World"]);
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
  });
});
