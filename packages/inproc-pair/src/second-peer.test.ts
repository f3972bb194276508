import { describe, expect, it } from "vitest";
import { Pair } from "zeromq";
import { runSecondPeer } from "./second-peer.ts";

describe("a PAIR takes one peer", () => {
  it("a second peer connects without an error, and nothing it sends ever arrives", async () => {
    // Whether the second peer's send is taken (into a pipe step 2 refuses) or fails at once
    // depends on when step 2 processes the new connection; either way step 2 only ever hears
    // from the first peer, including the message the first peer sent after the second one.
    for (let run = 1; run <= 5; run++) {
      const received = await runSecondPeer({ bind: `inproc://second-peer-test-${run}` });
      expect(received).toEqual(["READY from the first peer", "READY again from the first peer"]);
    }
  });

  it("the refused peer stays refused, message after message, while the first peer gets through", async () => {
    const endpoint = "inproc://second-peer-test-many";
    const step2 = new Pair({ linger: 0 });
    await step2.bind(endpoint);
    const first = new Pair({ linger: 0 });
    first.connect(endpoint);
    await first.send("first 0");
    expect((await step2.receive()).toString()).toBe("first 0"); // the first peer is paired
    const second = new Pair({ linger: 0, sendTimeout: 0 });
    second.connect(endpoint);
    for (let count = 1; count <= 3; count++) {
      await second.send(`second ${count}`).catch((error: { code?: string }) => {
        if (error.code !== "EAGAIN") throw error; // EAGAIN: no peer to send to, as expected
      });
      await first.send(`first ${count}`);
      expect((await step2.receive()).toString()).toBe(`first ${count}`);
    }
    for (const socket of [step2, first, second]) socket.close();
  });
});
