// Shared vitest settings: every package's vitest.config.ts re-exports this.
import { defineConfig } from "vitest/config";

const everyTest = [
  "src/**/*.test.ts",
  "exercises/**/*.test.ts",
  "test/**/*.test.ts",
  "tools/**/*.test.ts",
];

export default defineConfig({
  test: {
    // Forks, not threads: a zeromq receive still pending in a worker thread aborts the
    // whole run (exit 134). A child process per test file is also closer to how roles run.
    pool: "forks",
    // Tests bind ephemeral ports (tcp://127.0.0.1:*), so files run in parallel safely.
    // `pnpm --filter <pattern> exercise [nn]` sets EXERCISE=student: then only the exercise
    // tests run, against the student's files; otherwise all run, exercises against solutions.
    include: process.env.EXERCISE === "student" ? ["exercises/**/*.test.ts"] : everyTest,
    // A time-out catches a hang; it is not a speed check. Tests that start several roles as
    // tsx child processes, one after another, need their time on a busy 2-core CI machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Role output is shown for failing tests only; passing runs stay readable.
    silent: "passed-only",
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-report.json" },
  },
});
