// The Binary Star finite-state machine, the whole rule set on one screen. Pure: it is given the
// state, the event and whether the peer has expired, and says what happens; the servers
// (server.ts, bstar.ts) wire it to sockets and clocks. Numbers as in the Guide's bstar.c.

/** A server's own state; it publishes this number to its peer every heartbeat. */
export const State = { Primary: 1, Backup: 2, Active: 3, Passive: 4 } as const;
export type State = (typeof State)[keyof typeof State];

/** Events 1-4 are the peer's state as it published it; 5 is a client's request. */
export const Event = {
  PeerPrimary: 1,
  PeerBackup: 2,
  PeerActive: 3,
  PeerPassive: 4,
  ClientRequest: 5,
} as const;
export type Event = (typeof Event)[keyof typeof Event];

export type Outcome =
  | { kind: "stay" } // nothing changes; a client request is served (only ACTIVE stays on one)
  | { kind: "become"; state: State; why: string } // a new state; a client request is served
  | { kind: "refuse" } // a client request is dropped: its client will fail over
  | { kind: "fatal"; why: string }; // split brain: the server must stop

const become = (state: State, why: string): Outcome => ({ kind: "become", state, why });
const STAY: Outcome = { kind: "stay" };
const REFUSE: Outcome = { kind: "refuse" };

/** What `event` does to a server in `state`. `peerExpired`: nothing heard from the peer for PEER_EXPIRY_MS. */
export function step(state: State, event: Event, peerExpired: boolean): Outcome {
  const client = event === Event.ClientRequest;
  switch (state) {
    case State.Primary: // waiting for the backup; clients only once it has been silent long enough
      if (event === Event.PeerBackup)
        return become(State.Active, "connected to backup (passive), ready as active");
      if (event === Event.PeerActive)
        return become(State.Passive, "connected to backup (active), ready as passive");
      if (client)
        return peerExpired ? become(State.Active, "request from client, ready as active") : REFUSE;
      return STAY;
    case State.Backup: // waiting for the primary; never serves a client in this state
      if (event === Event.PeerActive)
        return become(State.Passive, "connected to primary (active), ready as passive");
      return client ? REFUSE : STAY;
    case State.Active: // the only way out of ACTIVE is death
      if (event === Event.PeerActive)
        return { kind: "fatal", why: "dual actives (split brain), aborting" };
      return STAY;
    case State.Passive: // the client's vote decides a failover, and only once the peer is silent
      if (event === Event.PeerPrimary)
        return become(State.Active, "primary (passive) is restarting, ready as active");
      if (event === Event.PeerBackup)
        return become(State.Active, "backup (passive) is restarting, ready as active");
      if (event === Event.PeerPassive) return { kind: "fatal", why: "dual passives, aborting" };
      if (client)
        return peerExpired ? become(State.Active, "failover successful, ready as active") : REFUSE;
      return STAY;
  }
}

/** The name of a state, for log lines: "ACTIVE". */
export const stateName = (state: State): string =>
  (Object.keys(State) as (keyof typeof State)[])
    .find((name) => State[name] === state)!
    .toUpperCase();
