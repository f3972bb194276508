// What travels between the Hello World client and server: one text frame each way.
// These match the ZeroMQ Guide's hwclient/hwserver, so either side works with the Guide's.

export const HELLO_PORT = 5555;
export const REQUEST = "Hello";
export const REPLY = "World";

/** Longest request the server reads; anything longer is answered with an error. */
export const MAX_REQUEST_BYTES = 1024;
/**
 * Largest frame the server takes (ZMQ_MAXMSGSIZE): libzmq disconnects a peer that sends a larger
 * frame before our code sees it. The limit is per frame, not per message: libzmq 4.3 has no bound
 * on a whole multipart message (its high-water marks count messages), so five frames of this
 * size still arrive as one 20 MiB request (a test shows it). It stops one huge frame, not a
 * hostile client; for those, authenticate peers and keep servers off untrusted networks.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
