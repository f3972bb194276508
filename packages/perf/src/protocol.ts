// The contract our perf tools share with libzmq's own (libzmq/perf/*.cpp): the same positional
// arguments, the same endpoints for the in-process tools, the same output lines. Run ours on one
// side and libzmq's on the other and the numbers compare line by line.

/** The port libzmq's "Measuring performance" page uses in its examples. */
export const PERF_PORT = 5555;

/** Fixed endpoints of libzmq's inproc_thr and inproc_lat. */
export const INPROC_THR_ENDPOINT = "inproc://thr_test";
export const INPROC_LAT_ENDPOINT = "inproc://lat_test";

/** The usage lines libzmq's tools print (exit code 1) when the argument count is wrong. */
export const USAGE = {
  local_thr: "usage: local_thr <bind-to> <message-size> <message-count>",
  remote_thr: "usage: remote_thr <connect-to> <message-size> <message-count>",
  local_lat: "usage: local_lat <bind-to> <message-size> <roundtrip-count>",
  remote_lat: "usage: remote_lat <connect-to> <message-size> <roundtrip-count>",
  inproc_thr: "usage: inproc_thr <message-size> <message-count>",
  inproc_lat: "usage: inproc_lat <message-size> <roundtrip-count>",
} as const;
export type ToolName = keyof typeof USAGE;

/** What libzmq's tools print when a message of the wrong size arrives. */
export const WRONG_SIZE = "message of incorrect size received";

/**
 * How long a closing socket may still deliver what it queued. libzmq's remote_thr relies on the
 * default linger (for ever) so the tail of its burst reaches local_thr; we bound it so a sender
 * whose receiver died still ends.
 */
export const FLUSH_LINGER_MS = 30_000;

/**
 * zeromq.js copies Buffers of up to 128 bytes into the message; larger ones are sent without a
 * copy (zero-copy) and stay owned by the sending thread until libzmq has released them.
 */
export const ZERO_COPY_THRESHOLD = 128;
