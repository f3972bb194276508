// Exercise 02, reference solution: a worker that counts the words of each line it pulls.
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

export async function runWordCounter(options: WordCounterOptions): Promise<number> {
  const log = roleLog(options.name);
  const lines = new Pull({ linger: 0 });
  const counts = new Push({ linger: 0 });
  closeOnAbort(options.signal, lines, counts);
  await attach(counts, { bind: [], connect: options.sink }, log);
  await attach(lines, { bind: [], connect: options.ventilator }, log);
  options.onReady?.([...options.ventilator, ...options.sink]);

  let counted = 0;
  for await (const frames of lines) {
    const [line] = frames;
    if (frames.length !== 1 || !line) {
      log.warn(`skipped a message of ${frames.length} frames: a line is 1 frame`);
      continue;
    }
    const words = line.toString("utf8").split(/\s+/).filter(Boolean).length;
    try {
      await counts.send(String(words));
    } catch (error) {
      if (counts.closed) break; // stopped while the sink was away
      throw error;
    }
    counted += 1;
  }
  return counted;
}
