// Exercise 02: a worker that counts the words of each line it pulls: divide and conquer for real.
// The task is in TASK.md. Check your work: pnpm --filter pipeline exercise 02
import { attach, closeOnAbort, type RoleControl, roleLog } from "@zmq-patterns/helpers";
import { Pull, Push } from "zeromq";

export interface WordCounterOptions extends RoleControl {
  /** Where lines of text come from (PULL connects). */
  ventilator: string[];
  /** Where the counts go (PUSH connects). */
  sink: string[];
  /** Label for log lines. */
  name: string;
}

/** Counts until stopped; returns how many lines it counted. */
export async function runWordCounter(options: WordCounterOptions): Promise<number> {
  const log = roleLog(options.name);
  const lines = new Pull({ linger: 0 });
  const counts = new Push({ linger: 0 });
  closeOnAbort(options.signal, lines, counts);
  await attach(counts, { bind: [], connect: options.sink }, log);
  await attach(lines, { bind: [], connect: options.ventilator }, log);
  options.onReady?.([...options.ventilator, ...options.sink]);

  for await (const frames of lines) {
    // TODO: push the number of words in the line as a decimal string ("7"). A message that is
    // not exactly one frame is not a line: log a W: line and push nothing for it.
    void frames;
    await counts.send("0");
  }
  return 0; // TODO: how many lines were counted
}
