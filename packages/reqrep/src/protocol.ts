// What travels between the Hello World client and server: one text frame each way.
// These match the ZeroMQ Guide's hwclient/hwserver, so either side works with the Guide's.

export const HELLO_PORT = 5555;
export const REQUEST = "Hello";
export const REPLY = "World";

/** Longest request the server reads; anything longer is answered with an error. */
export const MAX_REQUEST_BYTES = 1024;
/**
 * libzmq itself disconnects a peer that sends a larger message, before our code sees it
 * (ZMQ_MAXMSGSIZE), so a misbehaving client cannot make the server hold gigabytes.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
