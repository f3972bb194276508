// Exercise 02: a second service, "reverse", written on the worker API: every frame of a
// request comes back with its characters in reverse order.
import type { RoleControl } from "@zmq-patterns/helpers";
import { MajordomoWorker } from "#src/worker-api.ts";

export const REVERSE_SERVICE = "reverse";

export interface ReverseWorkerOptions extends RoleControl {
  broker: string;
  heartbeatMs?: number;
  reconnectMs?: number;
}

/** Serves "reverse" until stopped; returns how many requests it answered. */
export async function runReverseWorker(
  options: ReverseWorkerOptions,
): Promise<{ answered: number }> {
  // TODO: offer REVERSE_SERVICE with a MajordomoWorker (pass it the broker, the timings and the
  // signal), answer each request with each of its frames reversed, character by character, and
  // return how many requests it answered once the worker stops.
  void MajordomoWorker;
  throw new Error(`${REVERSE_SERVICE} worker at ${options.broker}: not written yet`);
}
