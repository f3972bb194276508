// The Freelance pattern's wire facts: ports, timings and RFC 10's two commands. Everything here
// matches the ZeroMQ Guide's flserver1-3, flclient1-3 and flcliapi, so each of our roles works
// with the Guide's in any language.

/** The Guide runs its servers on 5555, 5556 and 5557 (flclient3 connects to all three). */
export const SERVER_PORTS = [5555, 5556, 5557];

/** Model 1 (flclient1): how long to wait for each reply, and how often to ask one server again. */
export const REQUEST_TIMEOUT_MS = 1000;
export const MAX_RETRIES = 3;

/** Model 2 (flclient2): if not a single server replies within this time, give up. */
export const SHOTGUN_TIMEOUT_MS = 2500;

/** Model 3 (flcliapi): ping each server we have not heard from for this long... */
export const PING_INTERVAL_MS = 2000;
/** ...and count it as dead after this much silence. */
export const SERVER_TTL_MS = 6000;
/** If no server replies within this time, the request fails (flcliapi's GLOBAL_TIMEOUT). */
export const GLOBAL_TIMEOUT_MS = 3000;

/** RFC 10: a client's heartbeat, and the server's answer. One frame each. */
export const PING = "PING";
export const PONG = "PONG";
/** The body of every reply from the Guide's model 2 and model 3 servers. */
export const OK = "OK";

/**
 * libzmq drops the connection of a peer that sends a larger frame (maxMessageSize is checked
 * frame by frame). Requests here are short names and sequence numbers, so 64 KiB is generous.
 */
export const MAX_FRAME_BYTES = 64 * 1024;

/** A request or reply of more frames than this is refused by our own checks. */
export const MAX_FRAMES = 16;

/**
 * Every ROUTER here. mandatory: a message for a peer we are not connected to fails
 * (EHOSTUNREACH) instead of vanishing; sendTimeout 0: one for a peer that does not read fails
 * (EAGAIN) instead of stalling the loop.
 */
export const ROUTER_OPTIONS = {
  linger: 0,
  mandatory: true,
  sendTimeout: 0,
  maxMessageSize: MAX_FRAME_BYTES,
};

/** A ROUTER send failed: the peer is not connected (EHOSTUNREACH) or not reading (EAGAIN). */
export const isUnreachable = (error: unknown): boolean =>
  ["EHOSTUNREACH", "EAGAIN"].includes((error as { code?: string }).code ?? "");

/** The endpoint a client uses for a server bound to `bind`: tcp://*:5555 -> tcp://localhost:5555. */
export const publicEndpoint = (bind: string): string =>
  bind.replace("://*:", "://localhost:").replace("://0.0.0.0:", "://localhost:");

/** A sequence number frame as the Guide writes it: decimal text. */
export const parseSequence = (frame: Buffer | undefined): number | undefined => {
  const text = frame?.toString() ?? "";
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
};
