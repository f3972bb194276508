// Runs a role's TypeScript file as a real child process and watches its output: for tests (a
// real SIGINT, a real `start`) and for benchmarks that run roles side by side (perf's bench).
// Unlike testing.ts it does not load vitest, so a plain process may import it.
import { spawnTypeScript } from "./launcher.ts";

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RoleChild {
  /** Resolves with the first output line matching `pattern` (e.g. the "bound to" line). */
  waitForLine(pattern: RegExp): Promise<RegExpMatchArray>;
  signal(name: NodeJS.Signals): void;
  exited: Promise<ProcessResult>;
}

/** Runs a TypeScript file as a real child process, as `pnpm <script>` would. */
export function runRoleProcess(
  script: string,
  args: string[] = [],
  cwd = process.cwd(),
): RoleChild {
  const child = spawnTypeScript(script, args, cwd);
  let stdout = "";
  let stderr = "";
  const watchers: { pattern: RegExp; found: (match: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (const watcher of [...watchers]) {
      const match = (stdout + stderr).match(watcher.pattern);
      if (match) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.found(match);
      }
    }
  };
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    check();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    check();
  });
  const exited = new Promise<ProcessResult>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    waitForLine: (pattern) =>
      new Promise((resolve, reject) => {
        watchers.push({ pattern, found: resolve });
        check();
        exited.then((result) =>
          reject(
            new Error(
              `process exited before printing ${pattern}:\n${result.stdout}${result.stderr}`,
            ),
          ),
        );
      }),
    signal: (name) => child.kill(name),
    exited,
  };
}
