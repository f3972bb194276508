// Runs the tools and fixtures as real child processes, as a reader would in two terminals, and
// reads their libzmq-format lines back. The binding side prints "bound to <endpoint>" on stderr;
// the connecting side starts only then, so connecting is never part of a figure.
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RoleChild, runRoleProcess } from "@zmq-patterns/helpers";
import { parseToolOutput, type ToolFigures } from "../output.ts";

export const packageDir = fileURLToPath(new URL("../..", import.meta.url));

export interface Side {
  script: string;
  /** The arguments; the connecting side's may contain ENDPOINT, replaced by the bound one. */
  args: string[];
}
export const ENDPOINT = "<endpoint>";

async function succeed(child: RoleChild, script: string) {
  const result = await child.exited;
  if (result.code !== 0) {
    throw new Error(`${script} exited with ${result.code ?? result.signal}:\n${result.stderr}`);
  }
  return result.stdout;
}

/** Starts `binder`, waits until it is bound, starts `connector`; returns both outputs' figures. */
export async function measurePair(binder: Side, connector: Side): Promise<ToolFigures> {
  const bound = runRoleProcess(binder.script, binder.args, packageDir);
  const [, endpoint] = await bound.waitForLine(/bound to (\S+)/);
  const args = connector.args.map((arg) => (arg === ENDPOINT ? endpoint! : arg));
  const connecting = runRoleProcess(connector.script, args, packageDir);
  const outputs = await Promise.all([
    succeed(bound, binder.script),
    succeed(connecting, connector.script),
  ]).finally(() => removeIpcFile(endpoint!));
  return parseToolOutput(outputs.join("\n"));
}

/** Runs one process (the inproc tools) and returns its figures. */
export async function measureAlone(side: Side): Promise<ToolFigures> {
  return parseToolOutput(
    await succeed(runRoleProcess(side.script, side.args, packageDir), side.script),
  );
}

/** Starts a process; `finishes: true` for one that ends by itself (a sender), not by SIGTERM. */
export type StartProcess = (
  script: string,
  args: string[],
  options?: { finishes: boolean },
) => RoleChild;

/**
 * For a run of several processes (a broker, its workers, its clients): `run` starts them with
 * `start` and returns the figure. Then every process that does not finish by itself gets
 * SIGTERM, and each must exit 0. If `run` failed, all are stopped and its error is thrown.
 */
export async function withProcesses<T>(run: (start: StartProcess) => Promise<T>): Promise<T> {
  const started: { child: RoleChild; script: string; finishes: boolean }[] = [];
  const start: StartProcess = (script, args, options) => {
    const child = runRoleProcess(script, args, packageDir);
    started.push({ child, script, finishes: options?.finishes ?? false });
    return child;
  };
  let result: T;
  try {
    result = await run(start);
  } catch (error) {
    for (const { child } of started) child.signal("SIGTERM"); // no effect on those that ended
    await Promise.all(started.map(({ child }) => child.exited));
    throw error;
  }
  // A signal must not reach a process that is already ending by itself: during Node's own
  // shutdown it would kill it (exit by SIGTERM, not 0).
  for (const { child, finishes } of started) if (!finishes) child.signal("SIGTERM");
  await Promise.all(started.map(({ child, script }) => succeed(child, script)));
  return result;
}

/** Waits for `child` to exit 0 and returns the figures in its output. */
export async function figuresOf(child: RoleChild, script: string): Promise<ToolFigures> {
  return parseToolOutput(await succeed(child, script));
}

let ipcCount = 0;
/** A fresh ipc:// endpoint in the temporary directory. */
export const ipcEndpoint = (): string =>
  `ipc://${join(tmpdir(), `zmq-perf-${process.pid}-${++ipcCount}.ipc`)}`;

/** libzmq leaves an ipc:// endpoint's socket file behind when the process exits: remove it. */
export function removeIpcFile(endpoint: string): void {
  if (endpoint.startsWith("ipc://")) rmSync(endpoint.slice("ipc://".length), { force: true });
}

/** The figure a benchmark wants, or an error naming what the output lacked. */
export function figure(figures: ToolFigures, key: keyof ToolFigures): number {
  const value = figures[key];
  if (value === undefined) throw new Error(`no "${key}" line in ${JSON.stringify(figures)}`);
  return value;
}
