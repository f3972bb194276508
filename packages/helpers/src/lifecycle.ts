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
// A role whose last messages must still leave ends with `await closeAndDrain(socket)`.
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
 * A socket closed while it binds (Ctrl-C, through closeOnAbort) is not an error: attach returns
 * what it had, and the role's loops end on the closed socket as after any stop.
 */
export async function attach(socket: Socket, endpoints: Endpoints, log: Logger): Promise<string[]> {
  const attached: string[] = [];
  for (const endpoint of endpoints.bind) {
    try {
      await socket.bind(endpoint);
    } catch (error) {
      if (socket.closed) return attached; // stopped while binding (libzmq says ENOTSOCK)
      throw error;
    }
    if (socket.closed) return attached; // stopped just after: lastEndpoint would throw
    const actual = socket.lastEndpoint ?? endpoint;
    log.info(`bound to ${actual}`);
    attached.push(actual);
  }
  for (const endpoint of endpoints.connect) {
    if (socket.closed) return attached; // stopped before connecting
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

/** Drains in progress (closeAndDrain): a stop signal now means "drop what is left and exit". */
const drains = new Set<Promise<unknown>>();

/**
 * A role's last step when it closes sockets that linger (to let their last messages leave):
 * closes them, then waits until libzmq has sent what they still queue, or until each one's
 * linger has run out.
 *
 * Why not just `close()` and return: zeromq.js then waits for the queue in Node's exit, after
 * Node has taken its signal handlers down, so a Ctrl-C during that drain kills the process with
 * no word and no exit 0 (the shell says 130). Waiting here keeps stopOnSignals in charge: a
 * signal during the drain is logged, drops what has not left yet, and the process exits 0.
 */
export async function closeAndDrain(...sockets: Socket[]): Promise<void> {
  const open = sockets.filter((socket) => !socket.closed); // one closed on abort drains by itself
  // libzmq destroys a closed socket once its queue is empty or its linger is over, and the
  // socket's monitor reports that as its last event, "end": the drain is over then.
  const gone = open.map(
    (socket) => new Promise<void>((resolve) => socket.events.on("end", () => resolve())),
  );
  const drain = Promise.all(gone);
  drains.add(drain);
  for (const socket of open) socket.close();
  await drain;
  drains.delete(drain);
}

/** Grace period after SIGINT/SIGTERM before a role that failed to stop is forced out. */
export const STOP_GRACE_MS = 3000;

/**
 * An AbortSignal that fires on the first SIGINT or SIGTERM. A role that has not ended
 * STOP_GRACE_MS later is a bug: it is reported and the process exits 1 rather than hang.
 * A signal that comes while the role drains its last messages (closeAndDrain) ends the
 * process at once, with 0: its work was done. Another signal while the role is still stopping
 * (a second Ctrl-C) is logged, and the stop goes on: killing it half way would leave no word,
 * and exit 130, or worse with threads still running.
 */
export function stopOnSignals(label: string): AbortSignal {
  const log = roleLog(label);
  const controller = new AbortController();
  const stop = (signalName: NodeJS.Signals) => {
    if (drains.size > 0) {
      log.warn(
        `${signalName} received while the last messages were leaving: stopped draining, the rest is dropped`,
      );
      process.exit(0); // exits without the drain Node's normal exit would still wait for
    }
    if (controller.signal.aborted) {
      // Also the usual case of a Ctrl-C on `start`: the terminal's SIGINT, then its SIGTERM.
      log.info(`${signalName} received too: already stopping`);
      return;
    }
    log.info(`${signalName} received, closing sockets`);
    controller.abort(signalName);
    setTimeout(() => {
      log.error(`still running ${STOP_GRACE_MS} ms after ${signalName}; forcing exit`);
      process.exit(1);
    }, STOP_GRACE_MS).unref();
  };
  // on, not once: with no listener left, a second signal would kill the process at once.
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return controller.signal;
}
