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

/** "héllo 👋" -> "👋 olléh": by code point, so a character outside the BMP stays whole. */
const reversed = (frame: Buffer): string => [...frame.toString()].reverse().join("");

/** Serves "reverse" until stopped; returns how many requests it answered. */
export async function runReverseWorker(
  options: ReverseWorkerOptions,
): Promise<{ answered: number }> {
  const worker = new MajordomoWorker({ ...options, service: REVERSE_SERVICE });
  options.onReady?.([options.broker]);
  await worker.serve((body) => body.map(reversed)); // READY, heartbeats, reconnects: the API's
  worker.close();
  return { answered: worker.stats.replies };
}
