// Exercise 01, reference solution: a sink that finds the tasks that never came back.
import { attach, closeOnAbort, type RoleControl, roleLog } from "@zmq-patterns/helpers";
import { Pull } from "zeromq";
import { parseSinkMessage } from "#src/protocol.ts";

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
  const log = roleLog("patient-sink");
  // A receive that waits longer than receiveTimeout rejects with EAGAIN: our "no news" alarm.
  const socket = new Pull({ linger: 0, receiveTimeout: options.quietMs });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, { bind: options.bind, connect: [] }, log);
  options.onReady?.(endpoints);

  const received = new Set<number>(); // a set: a task that comes back twice counts once
  while (received.size < options.tasks) {
    let frames: Buffer[];
    try {
      frames = await socket.receive();
    } catch (error) {
      if (socket.closed) break; // stopped
      if ((error as { code?: string }).code !== "EAGAIN") throw error;
      log.warn(`no result in ${options.quietMs} ms: giving up on the rest`);
      break;
    }
    const message = parseSinkMessage(frames);
    const number = message.kind === "result" ? message.result.task?.number : undefined;
    if (number === undefined || number > options.tasks) {
      log.warn("ignored a message that is not the result of a numbered task");
      continue;
    }
    received.add(number);
  }
  socket.close();

  const all = Array.from({ length: options.tasks }, (_, index) => index + 1);
  const missing = all.filter((number) => !received.has(number));
  if (missing.length > 0) log.warn(`missing tasks: ${missing.join(", ")}`);
  return { received: all.filter((number) => received.has(number)), missing };
}
