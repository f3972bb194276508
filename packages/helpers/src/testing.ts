// For tests only: run a role in process on ephemeral endpoints, learn where it bound, stop it.
//
//   const server = startRole(runServer, { ...serverDefaults, bind: ["tcp://127.0.0.1:*"] });
//   const [endpoint] = await server.ready;
//   ...
//   await server.stop();
import { spawnTypeScript } from "./launcher.ts";
import type { RoleControl } from "./lifecycle.ts";

export interface RunningRole<R> {
  /** The endpoints the role is bound/connected to, once it is. */
  ready: Promise<string[]>;
  /** What the role's function returned (or threw). */
  done: Promise<R>;
  /** Aborts the role's signal and waits for it to return. */
  stop(): Promise<R>;
}

export function startRole<O, R>(
  run: (options: O & RoleControl) => Promise<R>,
  options: O,
): RunningRole<R> {
  const controller = new AbortController();
  let markReady: (endpoints: string[]) => void = () => {};
  const ready = new Promise<string[]>((resolve) => {
    markReady = resolve;
  });
  const done = run({ ...options, signal: controller.signal, onReady: markReady });
  // Fail `ready` too if the role dies before it gets there, so tests do not wait forever.
  const readyOrFailed = Promise.race([ready, done.then(() => ready)]);
  return {
    ready: readyOrFailed,
    done,
    stop: () => {
      controller.abort();
      return done;
    },
  };
}

/** Loopback endpoint on a port the OS picks: tests never collide, so packages test in parallel. */
export const EPHEMERAL = "tcp://127.0.0.1:*";

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
