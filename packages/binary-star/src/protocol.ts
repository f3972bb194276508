// Binary Star's wire facts: ports, timings and the state messages, as the ZeroMQ Guide's
// bstarsrv, bstarcli, bstar and bstarsrv2 use them (chapter 4; there is no RFC), so that each
// of our roles pairs with the Guide's in any language.
import type { Logger } from "@zmq-patterns/helpers";
import { Subscriber } from "zeromq";
import { State } from "./fsm.ts";

/** Each server's frontend, where clients (REQ) connect: the primary's and the backup's. */
export const PRIMARY_FRONTEND_PORT = 5001;
export const BACKUP_FRONTEND_PORT = 5002;
/** Each server publishes its state here (PUB), and subscribes (SUB) to the other's. */
export const PRIMARY_STATE_PORT = 5003;
export const BACKUP_STATE_PORT = 5004;

/** A server publishes its state this often... */
export const HEARTBEAT_MS = 1000;
/** ...and counts its peer as dead after this long without one (two heartbeats). */
export const PEER_EXPIRY_MS = 2 * HEARTBEAT_MS;

/** The client waits this long for a reply before it fails over to the other server... */
export const REQUEST_TIMEOUT_MS = 1000;
/** ...and first waits this long, so that the other server's peer expiry has passed (bstarcli). */
export const SETTLE_DELAY_MS = 2000;

/**
 * libzmq drops the connection of a peer that sends a frame larger than this. Requests are
 * sequence numbers and state messages one digit, so 64 KiB is generous.
 */
export const MAX_FRAME_BYTES = 64 * 1024;

export type Role = "primary" | "backup";

/** What a server (server.ts, or one on the bstar reactor) returns when it stops. */
export interface ServerResult {
  /** The state it ended in. */
  state: State;
  /** Client requests echoed, and refused (dropped: the client fails over). */
  served: number;
  refused: number;
  /** Set when a fatal event (split brain) stopped it. */
  fatal?: string;
}

/** The role a server's command line asks for (`--role primary|backup`), to pick its defaults. */
export function roleOf(argv: string[]): Role {
  const at = argv.indexOf("--role");
  const role = at >= 0 ? argv[at + 1] : "primary";
  if (role === "primary" || role === "backup") return role;
  console.error(`E: --role must be primary or backup, got "${role}"`);
  process.exit(2);
}

/** The Guide's endpoints for each role: bind the frontend and the state PUB, connect to the peer's PUB. */
export function guideEndpoints(role: Role) {
  const [front, mine, peer] =
    role === "primary"
      ? [PRIMARY_FRONTEND_PORT, PRIMARY_STATE_PORT, BACKUP_STATE_PORT]
      : [BACKUP_FRONTEND_PORT, BACKUP_STATE_PORT, PRIMARY_STATE_PORT];
  return {
    frontend: [`tcp://*:${front}`],
    statePub: [`tcp://*:${mine}`],
    stateSub: [`tcp://localhost:${peer}`],
  };
}

/** A state message is one frame: the sender's state as a decimal string, "1" to "4". */
export function encodeState(state: State): string {
  return String(state);
}

/** The peer's state from a state message, or why it is not one (garbage changes nothing). */
export function decodeState(frames: Buffer[]): State | string {
  if (frames.length !== 1) return `expected 1 frame, got ${frames.length}`;
  const text = frames[0]!.length <= 8 ? frames[0]!.toString("latin1") : "";
  const state = Object.values(State).find((value) => String(value) === text);
  return state ?? `not a state ("1" to "4"): ${frames[0]!.length} bytes`;
}

/** A client's request on a ROUTER frontend is [client, "", body]: why not, or undefined. */
export function checkRequest(frames: Buffer[]): string | undefined {
  if (frames.length < 3 || frames[1]!.length !== 0)
    return `expected [client, "", body], got ${frames.length} frame(s) without the empty delimiter`;
  if (frames.length !== 3) return `expected one body frame, got ${frames.length - 2}`;
  return undefined;
}

/** The frontend's ROUTER: mandatory + sendTimeout 0, so a reply to a client that left fails instead of stalling. */
export const FRONTEND_OPTIONS = {
  linger: 0,
  mandatory: true,
  sendTimeout: 0,
  maxMessageSize: MAX_FRAME_BYTES,
};

/** The state socket's SUB: it may not take a big frame, and after such a frame libzmq drops the
 * connection and never connects again; so we connect again ourselves, or the peer "dies". */
export function openStateSubscriber(endpoints: string[], log: Logger): Subscriber {
  const sub = new Subscriber({ linger: 0, maxMessageSize: MAX_FRAME_BYTES });
  sub.subscribe();
  sub.events.on("disconnect", () => {
    if (sub.closed) return;
    log.warn("lost the connection to the peer's state; connecting again");
    for (const endpoint of endpoints) {
      sub.disconnect(endpoint);
      sub.connect(endpoint);
    }
  });
  return sub;
}
