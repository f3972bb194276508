import { describe, expect, it } from "vitest";
import { identityDefaults, runIdentity } from "./identity.ts";

describe("identities and envelopes", () => {
  it("shows what a ROUTER receives from each kind of peer", async () => {
    const [fromReq, fromNamedReq, fromDealer] = await runIdentity({
      ...identityDefaults,
      endpoint: "inproc://identity-test",
    });
    // A REQ with no routing id: a 5-byte id made up by the ROUTER (first byte 0), a delimiter.
    expect(fromReq).toHaveLength(3);
    expect(fromReq![0]).toHaveLength(5);
    expect(fromReq![0]![0]).toBe(0);
    expect(fromReq!.slice(1).map(String)).toEqual(["", "ROUTER uses a generated 5 byte identity"]);
    // A REQ that named itself: that name is its routing id.
    expect(fromNamedReq!.map(String)).toEqual(["PEER2", "", "ROUTER uses REQ's socket identity"]);
    // A DEALER: a made-up id, then exactly the frames it sent, no delimiter.
    expect(fromDealer![0]![0]).toBe(0);
    expect(fromDealer!.slice(1).map(String)).toEqual([
      "a DEALER adds no delimiter",
      "and may send several frames",
    ]);
  });

  it("uses any routing id the peer chooses", async () => {
    const [, fromNamedReq] = await runIdentity({
      ...identityDefaults,
      endpoint: "inproc://identity-test-2",
      peerId: "alice",
    });
    expect(String(fromNamedReq![0])).toBe("alice");
  });
});
