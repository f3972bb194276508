// Binary Star server (the Guide's bstarsrv): one of a primary-backup pair. It echoes client
// requests only while ACTIVE, publishes its state to its peer every heartbeat, and feeds the
// peer's state and each client request to the state machine (fsm.ts), which decides the rest.
// Talks to: its peer (another server.ts, or the Guide's bstarsrv) and client.ts (or bstarcli).
// Run: pnpm --filter binary-star primary   and   pnpm --filter binary-star backup
//      [--frontend tcp://*:5001] [--state-pub tcp://*:5003] [--state-sub tcp://localhost:5004]
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  type Logger,
  Poller,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Publisher, Router, type Socket } from "zeromq";
import { Event, type Outcome, State, stateName, step } from "./fsm.ts";
import {
  checkRequest,
  decodeState,
  encodeState,
  FRONTEND_OPTIONS,
  guideEndpoints,
  HEARTBEAT_MS,
  openStateSubscriber,
  PEER_EXPIRY_MS,
  type Role,
  roleOf,
  type ServerResult,
} from "./protocol.ts";

/** Every knob of a server in `role`, the Guide's defaults (the endpoints differ by role). */
export const defaultsFor = (role: Role) => ({
  role: role as string,
  ...guideEndpoints(role), // frontend, statePub, stateSub
  /** Publish our state this often. */
  heartbeatMs: HEARTBEAT_MS,
  /** Count the peer as dead after this long without its state. */
  peerExpiryMs: PEER_EXPIRY_MS,
  /** Log each state message sent (normally only changes are logged). */
  showState: false,
  name: role as string,
});
export const serverDefaults = defaultsFor("primary");
export type ServerOptions = typeof serverDefaults & RoleControl;

export type { ServerResult };

/** What a server built on this one adds; exercise 01's "E: not active" is one. */
export interface ServerExtension {
  /** Called for each request the state machine refuses, [client, "", body]; nothing by default. */
  refused?: (request: Buffer[], frontend: Router, log: Logger) => Promise<void>;
}

/** Runs the server until stopped, or until a fatal event; returns what it did. */
export async function runServer(
  options: ServerOptions,
  extension: ServerExtension = {},
): Promise<ServerResult> {
  const log = roleLog(options.name);
  const frontend = new Router(FRONTEND_OPTIONS);
  const statePub = new Publisher({ linger: 0 });
  const stateSub = openStateSubscriber(options.stateSub, log);
  const sockets: Socket[] = [frontend, statePub, stateSub];
  closeOnAbort(options.signal, ...sockets);
  const endpoints = [
    ...(await attach(frontend, { bind: options.frontend, connect: [] }, log)),
    ...(await attach(statePub, { bind: options.statePub, connect: [] }, log)),
    ...(await attach(stateSub, { bind: [], connect: options.stateSub }, log)),
  ];
  options.onReady?.(endpoints);

  const result: ServerResult = {
    state: options.role === "backup" ? State.Backup : State.Primary,
    served: 0,
    refused: 0,
  };
  log.info(`${stateName(result.state)}: waiting for the peer's state`);
  let peerExpiresAt = Date.now() + options.peerExpiryMs; // as if we had heard from it at start
  let peerSilent = false; // said so in the log already
  let stateAt = Date.now() + options.heartbeatMs;
  const apply = (outcome: Outcome) => {
    if (outcome.kind !== "become") return;
    log.info(`state ${stateName(result.state)} -> ${stateName(outcome.state)}: ${outcome.why}`);
    result.state = outcome.state;
  };

  const poller = new Poller({ frontend, stateSub });
  for (;;) {
    const event = await poller.next({ timeoutMs: stateAt - Date.now() });
    if (event.kind === "closed") break;
    const now = Date.now();

    if (event.kind === "message" && event.from === "frontend") {
      // A client's request [client, "", body]: a vote for us, if the state machine agrees.
      const problem = checkRequest(event.frames);
      if (problem)
        log.warn(`bad request from ${describeFrame(event.frames[0]!)}: ${problem}; dropped`); // no vote
      else {
        const outcome = step(result.state, Event.ClientRequest, now >= peerExpiresAt);
        apply(outcome);
        if (outcome.kind === "refuse") {
          result.refused += 1;
          const peer = now >= peerExpiresAt ? "expired" : "not expired yet";
          log.warn(`refused a client request in ${stateName(result.state)} (peer ${peer})`);
          await extension.refused?.(event.frames, frontend, log); // exercise 01 answers it here
        } else {
          await frontend.send(event.frames).then(
            () => (result.served += 1),
            (error: unknown) => log.warn(`reply not sent (the client has gone?): ${String(error)}`),
          );
        }
      }
    } else if (event.kind === "message") {
      // The peer's state, one frame "1" to "4": also its heartbeat. Garbage changes nothing.
      const peer = decodeState(event.frames);
      if (typeof peer === "string") log.warn(`bad state message: ${peer}; ignored`);
      else {
        if (peerSilent) log.info(`the peer is back, ${stateName(peer)}`);
        peerExpiresAt = now + options.peerExpiryMs;
        peerSilent = false;
        const outcome = step(result.state, peer, false);
        if (outcome.kind === "fatal") {
          log.error(
            `fatal: ${stateName(result.state)} and the peer is ${stateName(peer)}: ${outcome.why}`,
          );
          result.fatal = outcome.why;
          break;
        }
        apply(outcome);
      }
    }

    if (statePub.closed) break; // stopped
    if (now >= stateAt) {
      await statePub.send(encodeState(result.state));
      if (options.showState) log.info(`sent state ${stateName(result.state)}`);
      stateAt = now + options.heartbeatMs;
    }
    if (now >= peerExpiresAt && !peerSilent) {
      peerSilent = true;
      log.warn(`the peer has been silent for ${options.peerExpiryMs} ms: it counts as dead`);
    }
  }

  for (const socket of sockets) socket.close();
  const ending = result.fatal ? "stopped (fatal)" : "stopped";
  log.info(
    `${ending} in ${stateName(result.state)}: ${result.served} served, ${result.refused} refused`,
  );
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(defaultsFor(roleOf(process.argv)));
  const { fatal } = await runServer({ ...options, signal: stopOnSignals(options.name) });
  if (fatal) process.exitCode = 1; // split brain: the operator must look
}
