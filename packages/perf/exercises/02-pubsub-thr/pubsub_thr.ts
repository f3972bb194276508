// Exercise 02: libzmq's throughput test for PUB/SUB instead of PUSH/PULL.
// The task is in TASK.md. Check your work: pnpm --filter perf exercise 02
import type { RoleControl } from "@zmq-patterns/helpers";

export interface LocalSubThrOptions extends RoleControl {
  bind: string;
  messageSize: number;
  messageCount: number;
}

export interface RemotePubThrOptions {
  connect: string;
  messageSize: number;
  messageCount: number;
}

/** Receives messageCount messages; returns libzmq's four lines ([] when stopped). */
export async function runLocalSubThr(options: LocalSubThrOptions): Promise<string[]> {
  // TODO: a Subscriber that subscribes to everything, binds, and measures like local_thr.
  throw new Error(`exercise 02 is not done yet (asked for ${options.messageCount} messages)`);
}

/** Sends messageCount messages once the subscriber has subscribed, losing none. */
export async function runRemotePubThr(options: RemotePubThrOptions): Promise<void> {
  // TODO: wait for the subscription (XPublisher), lose nothing (see the hints on high-water
  // marks and noDrop in TASK.md), deliver the tail.
  throw new Error(`exercise 02 is not done yet (asked to send ${options.messageCount} messages)`);
}
