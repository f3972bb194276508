// What travels in the relay: one frame, "READY", from each step to the next, over PAIR sockets on
// inproc:// endpoints. The endpoint names and the signal are those of the ZeroMQ Guide's mtrelay.
import { describeFrame } from "@zmq-patterns/helpers";

/** Step 2 binds here; step 1 connects and signals. */
export const STEP2_ENDPOINT = "inproc://step2";
/** Step 3 (the main thread) binds here; step 2 connects and signals. */
export const STEP3_ENDPOINT = "inproc://step3";
/** The signal: "I am done, your turn." */
export const READY = "READY";

/** Why `frames` is not the READY signal, or undefined when it is. */
export function checkSignal(frames: Buffer[]): string | undefined {
  const shown = frames.map(describeFrame).join(" ");
  if (frames.length !== 1) return `expected 1 frame, got ${frames.length}: ${shown}`;
  if (frames[0]!.toString() !== READY) return `expected "${READY}", got ${shown}`;
  return undefined;
}
