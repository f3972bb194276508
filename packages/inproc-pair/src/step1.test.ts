import { startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { Pair } from "zeromq";
import { READY } from "./protocol.ts";
import { runStep1, step1Defaults } from "./step1.ts";

describe("step 1 (in a worker thread when the relay runs; in process here)", () => {
  it("signals READY to whoever is bound at its endpoint, then closes its socket", async () => {
    const step2 = new Pair({ linger: 0 });
    await step2.bind("inproc://step1-test-signal");
    expect(await runStep1({ ...step1Defaults, connect: "inproc://step1-test-signal" })).toBe(true);
    expect((await step2.receive()).toString()).toBe(READY); // still delivered after step 1 closed
    step2.close();
  });

  it("signals even when it starts before step 2 has bound (inproc connects either way round)", async () => {
    const signalled = runStep1({ ...step1Defaults, connect: "inproc://step1-test-late" });
    const step2 = new Pair({ linger: 0 });
    await step2.bind("inproc://step1-test-late");
    expect((await step2.receive()).toString()).toBe(READY);
    expect(await signalled).toBe(true);
    step2.close();
  });

  it("stops cleanly while working, without signalling", async () => {
    const step1 = startRole(runStep1, {
      ...step1Defaults,
      connect: "inproc://step1-test-stopped",
      delayMs: 60_000,
    });
    expect(await step1.stop()).toBe(false);
  });
});
