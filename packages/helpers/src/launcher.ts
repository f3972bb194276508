// The launcher behind every package's `start`: runs each role as its own child process (as a
// learner would in separate terminals), labels every output line with the role's name, injects
// the scenario's faults (kill, hang, resume, restart a role) when a role prints the line each
// waits for, ends the scenario when its finishing roles exit, stops the others with SIGTERM,
// and exits non-zero when any role failed, did not stop cleanly, a fault step never ran, or the
// scenario ran past its time limit.
import { type ChildProcess, type ChildProcessByStdio, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { roleLog } from "./log.ts";

export interface RoleProcess {
  /** Label for its lines, e.g. "server" or "worker-2". */
  name: string;
  /** The role's file, absolute or relative to the package directory. */
  script: string;
  args?: string[];
  /** The scenario is over when every role with `finishes: true` has exited with code 0. */
  finishes?: boolean;
  /** Start the roles listed after this one only once it has printed a line matching this. */
  readyWhen?: RegExp;
}

/**
 * A fault `start` injects while the scenario runs, for the reliability patterns: "kill the queue
 * once the client has its third reply", "hang the worker", "restart the server".
 */
export interface FaultStep {
  /**
   * Runs when role `role` prints a line matching `line`, counted from when the previous step ran;
   * without it, right after the previous step (to do two things at one moment).
   */
  after?: { role: string; line: RegExp };
  /** kill: SIGKILL. hang: SIGSTOP. resume: SIGCONT. restart: a new process with the role's script and args
   *  (SIGKILL first if it still runs). */
  action: "kill" | "hang" | "resume" | "restart";
  /** The role the action is done to. */
  target: string;
}

export interface Scenario {
  title: string;
  roles: RoleProcess[];
  /** Longest the whole scenario may take before it counts as failed (default 60 s). */
  timeoutMs?: number;
  /** Faults to inject, in this order. A step that never runs fails the scenario. */
  faults?: FaultStep[];
}

const STOP_TIMEOUT_MS = 5000;
const tsxLoader = createRequire(import.meta.url).resolve("tsx");

/**
 * Starts a TypeScript file as its own Node process (through tsx), its output piped to us; with
 * `netns`, inside that network namespace (`ip netns exec` execs the command: the pid is node's).
 */
export function spawnTypeScript(
  script: string,
  args: string[] = [],
  cwd = process.cwd(),
  netns?: string,
): ChildProcessByStdio<null, Readable, Readable> {
  const command = [process.execPath, "--import", tsxLoader, script, ...args];
  const [file, ...rest] = netns ? ["ip", "netns", "exec", netns, ...command] : command;
  return spawn(file!, rest, { cwd, stdio: ["ignore", "pipe", "pipe"] });
}

const announcements: Record<FaultStep["action"], (target: string) => string> = {
  kill: (target) => `killing ${target} now (SIGKILL)`,
  hang: (target) => `hanging ${target} now (SIGSTOP)`,
  resume: (target) => `resuming ${target} (SIGCONT)`,
  restart: (target) => `restarting ${target}`,
};

/** Runs the scenario; resolves with the exit code `start` should end with. */
export async function runScenario(scenario: Scenario, cwd = process.cwd()): Promise<number> {
  const log = roleLog("start");
  const roles = new Map(scenario.roles.map((role) => [role.name, role]));
  const finishers = scenario.roles.filter((role) => role.finishes).map((role) => role.name);
  if (finishers.length === 0) throw new Error(`scenario "${scenario.title}" has no finishing role`);
  const faults = scenario.faults ?? [];
  if (faults.length > 0 && !faults[0]!.after)
    throw new Error(`scenario "${scenario.title}": its first fault step needs an "after"`);
  for (const { after, target } of faults) {
    for (const name of [...(after ? [after.role] : []), target])
      if (!roles.has(name)) throw new Error(`scenario "${scenario.title}": no role "${name}"`);
  }
  log.info(`${scenario.title}: ${scenario.roles.map((role) => role.name).join(", ")}`);

  const running = new Map<string, ChildProcess>();
  const finished = new Set<string>(); // finishing roles that exited 0
  const hung = new Set<string>();
  const killedOnPurpose = new Set<ChildProcess>(); // by a fault step: not a failure
  const failures: string[] = [];
  const spoke = new Set<string>(); // roles that have printed a line
  let stopping = false;
  let settle: () => void = () => {};
  const over = new Promise<void>((resolve) => {
    settle = resolve;
  });

  const stopAll = (reason: string) => {
    if (stopping) return;
    stopping = true;
    if (running.size > 0) log.info(`${reason}; stopping ${[...running.keys()].join(", ")}`);
    for (const [name, child] of running) {
      if (hung.has(name)) child.kill("SIGCONT"); // a stopped process could never act on SIGTERM
      child.kill("SIGTERM");
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) {
          failures.push(`${name} did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM`);
          child.kill("SIGKILL");
        }
      }, STOP_TIMEOUT_MS).unref();
    }
    if (running.size === 0) settle();
  };

  const timeoutMs = scenario.timeoutMs ?? 60_000;
  const timer = setTimeout(() => {
    failures.push(`scenario did not finish within ${timeoutMs} ms`);
    stopAll("time limit reached");
  }, timeoutMs);
  // Ctrl-C (or SIGTERM) on `start` is the learner's choice, not a failure: every role is
  // stopped, and the exit code is 0 if each of them stopped cleanly.
  let interrupted = false;
  const interrupt = (signal: NodeJS.Signals) => {
    if (interrupted) return log.info(`${signal} received too: already stopping`); // a second Ctrl-C
    interrupted = true;
    stopAll(`${signal} received`);
  };
  process.on("SIGINT", interrupt); // on, not once: a second signal would kill us half way
  process.on("SIGTERM", interrupt);

  // The fault steps, one at a time: only the next step watches the output, so a line that
  // triggered a step can never trigger the one after it.
  let nextStep = 0;
  const watchForFault = (roleName: string, line: string) => {
    const step = faults[nextStep];
    if (stopping || !step?.after || step.after.role !== roleName || !step.after.line.test(line))
      return;
    void injectFrom(nextStep);
  };
  /** Runs step `first`, then each following step that has no `after` of its own. */
  const injectFrom = async (first: number) => {
    nextStep = first + 1;
    await inject(faults[first]!, nextStep);
    while (!stopping && nextStep < faults.length && !faults[nextStep]!.after) {
      nextStep += 1;
      await inject(faults[nextStep - 1]!, nextStep);
    }
  };
  const inject = async ({ action, target }: FaultStep, number: number) => {
    log.info(announcements[action](target));
    const child = running.get(target);
    if (!child && action !== "restart") {
      failures.push(`fault step ${number} (${action} ${target}): ${target} is not running`);
      return;
    }
    switch (action) {
      case "hang":
        hung.add(target);
        child?.kill("SIGSTOP");
        break;
      case "resume":
        hung.delete(target);
        child?.kill("SIGCONT");
        break;
      case "kill":
        if (child) await crash(target, child);
        break;
      case "restart":
        if (child) await crash(target, child); // the new process may need the old one's port
        if (!stopping) start(roles.get(target)!);
        break;
    }
  };
  /** SIGKILL on purpose: the role's exit is no failure and does not end the scenario. */
  const crash = (name: string, child: ChildProcess) => {
    const gone = new Promise((resolve) => child.once("exit", resolve));
    killedOnPurpose.add(child);
    hung.delete(name);
    child.kill("SIGKILL");
    return gone;
  };

  /** Starts one role's process; resolves once it is ready (see `readyWhen`) or has exited. */
  const start = (role: RoleProcess): Promise<void> => {
    let markReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const child = spawnTypeScript(role.script, role.args, cwd);
    running.set(role.name, child);
    // Lines a role printed with its own [label] pass through; anything else (a stack trace,
    // a library warning) gets the role's name so nothing in the output is anonymous.
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        spoke.add(role.name);
        const out = stream === child.stderr ? process.stderr : process.stdout;
        out.write(line.startsWith("[") ? `${line}\n` : `[${role.name}] ${line}\n`);
        if (role.readyWhen?.test(line)) markReady();
        watchForFault(role.name, line);
      });
    }
    child.on("exit", (code, signal) => {
      running.delete(role.name);
      markReady();
      if (!killedOnPurpose.has(child)) roleEnded(role, code, signal);
      if (stopping && running.size === 0) settle();
    });
    return ready;
  };

  const roleEnded = (role: RoleProcess, code: number | null, signal: NodeJS.Signals | null) => {
    // A Ctrl-C in a terminal reaches every role too. One still starting (it has said nothing
    // yet, so it has no handler and no socket) dies of it: nothing was left to close.
    const stillStarting = interrupted && signal !== null && !spoke.has(role.name);
    if (stillStarting) log.info(`${role.name} was still starting when ${signal} ended it`);
    const clean = code === 0 || stillStarting;
    if (clean && role.finishes) finished.add(role.name);
    if (!clean) failures.push(`${role.name} exited with ${signal ?? `code ${code}`}`);
    if (stopping) return;
    if (!clean) stopAll(`${role.name} failed`);
    else if (!role.finishes) stopAll(`${role.name} ended before the scenario did`);
    else if (finishers.every((name) => finished.has(name))) stopAll("scenario complete");
  };

  for (const role of scenario.roles) {
    if (stopping) break;
    const ready = start(role);
    if (role.readyWhen) await ready;
  }

  await over;
  clearTimeout(timer);
  process.off("SIGINT", interrupt);
  process.off("SIGTERM", interrupt);

  // A scenario that promised a fault and did not inject it has not shown what it claims.
  const missed = faults[nextStep];
  if (missed && !interrupted) {
    failures.push(`fault step ${nextStep + 1} (${missed.action} ${missed.target}) never ran`);
  }
  // A role must exit 0 on SIGTERM too, so every non-zero exit above is a real failure.
  if (failures.length > 0) {
    for (const failure of failures) log.error(failure);
    return 1;
  }
  log.info(interrupted ? "interrupted; every role stopped cleanly" : "every role ended cleanly");
  return 0;
}

/**
 * A package's `start`: runs the scenario named by the first argument (the first one listed
 * when none is named) and exits with its code.
 */
export async function startScenario(
  scenarios: Record<string, Scenario>,
  argv = process.argv.slice(2),
): Promise<never> {
  const names = Object.keys(scenarios);
  const name = argv.find((arg) => !arg.startsWith("--")) ?? names[0] ?? "";
  const scenario = scenarios[name];
  if (!scenario) {
    console.error(`E: no scenario "${name}"; choose one of: ${names.join(", ")}`);
    process.exit(2);
  }
  process.exit(await runScenario(scenario));
}
