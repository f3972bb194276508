// The Pirates' wire facts: ports, timings and the Paranoid Pirate Protocol's two commands.
// Everything here matches the ZeroMQ Guide's lpclient/lpserver, spqueue/spworker and
// ppqueue/ppworker, and RFC 6 (PPP), so each role works with the Guide's in any language.

/** Clients (Lazy Pirate) connect here: to the server, or to the queue's frontend. */
export const CLIENT_PORT = 5555;
/** Workers connect here: the queue's backend. */
export const WORKER_PORT = 5556;

/** Lazy Pirate: how long a client waits for a reply, and how often it tries again. */
export const REQUEST_TIMEOUT_MS = 2500;
export const REQUEST_RETRIES = 3;

/** A Simple Pirate worker (REQ) or a Paranoid Pirate worker (DEALER) says it can take work. */
export const READY = Buffer.from([0x01]);
/** Paranoid Pirate: "I am still here", sent both ways, one frame. */
export const HEARTBEAT = Buffer.from([0x02]);

/** Paranoid Pirate: a heartbeat every second; a peer that misses 3 in a row is dead. */
export const HEARTBEAT_INTERVAL_MS = 1000;
export const HEARTBEAT_LIVENESS = 3;
/** A worker that lost its queue waits this long before it reconnects, doubling each time up to the max. */
export const RECONNECT_INITIAL_MS = 1000;
export const RECONNECT_MAX_MS = 32000;

/** The Guide's servers and workers "work" this long on each request. */
export const WORK_MS = 1000;
/** The Guide's lpserver simulates a CPU overload with a 2 s pause (longer than the client waits). */
export const OVERLOAD_MS = 2000;

/**
 * libzmq drops the connection of a peer that sends a frame larger than this (maxMessageSize is
 * checked frame by frame: a message of many smaller frames still gets through, and is refused
 * by our own checks). Requests here are sequence numbers, so 64 KiB is generous.
 */
export const MAX_FRAME_BYTES = 64 * 1024;

/**
 * Both queues' ROUTER sockets. mandatory: a message for a peer that has gone fails
 * (EHOSTUNREACH) instead of vanishing; sendTimeout 0: one for a peer that does not read fails
 * (EAGAIN) instead of stalling the queue's loop.
 */
export const QUEUE_ROUTER_OPTIONS = {
  linger: 0,
  mandatory: true,
  sendTimeout: 0,
  maxMessageSize: MAX_FRAME_BYTES,
};

/** True for an empty frame: the delimiter between an address stack and the body. */
export const isDelimiter = (frame: Buffer | undefined): boolean => frame?.length === 0;

/** True when `frames` is exactly the one-byte command `command` (READY or HEARTBEAT). */
export const isCommand = (frames: Buffer[], command: Buffer): boolean =>
  frames.length === 1 && frames[0]!.equals(command);

/** A ROUTER send failed: the peer is gone (EHOSTUNREACH, with mandatory) or not reading (EAGAIN). */
export const isUnreachable = (error: unknown): boolean =>
  ["EHOSTUNREACH", "EAGAIN"].includes((error as { code?: string }).code ?? "");

/** A fresh routing id for a worker socket, readable in logs: "<name>-<4 hex digits>", as the Guide's "%04X-%04X". */
export function workerIdentity(name: string): string {
  const suffix = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .toUpperCase()
    .padStart(4, "0");
  return `${name}-${suffix}`;
}
