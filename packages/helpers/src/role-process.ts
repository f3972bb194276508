// Runs a role's TypeScript file as a real child process and watches its output: for tests (a
// real SIGINT, a real `start`, a crash, a hang) and for benchmarks that run roles side by side
// (perf's bench). Unlike testing.ts it does not load vitest, so a plain process may import it.
//
//   const server = runRoleProcess("src/server.ts", ["--bind", endpoint]);
//   await server.waitForLine(/bound to/);
//   server.hang();                          // SIGSTOP: connected but silent
//   server.resume();                        // SIGCONT
//   await server.kill();                    // SIGKILL: a crash
//   const again = await server.restart();   // same script, args and options
import { spawnTypeScript } from "./launcher.ts";
import type { NetworkHost } from "./network.ts";

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RoleProcessOptions {
  /** The working directory (default: this process's). */
  cwd?: string;
  /** Run the process inside that host's network namespace (`ip netns exec`; needs root). */
  host?: NetworkHost;
}

export interface RoleChild {
  readonly pid: number;
  /** Every output line so far, stdout and stderr, in arrival order. */
  readonly lines: string[];
  /**
   * Without `since`: the first match in the whole output so far (stdout, then stderr). With
   * `since`: the first single line at index >= since that matches (pass `lines.length` to wait
   * for a line still to come). Rejects, naming the pattern and showing the output, if the
   * process exits first.
   */
  waitForLine(pattern: RegExp, options?: { since?: number }): Promise<RegExpMatchArray>;
  /** The patterns waitForLine is still waiting for: what a hung test was waiting on. */
  readonly waiting: readonly RegExp[];
  signal(name: NodeJS.Signals): void;
  /** SIGKILL (a crash: no clean-up runs in the role); resolves when it has exited. */
  kill(): Promise<ProcessResult>;
  /** SIGSTOP: the process hangs, its TCP connections stay open, the kernel still ACKs. */
  hang(): void;
  /** SIGCONT after hang(). */
  resume(): void;
  /** A new process with the same script, args and options; SIGKILLs this one first if it still runs. */
  restart(): Promise<RoleChild>;
  exited: Promise<ProcessResult>;
}

/** Runs a TypeScript file as a real child process, as `pnpm <script>` would. */
export function runRoleProcess(
  script: string,
  args: string[] = [],
  options: string | RoleProcessOptions = {},
): RoleChild {
  const { cwd = process.cwd(), host } = typeof options === "string" ? { cwd: options } : options;
  const child = spawnTypeScript(script, args, cwd, host?.netns);
  // A child must not outlive us, least of all a hung one: nothing would ever resume or end it.
  const forget = atProcessEnd(() => {
    child.kill("SIGCONT");
    child.kill("SIGKILL");
  });
  child.on("exit", forget);

  const output = { stdout: "", stderr: "" };
  const lines: string[] = [];
  const watchers: { pattern: RegExp; since?: number; found: (match: RegExpMatchArray) => void }[] =
    [];
  const matchOf = ({ pattern, since }: (typeof watchers)[number]) => {
    if (since === undefined) return (output.stdout + output.stderr).match(pattern);
    for (let index = since; index < lines.length; index++) {
      const match = lines[index]!.match(pattern);
      if (match) return match;
    }
    return null;
  };
  const check = () => {
    for (const watcher of [...watchers]) {
      const match = matchOf(watcher);
      if (match) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.found(match);
      }
    }
  };
  // Each stream is cut into lines on its own, so a line is never glued to another stream's.
  const partial = { stdout: "", stderr: "" };
  for (const name of ["stdout", "stderr"] as const) {
    child[name].setEncoding("utf8");
    child[name].on("data", (text: string) => {
      output[name] += text;
      const pieces = (partial[name] + text).split("\n");
      partial[name] = pieces.pop()!;
      lines.push(...pieces);
      check();
    });
  }
  child.on("error", (error) => {
    output.stderr += `${error.message}\n`; // could not start it at all; "close" follows
    lines.push(error.message);
  });
  const exited = new Promise<ProcessResult>((resolve) => {
    child.on("close", (code, signal) => {
      for (const name of ["stdout", "stderr"] as const)
        if (partial[name]) lines.push(partial[name]);
      check();
      resolve({ code, signal, ...output });
    });
  });

  return {
    pid: child.pid ?? 0,
    lines,
    get waiting() {
      return watchers.map((watcher) => watcher.pattern);
    },
    waitForLine: (pattern, { since } = {}) =>
      new Promise((resolve, reject) => {
        watchers.push({ pattern, since, found: resolve });
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
    kill: () => {
      child.kill("SIGKILL");
      return exited;
    },
    hang: () => child.kill("SIGSTOP"),
    resume: () => child.kill("SIGCONT"),
    restart: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited; // so the new process can bind the same endpoint
      return runRoleProcess(script, args, options);
    },
    exited,
  };
}

const cleanups = new Set<() => void>();

/**
 * Runs `cleanup` (synchronous) once when this process ends: on exit, or on a SIGINT/SIGTERM that
 * would end it (one nothing else listens for, such as the SIGTERM that ends a test file's
 * fork). The signal is then raised again, so the process still dies of it. Returns a function
 * that cancels it. Children and test networks use it, so neither outlives its creator.
 */
export function atProcessEnd(cleanup: () => void): () => void {
  if (cleanups.size === 0) {
    process.on("exit", runCleanups);
    // Prepended, so that we still see every other listener when the signal comes.
    process.prependListener("SIGINT", onSignal);
    process.prependListener("SIGTERM", onSignal);
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
    if (cleanups.size === 0) stopListening();
  };
}

function runCleanups(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    cleanup();
  }
  stopListening();
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else handles it (a role's stopOnSignals, `start`): the process is not ending yet.
  if (process.listenerCount(signal) > 1) return;
  runCleanups();
  process.kill(process.pid, signal); // with no listener left, the default action: we die of it
}

function stopListening(): void {
  process.off("exit", runCleanups);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
}
