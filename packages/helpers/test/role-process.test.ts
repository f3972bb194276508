import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runRoleProcess } from "../src/role-process.ts";

describe("runRoleProcess", () => {
  it("works in a plain process too (no vitest loaded), as benchmarks use it", async () => {
    const runner = fileURLToPath(new URL("./fixtures/plain-runner.ts", import.meta.url));
    const result = await runRoleProcess(runner).exited;
    expect(result.stdout).toContain("child said: plain line without a label; exit code 3");
    expect(result.code).toBe(0);
  });
});
