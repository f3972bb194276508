// Ports, frames and limits shared by the brokers, devices, clients and workers of this package.
// Ports and texts are the ZeroMQ Guide's, so each role works with the Guide's examples.

/** Request-reply broker (rrbroker), msgqueue (Proxy) and streamer: clients or producers here... */
export const FRONTEND_PORT = 5559;
/** ...and workers or consumers here. */
export const BACKEND_PORT = 5560;

/** rrclient sends "Hello", rrworker answers "World" (the Guide's rrclient/rrworker). */
export const REQUEST = "Hello";
export const REPLY = "World";

/** Weather updates (wuserver): the publisher binds here; one frame "<zip> <temp> <humidity>". */
export const WEATHER_PORT = 5556;
/** wuproxy: the forwarder's XPUB binds here for subscribers inside the other network. */
export const FORWARDER_PORT = 8100;
/** wuclient subscribes to this zip code (a subscription is a prefix: note the space). */
export const ZIP_FILTER = "10001 ";

/** Pipeline behind the streamer: the ventilator collects results here (the Guide's tasksink). */
export const RESULTS_PORT = 5558;

/** Multithreaded server (mtserver): Hello World clients connect here, as to hwserver. */
export const MTSERVER_PORT = 5555;
/** mtserver's worker threads connect here; inproc works only inside one process (one context). */
export const WORKERS_ENDPOINT = "inproc://workers";
/** The identity example: every socket lives in one process. */
export const IDENTITY_ENDPOINT = "inproc://example";

/** Load-balancing broker: clients and workers, on the ports the Simple Pirate queue uses later. */
export const LB_FRONTEND_PORT = 5555;
export const LB_BACKEND_PORT = 5556;
/** A load-balancing worker's first message: "I am idle" (the Guide's lbbroker sends "READY"). */
export const READY = "READY";
/** What the Guide's lbworker answers to every request. */
export const LB_REPLY = "OK";

/**
 * Largest frame a broker takes (ZMQ_MAXMSGSIZE): libzmq disconnects a peer that sends a larger
 * frame before our code sees it. It bounds each frame, not a message: a message of many frames
 * of this size still gets through (libzmq 4.3 has no limit on a whole message, and its
 * high-water marks count messages). Against hostile peers: authentication, trusted networks.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
