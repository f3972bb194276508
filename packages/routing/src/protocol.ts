// The routing package's wire facts: the Guide's ports and texts for chapter 3's examples
// (rtreq, rtdealer, asyncsrv, the extended request-reply chain), and the limits our routers
// and servers enforce on what peers send them.

/** The chain of two brokers (the Guide's rrbroker ports): REQ -> :5559 hop -> :5561 hop :5560 <- REP. */
export const CHAIN_FRONTEND_PORT = 5559;
export const CHAIN_BACKEND_PORT = 5560;
/** Where the first hop's DEALER reaches the second hop's ROUTER (a port the Guide leaves free). */
export const CHAIN_MIDDLE_PORT = 5561;

/** rtreq and rtdealer: the boss's ROUTER binds here, workers connect. */
export const BOSS_PORT = 5671;
/** rtreq/rtdealer: what a worker says when it wants work, what the boss answers, and the end. */
export const HI_BOSS = "Hi Boss";
export const WORK_HARDER = "Work harder";
export const FIRED = "Fired!";
/** The Guide's boss runs for 5 s, then fires each worker at its next request. */
export const BOSS_RUN_MS = 5000;
/** The Guide's workers "work" a random 1..500 ms per task. */
export const WORKER_MAX_WORK_MS = 500;

/** asyncsrv: clients connect to the server's ROUTER here; workers reach its DEALER over inproc. */
export const ASYNC_PORT = 5570;
export const ASYNC_BACKEND = "inproc://backend";
/** asyncsrv: 5 worker threads, each answering a request with 0..4 replies, 1..1000 ms apart. */
export const ASYNC_WORKERS = 5;
export const ASYNC_MAX_REPLIES = 4;
export const ASYNC_MAX_REPLY_DELAY_MS = 1000;
/** asyncsrv: a client sends a request every second. */
export const ASYNC_REQUEST_INTERVAL_MS = 1000;

/**
 * libzmq drops the connection of a peer that sends a frame larger than this (maxMessageSize is
 * per frame). Everything in this package is a short text, so 64 KiB is generous.
 */
export const MAX_FRAME_BYTES = 64 * 1024;

/**
 * The asynchronous server's worker threads send back the frames they were given. zeromq.js sends a
 * Buffer over 128 bytes without copying it, so a reply of such a frame would point into the memory
 * of a thread that may end first (see packages/helpers/src/threads.ts): the server passes a thread
 * only frames up to this size, and refuses larger ones with a warning.
 */
export const MAX_THREAD_FRAME_BYTES = 128;

/** True for an empty frame: the delimiter between an address stack and the body. */
export const isDelimiter = (frame: Buffer | undefined): boolean => frame?.length === 0;

/** The error code of a failed send or receive ("EHOSTUNREACH", "EAGAIN"...), if it has one. */
export const errorCode = (error: unknown): string | undefined => (error as { code?: string }).code;

/** A ROUTER send failed: no such peer (EHOSTUNREACH, with mandatory) or it is not reading (EAGAIN). */
export const isUnreachable = (error: unknown): boolean =>
  ["EHOSTUNREACH", "EAGAIN"].includes(errorCode(error) ?? "");
