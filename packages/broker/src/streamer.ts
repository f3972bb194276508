// Streamer: zeromq's built-in Proxy between a PULL that producers push into and a PUSH that workers pull from.
// Talks to: ventilator.ts (PUSH) on the frontend, taskworker.ts (PULL) on the backend.
// Run: pnpm --filter broker streamer [--frontend tcp://*:5559] [--backend tcp://*:5560]
import {
  attach,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Pull, Push, Proxy as ZmqProxy } from "zeromq";
import { BACKEND_PORT, FRONTEND_PORT, MAX_MESSAGE_BYTES } from "./protocol.ts";

export const streamerDefaults = {
  /** Where producers connect and push tasks (bound). */
  frontend: [`tcp://*:${FRONTEND_PORT}`],
  /** Where workers connect and pull tasks (bound). */
  backend: [`tcp://*:${BACKEND_PORT}`],
  name: "streamer",
};
export type StreamerOptions = typeof streamerDefaults & RoleControl;

/** Runs the streamer until stopped. */
export async function runStreamer(options: StreamerOptions): Promise<void> {
  const log = roleLog(options.name);
  // Fair-queued in from every producer, handed out round robin to every connected worker.
  const frontend = new Pull({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  const backend = new Push({ linger: 0 });
  const [frontendEndpoint] = await attach(frontend, { bind: options.frontend, connect: [] }, log);
  const [backendEndpoint] = await attach(backend, { bind: options.backend, connect: [] }, log);

  // A one-way device: no replies come back, so the Proxy only ever moves frontend -> backend.
  const proxy = new ZmqProxy(frontend, backend);
  const running = proxy.run();
  if (options.signal?.aborted) proxy.terminate();
  else options.signal?.addEventListener("abort", () => proxy.terminate(), { once: true });
  options.onReady?.([frontendEndpoint!, backendEndpoint!]);
  log.info("streaming tasks from the frontend to the backend");

  await running;
  log.info("stopped");
}

if (isMain(import.meta.url)) {
  const options = parseFlags(streamerDefaults);
  await runStreamer({ ...options, signal: stopOnSignals(options.name) });
}
