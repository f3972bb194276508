// Request-reply broker in four lines: zeromq's built-in Proxy between a ROUTER and a DEALER.
// Talks to: client.ts (REQ) and worker.ts (REP), exactly like broker.ts. The Guide's msgqueue.
// Run: pnpm --filter broker proxy [--frontend tcp://*:5559] [--backend tcp://*:5560]
import {
  attach,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer, Router, Proxy as ZmqProxy } from "zeromq";
import { BACKEND_PORT, FRONTEND_PORT, MAX_MESSAGE_BYTES } from "./protocol.ts";

export const proxyDefaults = {
  frontend: [`tcp://*:${FRONTEND_PORT}`],
  backend: [`tcp://*:${BACKEND_PORT}`],
  name: "proxy",
};
export type ProxyOptions = typeof proxyDefaults & RoleControl;

/** Runs the proxy until stopped. */
export async function runProxyBroker(options: ProxyOptions): Promise<void> {
  const log = roleLog(options.name);
  const frontend = new Router({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  const backend = new Dealer({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  const [frontendEndpoint] = await attach(frontend, { bind: options.frontend, connect: [] }, log);
  const [backendEndpoint] = await attach(backend, { bind: options.backend, connect: [] }, log);

  // #region proxy
  // zmq_proxy() runs in a thread of libuv's pool, passing every message both ways until it is
  // terminated; then it closes both sockets itself. Our code never sees a message.
  const proxy = new ZmqProxy(frontend, backend);
  const running = proxy.run();
  if (options.signal?.aborted) proxy.terminate();
  else options.signal?.addEventListener("abort", () => proxy.terminate(), { once: true });
  // #endregion
  options.onReady?.([frontendEndpoint!, backendEndpoint!]);
  log.info("proxying between the frontend and the backend");

  await running;
  log.info("stopped");
}

if (isMain(import.meta.url)) {
  const options = parseFlags(proxyDefaults);
  await runProxyBroker({ ...options, signal: stopOnSignals(options.name) });
}
