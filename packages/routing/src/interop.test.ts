import { spawn, spawnSync } from "node:child_process";
import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { asyncServerDefaults, runAsyncServer } from "./async-server.ts";

// Interoperability with another ZeroMQ implementation: asyncsrv's client in Python (pyzmq, its own
// libzmq build), in interop/, against our server. Skipped, and says so, without pyzmq.
const python = ["python3", "/usr/bin/python3"].find(
  (candidate) => spawnSync(candidate, ["-c", "import zmq"], { stdio: "ignore" }).status === 0,
);
const why = python ? "" : " (skipped: needs python3 with pyzmq: apt install python3-zmq)";

describe.skipIf(!python)(`interop with pyzmq${why}`, () => {
  it("a Python DEALER client gets one reply or more to each of its requests from our async-server, and only its own", async () => {
    const server = startRole(runAsyncServer, {
      ...asyncServerDefaults,
      bind: [EPHEMERAL],
      backend: "inproc://interop",
      workers: 2,
      minReplies: 1,
      maxReplies: 2,
      maxReplyDelayMs: 20,
    });
    const [endpoint] = await server.ready;
    const run = await new Promise<string>((resolve, reject) => {
      const child = spawn(python!, [
        "interop/async_client.py",
        endpoint!,
        "py-client",
        "3",
        "1000", // ms to listen on for extra replies, once each request has had one
      ]);
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk;
      });
      child.on("error", reject);
      child.on("close", () => resolve(out));
    });
    const tally = await server.stop();
    const replies = [...run.matchAll(/received (.*) \((\d) frame\(s\)\)/g)];
    for (const [, body, frames] of replies) {
      expect(body).toMatch(/^request #[123] from py-client$/);
      expect(frames).toBe("1");
    }
    expect(new Set(replies.map((match) => match[1]))).toEqual(
      new Set([
        "request #1 from py-client",
        "request #2 from py-client",
        "request #3 from py-client",
      ]),
    );
    expect(replies).toHaveLength(tally.routed.get('"py-client"')!);
  });
});
