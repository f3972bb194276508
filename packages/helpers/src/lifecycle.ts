// How a role starts, finds its endpoints and stops.
//
// Every role exports `runX(options)` and runs itself only when executed directly:
//
//   if (isMain(import.meta.url)) {
//     await runServer({ ...parseFlags(serverDefaults), signal: stopOnSignals("server") });
//   }
//
// Stopping is one path for everybody: SIGINT/SIGTERM (or a test) aborts the signal, the role
// closes its sockets, its `for await` loop ends, the function returns and Node exits with 0.
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Socket } from "zeromq";
import { type Logger, roleLog } from "./log.ts";

/** What every role's options may carry besides its own flags. */
export interface RoleControl {
  /** Aborting it stops the role: it closes its sockets and returns. */
  signal?: AbortSignal;
  /** Called once the role's sockets are bound/connected, with the real endpoints. */
  onReady?: (endpoints: string[]) => void;
}

/** Where a socket goes: the --bind and --connect flags. */
export interface Endpoints {
  bind: string[];
  connect: string[];
}

/** True when this module is the script Node was started with (not imported by a test). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  };
  return real(resolve(entry)) === real(fileURLToPath(moduleUrl));
}

/**
 * Binds and connects `socket` as the flags say and returns the endpoints it is on, with the
 * real port where a bind asked for `*` (tests bind tcp://127.0.0.1:* and read it here).
 */
export async function attach(socket: Socket, endpoints: Endpoints, log: Logger): Promise<string[]> {
  const attached: string[] = [];
  for (const endpoint of endpoints.bind) {
    await socket.bind(endpoint);
    const actual = socket.lastEndpoint ?? endpoint;
    log.info(`bound to ${actual}`);
    attached.push(actual);
  }
  for (const endpoint of endpoints.connect) {
    socket.connect(endpoint); // returns at once: ZeroMQ connects (and reconnects) in the background
    log.info(`connecting to ${endpoint}`);
    attached.push(endpoint);
  }
  if (attached.length === 0) throw new Error(`${log.label}: no --bind or --connect endpoint given`);
  return attached;
}

/** Closes the sockets when `signal` aborts (at once if it already has). */
export function closeOnAbort(signal: AbortSignal | undefined, ...sockets: Socket[]): void {
  const closeAll = () => {
    for (const socket of sockets) if (!socket.closed) socket.close();
  };
  if (signal?.aborted) closeAll();
  else signal?.addEventListener("abort", closeAll, { once: true });
}

/** Grace period after SIGINT/SIGTERM before a role that failed to stop is forced out. */
export const STOP_GRACE_MS = 3000;

/**
 * An AbortSignal that fires on the first SIGINT or SIGTERM. A role that has not ended
 * STOP_GRACE_MS later is a bug: it is reported and the process exits 1 rather than hang.
 */
export function stopOnSignals(label: string): AbortSignal {
  const log = roleLog(label);
  const controller = new AbortController();
  const stop = (signalName: NodeJS.Signals) => {
    log.info(`${signalName} received, closing sockets`);
    controller.abort(signalName);
    setTimeout(() => {
      log.error(`still running ${STOP_GRACE_MS} ms after ${signalName}; forcing exit`);
      process.exit(1);
    }, STOP_GRACE_MS).unref();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return controller.signal;
}
