// For tests only: run a role in process on ephemeral endpoints, learn where it bound, stop it.
//
//   const server = startRole(runServer, { ...serverDefaults, bind: ["tcp://127.0.0.1:*"] });
//   const [endpoint] = await server.ready;
//   ...
//   await server.stop();
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { onTestFailed, vi } from "vitest";
import { getCurrentTest } from "vitest/suite";
import { Request, type Socket } from "zeromq";
import type { RoleControl } from "./lifecycle.ts";
import { freePorts } from "./ports.ts";
import {
  type RoleChild,
  type RoleProcessOptions,
  runRoleProcess as runRoleProcessAnywhere,
} from "./role-process.ts";

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

/**
 * An endpoint where nothing listens, and nothing else can start listening: an ipc:// path in a
 * fresh temporary folder. (A tcp port freed by closing a socket is not safe for that: with
 * packages testing in parallel, another test's bind to port * may be given it at once.)
 * A test may bind it later itself, to bring "the server" up.
 */
export function unusedEndpoint(): string {
  return `ipc://${join(mkdtempSync(join(tmpdir(), "zmqp-")), "nobody")}`;
}

/**
 * A loopback tcp endpoint on a free port from outside the kernel's ephemeral range (see
 * freePorts), for a test that must know the endpoint before anything binds it, or must bind it
 * again after killing a server. A port learned from a `*` bind is not safe for that: once it is
 * free, a parallel test's bind to `*` may be given it.
 */
export async function freeEndpoint(): Promise<string> {
  const [port] = await freePorts(1);
  return `tcp://127.0.0.1:${port}`;
}

// Partitions, for the tests of the reliability patterns (also in the main entry).
export {
  createTestNetwork,
  type NetworkHost,
  networkNamespacesUnavailable,
  type TestNetwork,
} from "./network.ts";
// The plain runRoleProcess lives in role-process.ts, which does not load vitest: benchmarks use
// it too. Tests get the one below, which reports a failed test's role output.
export type { ProcessResult, RoleChild, RoleProcessOptions } from "./role-process.ts";

/**
 * runRoleProcess (role-process.ts), for tests: when the running test fails, the process's output
 * is printed, and its end, with the lines the test still waited for, is kept in the test's report
 * (`meta.roleOutput` in .vitest-report.json). `.ci/run` prints it under the failure, so a hang
 * seen only in CI's log says which line never came and what each role said before it.
 */
export function runRoleProcess(
  script: string,
  args: string[] = [],
  options: string | RoleProcessOptions = {},
): RoleChild {
  return reportOnFailure(runRoleProcessAnywhere(script, args, options), basename(script));
}

/** How many of a role's last lines a failed test's report keeps (all are printed). */
const REPORTED_LINES = 20;

function reportOnFailure(child: RoleChild, name: string): RoleChild {
  // Only inside a test (not in a beforeAll, not in a plain process).
  if (getCurrentTest())
    onTestFailed(({ task }) => {
      const label = `${name} (pid ${child.pid})`;
      console.log(`--- ${label}:\n${child.lines.join("\n")}`);
      const meta = task.meta as { roleOutput?: string[] };
      const waiting = child.waiting.map(String).join(", ");
      meta.roleOutput ??= [];
      meta.roleOutput.push(`--- ${label}${waiting ? `, still waited for ${waiting}` : ""}`);
      if (child.lines.length > REPORTED_LINES)
        meta.roleOutput.push(`(${child.lines.length - REPORTED_LINES} lines before)`);
      meta.roleOutput.push(...child.lines.slice(-REPORTED_LINES));
    });
  const restart = child.restart;
  child.restart = async () => reportOnFailure(await restart(), name); // the new process too
  return child;
}

export interface LogLine {
  line: string;
  match: RegExpMatchArray;
  /** Position in `lines`: pass `index + 1` as `since` to wait for a later line. */
  index: number;
}

export interface LogWatch {
  /** Every console.log line since the watch began. */
  readonly lines: string[];
  text(): string;
  /**
   * The first line at or after line `since` that matches, as soon as it is logged. With
   * `timeoutMs`, a line that never comes fails with a message naming the pattern (for
   * exercise tests, where a student's loop may never log it); tests never time with it.
   */
  waitFor(pattern: RegExp, options?: { since?: number; timeoutMs?: number }): Promise<LogLine>;
  /** Puts console.log back (vi.restoreAllMocks() does too). */
  stop(): void;
}

/**
 * Roles running in process log with console.log; this records those lines (still printing
 * them, so a failing test shows them) and lets a test wait for one instead of sleeping.
 */
export function watchLog(): LogWatch {
  const lines: string[] = [];
  const waiting: { pattern: RegExp; since: number; found: (index: number) => void }[] = [];
  const print = console.log.bind(console);
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    print(...args);
    lines.push(args.map(String).join(" "));
    const index = lines.length - 1;
    for (const waiter of [...waiting]) {
      if (index >= waiter.since && waiter.pattern.test(lines[index]!)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.found(index);
      }
    }
  });
  return {
    lines,
    text: () => lines.join("\n"),
    waitFor: (pattern, { since = 0, timeoutMs } = {}) =>
      new Promise((resolve, reject) => {
        const found = (index: number) => {
          clearTimeout(timer);
          resolve({ line: lines[index]!, match: lines[index]!.match(pattern)!, index });
        };
        const waiter = { pattern, since, found };
        const timer =
          timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                waiting.splice(waiting.indexOf(waiter), 1);
                reject(new Error(`no log line matched ${pattern} within ${timeoutMs} ms`));
              }, timeoutMs);
        const index = lines.findIndex((line, at) => at >= since && pattern.test(line));
        if (index >= 0) found(index);
        else waiting.push(waiter);
      }),
    stop: () => spy.mockRestore(),
  };
}

/** A bare REQ socket (linger 0), as the Guide's clients in any language open one. */
export function plainRequest(endpoint: string): Request {
  const socket = new Request({ linger: 0 });
  socket.connect(endpoint);
  return socket;
}

/** Sends one request on a REQ socket and returns the reply as text (frames joined by ","). */
export async function ask(socket: Request, ...frames: (string | Buffer)[]): Promise<string> {
  await socket.send(frames);
  return (await socket.receive()).toString();
}

/**
 * Resolves once `socket` has completed its `count`th handshake from now: a peer's first
 * connection, then (count 2) the new one after a drop. Call it before anything connects.
 */
export function handshakes(socket: Socket, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    socket.events.on("handshake", () => {
      seen += 1;
      if (seen === count) resolve();
    });
  });
}
