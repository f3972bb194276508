import { describe, expect, it } from "vitest";
import { Event, type Outcome, State, stateName, step } from "./fsm.ts";

// Every state against every event, with the peer alive and expired: 40 cases, the Guide's rules.
const { Primary, Backup, Active, Passive } = State;
const { PeerPrimary, PeerBackup, PeerActive, PeerPassive, ClientRequest } = Event;
type Expected = "stay" | "refuse" | "fatal" | State;
/** [state, event, expected with the peer alive, expected once it has expired] */
const rules: [State, Event, Expected, Expected][] = [
  [Primary, PeerPrimary, "stay", "stay"],
  [Primary, PeerBackup, Active, Active],
  [Primary, PeerActive, Passive, Passive],
  [Primary, PeerPassive, "stay", "stay"],
  [Primary, ClientRequest, "refuse", Active],
  [Backup, PeerPrimary, "stay", "stay"],
  [Backup, PeerBackup, "stay", "stay"],
  [Backup, PeerActive, Passive, Passive],
  [Backup, PeerPassive, "stay", "stay"],
  [Backup, ClientRequest, "refuse", "refuse"],
  [Active, PeerPrimary, "stay", "stay"],
  [Active, PeerBackup, "stay", "stay"],
  [Active, PeerActive, "fatal", "fatal"],
  [Active, PeerPassive, "stay", "stay"],
  [Active, ClientRequest, "stay", "stay"],
  [Passive, PeerPrimary, Active, Active],
  [Passive, PeerBackup, Active, Active],
  [Passive, PeerActive, "stay", "stay"],
  [Passive, PeerPassive, "fatal", "fatal"],
  [Passive, ClientRequest, "refuse", Active],
];
const summary = (outcome: Outcome): Expected =>
  outcome.kind === "become" ? outcome.state : outcome.kind;
const eventName = (event: Event) => Object.entries(Event).find(([, value]) => value === event)![0];

describe("the Binary Star state machine", () => {
  it("has a rule for every state and event", () => {
    expect(rules).toHaveLength(Object.keys(State).length * Object.keys(Event).length);
  });

  for (const [state, event, alive, expired] of rules) {
    const show = (expected: Expected) =>
      typeof expected === "number" ? `becomes ${stateName(expected)}` : expected;
    it(`${stateName(state)} + ${eventName(event)}: ${show(alive)} (peer alive), ${show(expired)} (peer expired)`, () => {
      expect(summary(step(state, event, false))).toBe(alive);
      expect(summary(step(state, event, true))).toBe(expired);
    });
  }

  it("says why it changes state, in the Guide's words", () => {
    expect(step(Passive, ClientRequest, true)).toEqual({
      kind: "become",
      state: Active,
      why: "failover successful, ready as active",
    });
    expect(step(Active, PeerActive, false)).toEqual({
      kind: "fatal",
      why: "dual actives (split brain), aborting",
    });
    expect(step(Passive, PeerPassive, false)).toEqual({
      kind: "fatal",
      why: "dual passives, aborting",
    });
  });

  it("serves clients only in ACTIVE, or on the request that makes it ACTIVE", () => {
    for (const state of Object.values(State))
      for (const expired of [false, true]) {
        const outcome = step(state, ClientRequest, expired);
        const served = outcome.kind !== "refuse";
        const endsActive = outcome.kind === "become" ? outcome.state === Active : state === Active;
        expect(served).toBe(endsActive);
      }
  });
});
