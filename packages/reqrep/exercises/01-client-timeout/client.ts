// Exercise 01: a Hello World client that gives up instead of waiting for ever.
// The task is in TASK.md. Check your work: pnpm --filter reqrep exercise 01
import type { Request } from "zeromq";

export interface TimeoutClientOptions {
  connect: string[];
  requests: number;
  timeoutMs: number;
}

export interface TimeoutClientResult {
  replies: string[];
  gaveUp: boolean;
}

export async function runTimeoutClient(
  options: TimeoutClientOptions,
): Promise<TimeoutClientResult> {
  // TODO: open a Request socket with a receive time-out, send "Hello" options.requests times,
  // and give up on the first reply that does not come in time.
  const socket: Request | undefined = undefined;
  void socket;
  throw new Error(`exercise 01 is not done yet (asked for ${options.requests} requests)`);
}
