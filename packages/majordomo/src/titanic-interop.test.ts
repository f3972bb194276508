import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { atProcessEnd } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { brokerDefaults, runBroker } from "./broker.ts";
import { runTitanic, titanicDefaults } from "./titanic.ts";
import { MajordomoWorker } from "./worker-api.ts";

// Interoperability: a Titanic client written in Python with pyzmq (its own libzmq build), in
// interop/ticlient.py, against our broker and Titanic: the same frames as the Guide's ticlient.
// CI installs pyzmq (Debian's python3-zmq); without it this test is skipped and says so.
const python = ["python3", "/usr/bin/python3"].find(
  (candidate) => spawnSync(candidate, ["-c", "import zmq"], { stdio: "ignore" }).status === 0,
);
const why = python ? "" : " (skipped: needs python3 with pyzmq: apt install python3-zmq)";

afterEach(() => {
  vi.restoreAllMocks();
});

function runPython(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(python!, args, { stdio: ["ignore", "pipe", "inherit"] });
  const forget = atProcessEnd(() => child.kill("SIGKILL"));
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  return new Promise((resolve) =>
    child.on("close", (code) => {
      forget();
      console.log(stdout); // a failing test shows the peer's side too
      resolve({ code, stdout });
    }),
  );
}

describe.skipIf(!python)(`Titanic with a Python (pyzmq) Titanic client${why}`, () => {
  it("accepts its request while no worker exists, answers it once one comes, and closes it", async () => {
    const log = watchLog();
    const broker = startRole(runBroker, { ...brokerDefaults, bind: [EPHEMERAL], heartbeatMs: 500 });
    const [endpoint] = (await broker.ready) as [string];
    const dir = join(mkdtempSync(join(tmpdir(), "titanic-interop-")), "store");
    const titanic = startRole(runTitanic, {
      ...titanicDefaults,
      connect: [endpoint],
      dir,
      heartbeatMs: 500,
      dispatchIntervalMs: 200,
    });
    await log.waitFor(/\[broker\] worker "titanic\.close-\w+" ready/);
    const peer = runPython(["interop/ticlient.py", "--connect", endpoint, "--body", "from Python"]);
    const { match } = await log.waitFor(/accepted (\w{32}) for "echo"/);
    const worker = new MajordomoWorker({ broker: endpoint, service: "echo", heartbeatMs: 500 });
    const serving = worker.serve((body) => body);

    const { code, stdout } = await peer;
    expect(code).toBe(0);
    expect(stdout).toContain(`I: request UUID ${match[1]}`);
    expect(stdout).toContain("I: reply: from Python");
    expect(stdout).toContain("I: closed: 200");
    expect(readdirSync(dir)).toEqual(["damaged"]); // closed: nothing left but the damaged folder
    worker.close();
    await serving;
    await titanic.stop();
    await broker.stop();
  });
});
