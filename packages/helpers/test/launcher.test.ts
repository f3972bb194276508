import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runScenario } from "../src/launcher.ts";
import { runRoleProcess } from "../src/testing.ts";

const fixture = fileURLToPath(new URL("./fixtures/exits.ts", import.meta.url));

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

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`on ${signal} stops every role and exits 0 when each stopped cleanly`, async () => {
      const start = runRoleProcess(
        fileURLToPath(new URL("./fixtures/scenario.ts", import.meta.url)),
      );
      await start.waitForLine(/\[client\] plain line/);
      start.signal(signal);
      const result = await start.exited;
      expect(result.stdout).toContain(`${signal} received; stopping server, client`);
      expect(result.stdout).toContain("interrupted; every role stopped cleanly");
      expect(result.code).toBe(0);
    });
  }
});
