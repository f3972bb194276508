// Exercise 01, reference solution: a sink that finds the tasks that never came back.
import { attach, closeOnAbort, roleLog } from "@zmq-patterns/helpers";
import { Pull } from "zeromq";
import { parseSinkMessage } from "../../../src/protocol.ts";
import type { PatientSinkOptions, PatientSinkReport } from "../sink.ts";

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
