import { tmpdir } from "node:os";
import { join } from "node:path";
import { EPHEMERAL, runRoleProcess } from "@zmq-patterns/helpers/testing";
import { afterAll, describe, expect, it } from "vitest";
import { removeIpcFile } from "./bench/processes.ts";
import { runInprocLat } from "./inproc_lat.ts";
import { runInprocThr } from "./inproc_thr.ts";
import { isToolLine } from "./output.ts";
import { type ToolName, USAGE } from "./protocol.ts";

// Each tool as a real child process, as `pnpm --filter perf <tool> ...` runs it, on small counts.
// The binding tool says where it bound on stderr; its partner connects only then. stdout must
// hold exactly libzmq's lines, in libzmq's order, and nothing else.

const THR_LINES = [
  /^message size: 100 \[B\]$/,
  /^message count: 2000$/,
  /^mean throughput: \d+ \[msg\/s\]$/,
  /^mean throughput: \d+\.\d{3} \[Mb\/s\]$/,
];
const LAT_LINES = [
  /^message size: 10 \[B\]$/,
  /^roundtrip count: 200$/,
  /^average latency: \d+\.\d{3} \[us\]$/,
];

const stdoutLines = (stdout: string) => stdout.split("\n").filter((line) => line !== "");

function expectLines(stdout: string, expected: RegExp[]) {
  const lines = stdoutLines(stdout);
  expect(lines).toHaveLength(expected.length);
  lines.forEach((line, index) => {
    expect(line).toMatch(expected[index]!);
    expect(isToolLine(line)).toBe(true);
  });
}

async function runPair(local: ToolName, remote: ToolName, bind: string, args: string[]) {
  const binder = runRoleProcess(`src/${local}.ts`, [bind, ...args]);
  const [, endpoint] = await binder.waitForLine(/bound to (\S+)/);
  const connector = runRoleProcess(`src/${remote}.ts`, [endpoint!, ...args]);
  return { local: await binder.exited, remote: await connector.exited };
}

const ipcEndpoints: string[] = [];
const ipcEndpoint = (name: string) => {
  const endpoint = `ipc://${join(tmpdir(), `perf-test-${process.pid}-${name}`)}`;
  ipcEndpoints.push(endpoint);
  return endpoint;
};
afterAll(() => {
  for (const endpoint of ipcEndpoints) removeIpcFile(endpoint);
});

describe("the perf tools print libzmq's lines", () => {
  for (const [transport, bind] of [
    ["tcp", EPHEMERAL],
    ["ipc", ipcEndpoint("thr")],
  ] as const) {
    it(`local_thr + remote_thr over ${transport}: message size, count, msg/s and Mb/s`, async () => {
      const { local, remote } = await runPair("local_thr", "remote_thr", bind, ["100", "2000"]);
      expectLines(local.stdout, THR_LINES);
      expect(remote.stdout).toBe(""); // libzmq's remote_thr prints nothing either
      expect([local.code, remote.code]).toEqual([0, 0]);
    });
  }

  for (const [transport, bind] of [
    ["tcp", EPHEMERAL],
    ["ipc", ipcEndpoint("lat")],
  ] as const) {
    it(`local_lat + remote_lat over ${transport}: message size, roundtrip count, latency`, async () => {
      const { local, remote } = await runPair("local_lat", "remote_lat", bind, ["10", "200"]);
      expectLines(remote.stdout, LAT_LINES);
      expect(local.stdout).toBe(""); // as libzmq's local_lat
      expect([local.code, remote.code]).toEqual([0, 0]);
    });
  }

  it("inproc_thr: a worker thread receives and measures, the main thread prints", async () => {
    const result = await runRoleProcess("src/inproc_thr.ts", ["100", "2000"]).exited;
    expectLines(result.stdout, THR_LINES);
    expect(result.code).toBe(0);
  });

  it("inproc_thr with 64 KiB messages (sent without a copy) ends cleanly", async () => {
    const result = await runRoleProcess("src/inproc_thr.ts", ["65536", "500"]).exited;
    expect(stdoutLines(result.stdout)[0]).toBe("message size: 65536 [B]");
    expect(result.code).toBe(0);
  });

  for (const size of ["10", "65536"]) {
    it(`inproc_lat with ${size} B messages: the echo thread ends before the main thread, cleanly`, async () => {
      const result = await runRoleProcess("src/inproc_lat.ts", [size, "200"]).exited;
      expectLines(result.stdout, [
        new RegExp(`^message size: ${size} \\[B\\]$`),
        ...LAT_LINES.slice(1),
      ]);
      expect(result.code).toBe(0);
    });
  }

  it("every tool answers a wrong argument count with libzmq's usage line and exit code 1", async () => {
    const tools = Object.keys(USAGE) as ToolName[];
    const results = await Promise.all(
      tools.map((tool) => runRoleProcess(`src/${tool}.ts`, ["tcp://127.0.0.1:1", "x"]).exited),
    );
    results.forEach((result, index) => {
      expect(result.stdout.trim()).toBe(USAGE[tools[index]!]);
      expect(result.code).toBe(1);
    });
  });
});

describe("the waiting tools stop cleanly", () => {
  const waiting: [ToolName, string[]][] = [
    ["local_thr", [EPHEMERAL, "100", "1000"]],
    ["local_lat", [EPHEMERAL, "1", "1000"]],
  ];
  for (const [tool, args] of waiting) {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      it(`${tool} exits 0 on ${signal} while no partner came`, async () => {
        const child = runRoleProcess(`src/${tool}.ts`, args);
        await child.waitForLine(/bound to/);
        child.signal(signal);
        const result = await child.exited;
        expect(result.stdout).toContain(`[${tool}] ${signal} received, closing sockets`);
        expect(result.code).toBe(0);
      });
    }
  }

  // With nobody at the endpoint, ZeroMQ keeps reconnecting and holds the first send: the
  // connecting tools wait there until a signal stops them.
  for (const tool of ["remote_thr", "remote_lat"] as const) {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      it(`${tool} exits 0 on ${signal} while its peer never answers`, async () => {
        const child = runRoleProcess(`src/${tool}.ts`, ["tcp://127.0.0.1:1", "1", "1000"]);
        await child.waitForLine(/connecting to tcp:\/\/127\.0\.0\.1:1/);
        child.signal(signal);
        const result = await child.exited;
        expect(result.stdout).toContain(`[${tool}] ${signal} received, closing sockets`);
        expect(result.code).toBe(0);
      });
    }
  }
});

// In process: a stopped inproc tool posts its thread the stop message; the thread closes its
// socket and returns (never terminated from outside), and the tool returns without figures.
describe("the inproc tools stop their thread by a message", () => {
  it("inproc_thr, stopped as it starts sending, ends its receiving thread and prints nothing", async () => {
    const controller = new AbortController();
    const lines = await runInprocThr({
      messageSize: 1000,
      messageCount: 10_000_000,
      signal: controller.signal,
      onReady: () => controller.abort(),
    });
    expect(lines).toEqual([]);
  });

  it("inproc_lat, stopped as it starts, ends its echo thread and prints nothing", async () => {
    const controller = new AbortController();
    const lines = await runInprocLat({
      messageSize: 1000,
      roundtripCount: 10_000_000,
      signal: controller.signal,
      onReady: () => controller.abort(),
    });
    expect(lines).toEqual([]);
  });
});
