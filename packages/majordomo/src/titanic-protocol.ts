// Titanic's wire facts: the Titanic Service Protocol (RFC 9, TSP), carried over Majordomo
// (MDP/0.1). Three services, each a plain MDP service a worker registers with the broker, and
// four status codes. The Guide's titanic and ticlient (any language) use exactly these.

/** [service, body...] -> [status, uuid]: store a request, to be sent to `service` later. */
export const TITANIC_REQUEST = "titanic.request";
/** [uuid] -> [status, body...]: the stored reply, if there is one yet. */
export const TITANIC_REPLY = "titanic.reply";
/** [uuid] -> [status]: forget the request and its reply (idempotent: "200" for an unknown uuid). */
export const TITANIC_CLOSE = "titanic.close";
export const TITANIC_SERVICES = [TITANIC_REQUEST, TITANIC_REPLY, TITANIC_CLOSE] as const;

/** Done: the request is stored, the reply is here, the request is closed. */
export const OK = "200";
/** The request is stored but not answered yet: ask again later. */
export const PENDING = "300";
/** Titanic knows no such request, or the request is invalid: do not retry it. */
export const UNKNOWN = "400";
/** Titanic could not do it (e.g. the disk failed): retry later. */
export const ERROR = "500";

/**
 * How long the dispatcher waits for a service's reply, and how many times it sends the request
 * in each pass (the Guide's titanic: 1000 ms, once). A request not answered in time is sent again
 * on the next pass, so a service slower than this executes a request more than once.
 */
export const DISPATCH_TIMEOUT_MS = 1000;
export const DISPATCH_RETRIES = 1;
/** With nothing new, the dispatcher goes through the pending requests once a second (the Guide's). */
export const DISPATCH_INTERVAL_MS = 1000;

/** RFC 7 says nothing of lengths; a service name longer than this is surely a mistake. */
export const MAX_SERVICE_NAME_BYTES = 255;
/** Titanic stores a request of at most this many bytes in all (its frames summed); more gets "400". */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** The Guide's ticlient asks "echo" for "Hello world" and polls again this often. */
export const TICLIENT_SERVICE = "echo";
export const TICLIENT_BODY = "Hello world";
export const POLL_INTERVAL_MS = 100;
