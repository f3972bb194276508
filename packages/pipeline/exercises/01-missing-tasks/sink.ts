// Exercise 01: a sink that finds the tasks that never came back, instead of waiting for ever.
// The task is in TASK.md. Check your work: pnpm --filter pipeline exercise 01
import type { RoleControl } from "@zmq-patterns/helpers";
import type { Pull } from "zeromq";

export interface PatientSinkOptions extends RoleControl {
  /** Where the workers push their results (the PULL socket binds here). */
  bind: string[];
  /** Tasks in the batch, numbered 1 to `tasks` (the ventilator's --number-tasks). */
  tasks: number;
  /** Give up after this long without a result. */
  quietMs: number;
}

export interface PatientSinkReport {
  /** Numbers of the tasks whose result came back, each once, smallest first. */
  received: number[];
  /** Numbers of the tasks whose result never came, smallest first. */
  missing: number[];
}

export async function runPatientSink(options: PatientSinkOptions): Promise<PatientSinkReport> {
  // TODO: bind a PULL socket that gives up on a receive after options.quietMs, collect the
  // task numbers of the results until all have come or none comes in time, report the gaps.
  const socket: Pull | undefined = undefined;
  void socket;
  throw new Error(`exercise 01 is not done yet (a batch of ${options.tasks} tasks)`);
}
