// Majordomo's wire facts: MDP/0.1 (RFC 7) and the Majordomo Management Interface (RFC 8).
// Frame layouts, command bytes, the Guide's port and timings, as the Guide's mdbroker,
// mdcliapi, mdcliapi2 and mdwrkapi (any language) put them on the wire.

/** The broker binds one ROUTER here, for clients and workers alike. */
export const BROKER_PORT = 5555;
export const BROKER_ENDPOINT = `tcp://localhost:${BROKER_PORT}`;

/** First frame after the delimiter of every client message, both ways: "MDP/Client 0.1". */
export const MDPC01 = "MDPC01";
/** First frame after the delimiter of every worker message, both ways: "MDP/Worker 0.1". */
export const MDPW01 = "MDPW01";

/** The five worker commands, each one byte in the frame after MDPW01. */
export const READY = Buffer.from([0x01]); // worker -> broker: [READY, service]
export const REQUEST = Buffer.from([0x02]); // broker -> worker: [REQUEST, client, "", body...]
export const REPLY = Buffer.from([0x03]); // worker -> broker: [REPLY, client, "", body...]
export const HEARTBEAT = Buffer.from([0x04]); // both ways: [HEARTBEAT]
export const DISCONNECT = Buffer.from([0x05]); // both ways: [DISCONNECT]

/** Names for log lines, by command byte. */
export const COMMAND_NAMES: Record<number, string> = {
  1: "READY",
  2: "REQUEST",
  3: "REPLY",
  4: "HEARTBEAT",
  5: "DISCONNECT",
};
export const commandName = (command: Buffer | undefined): string =>
  command?.length === 1
    ? (COMMAND_NAMES[command[0]!] ?? `unknown 0x${command.toString("hex")}`)
    : `unknown ${command === undefined ? "(missing)" : `0x${command.toString("hex")}`}`;

/** Heartbeats both ways every 2500 ms; a peer silent for 3 intervals (7500 ms) is dead. */
export const HEARTBEAT_INTERVAL_MS = 2500;
export const HEARTBEAT_LIVENESS = 3;
/** A worker that lost its broker waits this long before it connects again. */
export const RECONNECT_MS = 2500;
/** A client waits this long for each reply... */
export const REQUEST_TIMEOUT_MS = 2500;
/** ...and sends a request this many times in all before it gives up (the Guide's mdcliapi). */
export const REQUEST_RETRIES = 3;

/** MMI (RFC 8): service names starting with "mmi." are answered by the broker itself. */
export const MMI_PREFIX = "mmi.";
/** `mmi.service` with body [name]: "200" when a worker for `name` is registered, else "404". */
export const MMI_SERVICE = "mmi.service";
export const MMI_FOUND = "200";
export const MMI_NOT_FOUND = "404";
/** Any other `mmi.*` name: "501", not implemented. */
export const MMI_NOT_IMPLEMENTED = "501";
export const isMmi = (service: string): boolean => service.startsWith(MMI_PREFIX);

/** The service the Guide's mdworker offers and its mdclient asks for. */
export const ECHO_SERVICE = "echo";

/**
 * libzmq drops the connection of a peer that sends a frame larger than this (maxMessageSize
 * is checked frame by frame); a peer that sends one is cut off before our code sees it.
 */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * The broker's ROUTER. mandatory: a message for a peer that has gone fails (EHOSTUNREACH)
 * instead of vanishing; sendTimeout 0: one for a peer that does not read fails (EAGAIN)
 * instead of stalling the broker's loop.
 */
export const BROKER_ROUTER_OPTIONS = {
  linger: 0,
  mandatory: true,
  sendTimeout: 0,
  maxMessageSize: MAX_FRAME_BYTES,
};

/** A ROUTER send failed: the peer is gone (EHOSTUNREACH, with mandatory) or not reading (EAGAIN). */
export const isUnreachable = (error: unknown): boolean =>
  ["EHOSTUNREACH", "EAGAIN"].includes((error as { code?: string }).code ?? "");

/** What a request or reply body may be made of: strings go on the wire as UTF-8. */
export type Frame = string | Buffer;
export const toBuffer = (frame: Frame): Buffer =>
  typeof frame === "string" ? Buffer.from(frame) : frame;

/** A fresh routing id for a worker socket, readable in logs: "<name>-<4 hex digits>". */
export function workerIdentity(name: string): string {
  const suffix = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .toUpperCase()
    .padStart(4, "0");
  return `${name}-${suffix}`;
}
