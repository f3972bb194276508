// Binary Star as a reactor (the Guide's bstar class): the state machine, the state sockets and
// the heartbeat, written once, so that any server can be made one of a pair. The application
// gives it a "voter" socket and a handler; the reactor calls the handler for each message the
// state machine lets through, and says when the server becomes active or passive.
//
//   const bstar = new BinaryStar({ role: "primary", statePub: ["tcp://*:5003"], stateSub: ["tcp://localhost:5004"] });
//   await bstar.voter(new Router({ linger: 0 }), ["tcp://*:5001"], (frames, socket) => socket.send(frames));
//   bstar.onActive = () => log.info("serving");
//   const { state, fatal } = await bstar.start(); // until stopped, or a fatal event
import { attach, describeFrame, type Logger, Poller, roleLog } from "@zmq-patterns/helpers";
import { Publisher, type Readable, type Socket, type Subscriber } from "zeromq";
import { Event, type Outcome, State, stateName, step } from "./fsm.ts";
import {
  decodeState,
  encodeState,
  HEARTBEAT_MS,
  openStateSubscriber,
  PEER_EXPIRY_MS,
  type Role,
  type ServerResult,
} from "./protocol.ts";

export interface BinaryStarOptions {
  role: Role;
  /** Where our state PUB binds, and the peer's state PUB we subscribe to. */
  statePub: string[];
  stateSub: string[];
  heartbeatMs?: number;
  peerExpiryMs?: number;
  /** Log each state message sent. */
  showState?: boolean;
  /** Log label (default: the role). */
  name?: string;
  /** Aborting it stops the reactor: it closes every socket, the voter's too, and returns. */
  signal?: AbortSignal;
}

/** A voter: a socket whose messages are client requests, and what to do with each one let through. */
type VoterSocket = Socket & Readable;
export type VoterHandler<S extends VoterSocket> = (frames: Buffer[], socket: S) => Promise<unknown>;

export type BinaryStarResult = ServerResult;

export class BinaryStar {
  readonly log: Logger;
  /** Called on becoming ACTIVE (then the handler starts getting requests) or PASSIVE. */
  onActive?: () => void;
  onPassive?: () => void;
  /** Says why a voter message is no client request (it is then dropped, and is no vote). */
  check?: (frames: Buffer[]) => string | undefined;
  readonly #options: Required<Omit<BinaryStarOptions, "signal">> & { signal?: AbortSignal };
  readonly #statePub = new Publisher({ linger: 0 });
  readonly #stateSub: Subscriber;
  #voter?: { socket: VoterSocket; handler: VoterHandler<VoterSocket> };
  readonly #result: BinaryStarResult;

  constructor(options: BinaryStarOptions) {
    this.#options = {
      heartbeatMs: HEARTBEAT_MS,
      peerExpiryMs: PEER_EXPIRY_MS,
      showState: false,
      name: options.role,
      ...options,
    };
    this.log = roleLog(this.#options.name);
    this.#stateSub = openStateSubscriber(options.stateSub, this.log);
    const state = options.role === "backup" ? State.Backup : State.Primary;
    this.#result = { state, served: 0, refused: 0 };
  }

  get state(): State {
    return this.#result.state;
  }

  /** Binds the voter socket (exactly one per reactor); returns the endpoints it is on. */
  async voter<S extends VoterSocket>(socket: S, bind: string[], handler: VoterHandler<S>) {
    if (this.#voter) throw new Error("a Binary Star reactor has exactly one voter");
    this.#voter = { socket, handler: handler as VoterHandler<VoterSocket> };
    return attach(socket, { bind, connect: [] }, this.log);
  }

  /** Binds and connects the state sockets; returns their endpoints (call before start). */
  async connectPeer(): Promise<string[]> {
    const { statePub, stateSub } = this.#options;
    return [
      ...(await attach(this.#statePub, { bind: statePub, connect: [] }, this.log)),
      ...(await attach(this.#stateSub, { bind: [], connect: stateSub }, this.log)),
    ];
  }

  /** Runs the reactor until stopped or a fatal event. */
  async start(): Promise<BinaryStarResult> {
    if (!this.#voter) throw new Error("register a voter before start()");
    const { socket: voter, handler } = this.#voter;
    const { heartbeatMs, peerExpiryMs, showState, signal } = this.#options;
    const result = this.#result;
    const sockets = [voter, this.#statePub, this.#stateSub];
    const closeAll = () => {
      for (const socket of sockets) if (!socket.closed) socket.close();
    };
    if (signal?.aborted) closeAll();
    signal?.addEventListener("abort", closeAll, { once: true });

    const apply = (outcome: Outcome) => {
      if (outcome.kind !== "become") return;
      this.log.info(
        `state ${stateName(result.state)} -> ${stateName(outcome.state)}: ${outcome.why}`,
      );
      result.state = outcome.state;
      if (outcome.state === State.Active) this.onActive?.();
      if (outcome.state === State.Passive) this.onPassive?.();
    };
    this.log.info(`${stateName(result.state)}: waiting for the peer's state`);
    let peerExpiresAt = Date.now() + peerExpiryMs;
    let peerSilent = false; // said so in the log already
    let stateAt = Date.now() + heartbeatMs;
    const poller = new Poller({ voter, peer: this.#stateSub });
    for (;;) {
      const event = await poller.next({ timeoutMs: stateAt - Date.now() });
      if (event.kind === "closed") break;
      const now = Date.now();
      if (event.kind === "message" && event.from === "voter") {
        const problem = this.check?.(event.frames);
        if (problem)
          this.log.warn(`bad request from ${describeFrame(event.frames[0]!)}: ${problem}; dropped`); // and no vote
        else {
          const outcome = step(result.state, Event.ClientRequest, now >= peerExpiresAt);
          apply(outcome);
          if (outcome.kind === "refuse") {
            result.refused += 1; // no one will read it: the client fails over
            const peer = now >= peerExpiresAt ? "expired" : "not expired yet";
            this.log.warn(`refused a client request in ${stateName(result.state)} (peer ${peer})`);
          } else {
            result.served += 1;
            await handler(event.frames, voter);
          }
        }
      } else if (event.kind === "message") {
        const peer = decodeState(event.frames);
        if (typeof peer === "string") this.log.warn(`bad state message: ${peer}; ignored`);
        else {
          if (peerSilent) this.log.info(`the peer is back, ${stateName(peer)}`);
          peerExpiresAt = now + peerExpiryMs;
          peerSilent = false;
          const outcome = step(result.state, peer, false);
          if (outcome.kind === "fatal") {
            this.log.error(
              `fatal: ${stateName(result.state)} and the peer is ${stateName(peer)}: ${outcome.why}`,
            );
            result.fatal = outcome.why;
            break;
          }
          apply(outcome);
        }
      }
      if (this.#statePub.closed) break;
      if (now >= stateAt) {
        await this.#statePub.send(encodeState(result.state));
        if (showState) this.log.info(`sent state ${stateName(result.state)}`);
        stateAt = now + heartbeatMs;
      }
      if (now >= peerExpiresAt && !peerSilent) {
        peerSilent = true;
        this.log.warn(`the peer has been silent for ${peerExpiryMs} ms: it counts as dead`);
      }
    }
    signal?.removeEventListener("abort", closeAll);
    closeAll();
    return result;
  }
}
