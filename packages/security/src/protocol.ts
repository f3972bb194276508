// The security package's wire facts: ports, the ZAP protocol (RFC 27) and the houses' defaults.
// Ports and credentials are those of the "Using ZeroMQ Security" examples (server on
// tcp://*:9000, user "admin" with password "secret", 127.0.0.1 allowed).

/** Every house's server binds here, as the articles' examples do. */
export const SERVER_PORT = 9000;
/** The eavesdropping relay (relay.ts) listens here and passes the bytes on to the server. */
export const RELAY_PORT = 9100;

/** libzmq sends its ZAP requests to the REP socket bound here, in the same context (RFC 27). */
export const ZAP_ENDPOINT = "inproc://zeromq.zap.01";
export const ZAP_VERSION = "1.0";
/** ZAP reply status codes (RFC 27). */
export const ZAP_STATUS = {
  /** allowed: the handshake goes on */
  ok: "200",
  /** temporary error: libzmq 4.3.5 fails the handshake on the server and tells the client nothing */
  temporary: "300",
  /** denied: the client gets an ERROR command and does not reconnect */
  denied: "400",
  /** internal error in the handler */
  internal: "500",
} as const;
export type ZapStatus = (typeof ZAP_STATUS)[keyof typeof ZAP_STATUS];

/**
 * The ZAP domain the servers set. For NULL (Strawhouse) libzmq asks the ZAP handler only when
 * the socket has a non-empty zapDomain; for PLAIN and CURVE it always asks (when one is bound).
 */
export const ZAP_DOMAIN = "global";

/** The request a client sends and the reply a server sends back. */
export const REQUEST = "Hello";
export const REPLY = "World";

/** How long a client waits for its reply before it concludes it was refused. */
export const REPLY_TIMEOUT_MS = 2500;
/** A server drops a connection whose handshake is not done by then (libzmq's default: 30 s). */
export const HANDSHAKE_TIMEOUT_MS = 5000;
/** libzmq drops the connection of a peer that sends a larger frame. */
export const MAX_FRAME_BYTES = 64 * 1024;

/** Strawhouse: the addresses allowed in. */
export const ALLOWED_ADDRESSES = ["127.0.0.1"];
/** Woodhouse: user name and password, as in the articles. */
export const USERNAME = "admin";
export const PASSWORD = "secret";

/** Where keygen writes certificates, and where the CURVE roles look for them by default. */
export const CERTIFICATE_DIR = "certificates";
/** Ironhouse: the directory of public certificates of the clients allowed in. */
export const ALLOWED_CLIENTS_DIR = "certificates/allowed";
