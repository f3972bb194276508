import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runScenario } from "../src/launcher.ts";
import { freeEndpoint, runRoleProcess } from "../src/testing.ts";

const fixture = fileURLToPath(new URL("./fixtures/exits.ts", import.meta.url));
const echoServer = fileURLToPath(new URL("./fixtures/echo-server.ts", import.meta.url));
const lazyClient = fileURLToPath(new URL("./fixtures/lazy-client.ts", import.meta.url));

/** `start` on test/fixtures/scenario.ts, as its own process: its first scenario, or `name`. */
const startFixture = (...name: string[]) =>
  runRoleProcess(fileURLToPath(new URL("./fixtures/scenario.ts", import.meta.url)), name);

describe("runScenario", () => {
  const output: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    output.length = 0;
  });
  const capture = () => {
    const keep = (chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, "write").mockImplementation(keep);
    vi.spyOn(process.stderr, "write").mockImplementation(keep);
    vi.spyOn(console, "log").mockImplementation((line: string) => output.push(`${line}\n`));
    vi.spyOn(console, "error").mockImplementation((line: string) => output.push(`${line}\n`));
  };

  it("ends when the finishing role exits 0, stops the others with SIGTERM, and returns 0", async () => {
    capture();
    const code = await runScenario({
      title: "demo",
      roles: [
        { name: "server", script: fixture, args: ["--wait"], readyWhen: /labelled/ },
        { name: "client", script: fixture, args: ["0"], finishes: true },
      ],
    });
    expect(code).toBe(0);
    const text = output.join("");
    expect(text).toContain("[client] plain line without a label");
    expect(text).toContain("[labelled] line with its own label");
    expect(text).toContain("scenario complete; stopping server");
    expect(text).toContain("every role ended cleanly");
  });

  it("returns 1 and names the role when a role fails", async () => {
    capture();
    const code = await runScenario({
      title: "failing",
      roles: [
        { name: "server", script: fixture, args: ["--wait"], readyWhen: /labelled/ },
        { name: "client", script: fixture, args: ["3"], finishes: true },
      ],
    });
    expect(code).toBe(1);
    expect(output.join("")).toContain("client exited with code 3");
  });

  it("returns 1 when a role does not stop on SIGTERM", async () => {
    capture();
    const code = await runScenario({
      title: "stubborn",
      roles: [
        { name: "server", script: fixture, args: ["--stubborn"], readyWhen: /labelled/ },
        { name: "client", script: fixture, args: ["0"], finishes: true },
      ],
    });
    expect(code).toBe(1);
    expect(output.join("")).toContain("server did not stop within");
  });

  it("returns 1 when the scenario runs past its time limit", async () => {
    capture();
    const code = await runScenario({
      title: "endless",
      timeoutMs: 1000,
      roles: [{ name: "client", script: fixture, args: ["--wait"], finishes: true }],
    });
    expect(code).toBe(1);
    expect(output.join("")).toContain("scenario did not finish within 1000 ms");
  });

  it("injects its faults in order, announces each, a step without `after` right after the one before, and a role killed on purpose is no failure", async () => {
    capture();
    const endpoint = await freeEndpoint(); // the restarted server binds it again
    // The client ends only once two server processes have answered it, so only a scenario
    // whose every step ran can end; each step waits for a line that only its fault can cause.
    const code = await runScenario({
      title: "faults",
      roles: [
        { name: "server", script: echoServer, args: [endpoint], readyWhen: /bound to/ },
        { name: "client", script: lazyClient, args: [endpoint], finishes: true },
      ],
      faults: [
        { after: { role: "server", line: /bound to/ }, action: "hang", target: "server" },
        { after: { role: "client", line: /no reply/ }, action: "resume", target: "server" },
        { after: { role: "client", line: /reply "/ }, action: "kill", target: "server" },
        { action: "restart", target: "server" }, // at once, as the kill is done
      ],
    });
    const text = output.join("");
    expect(code, text).toBe(0);
    const announced = [
      "[start] hanging server now (SIGSTOP)",
      "[start] resuming server (SIGCONT)",
      "[start] killing server now (SIGKILL)",
      "[start] restarting server",
    ].map((line) => text.indexOf(line));
    expect(announced.every((at) => at >= 0)).toBe(true);
    expect(announced).toEqual(announced.toSorted((a, b) => a - b));
    // The hang was felt: the client went unanswered between hanging and resuming.
    expect(text.slice(announced[0], announced[1])).toContain("no reply to request 1");
    // The restarted server's own unlabelled line still carries the role's name.
    expect(text.slice(announced[3]).match(/\[server\] started as pid \d+/)).not.toBeNull();
    expect(text).not.toContain("server exited with");
    expect(text).toContain("every role ended cleanly");
  });

  it("a hung role is resumed before it is stopped, so it can still exit 0", async () => {
    capture();
    const code = await runScenario({
      title: "left hung",
      roles: [
        { name: "server", script: echoServer, readyWhen: /bound to/ },
        { name: "client", script: fixture, args: ["0"], finishes: true },
      ],
      faults: [{ after: { role: "server", line: /bound to/ }, action: "hang", target: "server" }],
    });
    const text = output.join("");
    expect(code, text).toBe(0);
    expect(text).toContain("[echo-server] SIGTERM received, closing sockets");
  });

  it("fails a scenario whose fault step never ran, naming the step", async () => {
    capture();
    const code = await runScenario({
      title: "fault that never comes",
      roles: [
        { name: "server", script: fixture, args: ["--wait"], readyWhen: /labelled/ },
        { name: "client", script: fixture, args: ["0"], finishes: true },
      ],
      faults: [
        { after: { role: "server", line: /labelled/ }, action: "hang", target: "server" },
        { after: { role: "client", line: /never printed/ }, action: "kill", target: "server" },
      ],
    });
    expect(code).toBe(1);
    expect(output.join("")).toContain("[start] E: fault step 2 (kill server) never ran");
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`on ${signal} stops every role and exits 0 when each stopped cleanly`, async () => {
      const start = startFixture();
      await start.waitForLine(/\[client\] plain line/);
      start.signal(signal);
      const result = await start.exited;
      expect(result.stdout).toContain(`${signal} received; stopping server, client`);
      expect(result.stdout).toContain("interrupted; every role stopped cleanly");
      expect(result.code).toBe(0);
    });
  }

  it("on a Ctrl-C, counts a role that died of it still starting (it had said nothing) as stopped", async () => {
    const start = startFixture("still-starting");
    await start.waitForLine(/\[server\] plain line/); // the client is spawned right after
    start.signal("SIGINT");
    const result = await start.exited;
    expect(result.stdout).toContain("[start] client was still starting when SIGTERM ended it");
    expect(result.stdout).toContain("interrupted; every role stopped cleanly");
    expect(result.code).toBe(0);
  });

  it("on a Ctrl-C, still fails a role that had started and dies of the signal", async () => {
    const start = startFixture("no-handler");
    await start.waitForLine(/\[client\] plain line/); // it has started: it should stop cleanly
    start.signal("SIGINT");
    const result = await start.exited;
    expect(result.stderr).toContain("[start] E: client exited with SIGTERM");
    expect(result.code).toBe(1);
  });

  it("takes a second Ctrl-C while the roles stop as what it is: logged, and the stop goes on", async () => {
    const start = startFixture("slow-stop");
    await start.waitForLine(/\[client\] plain line/);
    start.signal("SIGINT");
    const [, server] = await start.waitForLine(
      /\[server\] stopping; SIGUSR2 ends me \(pid (\d+)\)/,
    );
    start.signal("SIGINT"); // an impatient learner; it used to kill `start` (exit 130)
    await start.waitForLine(/SIGINT received too: already stopping/);
    process.kill(Number(server), "SIGUSR2");
    const result = await start.exited;
    expect(result.stdout).toContain("interrupted; every role stopped cleanly");
    expect(result.code).toBe(0);
  });
});
