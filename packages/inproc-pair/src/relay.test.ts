import { runRoleProcess, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Pair } from "zeromq";
import { READY } from "./protocol.ts";
import { relayDefaults, runRelay } from "./relay.ts";

describe("the relay (step 3, in the main thread)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("completes the chain: step 1 signals step 2, step 2 signals step 3, every thread ends", async () => {
    // Resolves only after step 2's thread (and so step 1's) has returned by itself.
    expect(await runRelay({ ...relayDefaults })).toBe(1);
  });

  it("completes again and again, with new threads and sockets on the same endpoints", async () => {
    expect(await runRelay({ ...relayDefaults, rounds: 3 })).toBe(3);
    expect(await runRelay({ ...relayDefaults, rounds: 2 })).toBe(2);
  });

  it("warns about anything but READY, naming it, and keeps waiting for the real signal", async () => {
    const log = vi.spyOn(console, "log");
    const endpoint = "inproc://relay-bad-input";
    const relay = startRole(runRelay, { ...relayDefaults, bind: endpoint, withoutStep2: true });
    await relay.ready;
    const step2 = new Pair({ linger: 0 }); // the test plays step 2
    step2.connect(endpoint);
    await step2.send("HELLO");
    await step2.send([READY, "extra"]);
    await step2.send(Buffer.from([0xff, 0x00, 0x01]));
    await step2.send(Buffer.alloc(1024 * 1024, 0x41));
    await step2.send(READY);
    expect(await relay.done).toBe(1);
    step2.close();
    const lines = log.mock.calls.flat().join("\n");
    expect(lines).toContain('[relay] W: expected "READY", got "HELLO"; still waiting for "READY"');
    expect(lines).toContain('[relay] W: expected 1 frame, got 2: "READY" "extra"');
    expect(lines).toContain('[relay] W: expected "READY", got 0xff0001');
    expect(lines).toMatch(/\[relay\] W: expected "READY", got "A+"\.\.\. \(1048576 bytes\)/);
    expect(lines).toContain("[relay] Test successful! (1/1)");
  });

  it("stops cleanly when told to before the chain completes, threads included", async () => {
    const relay = startRole(runRelay, {
      ...relayDefaults,
      bind: "inproc://relay-stopped-step3",
      step2: "inproc://relay-stopped-step2",
      step1DelayMs: 60_000,
    });
    await relay.ready;
    expect(await relay.stop()).toBe(0); // resolves once every thread has returned
  });

  it("runs as a process that ends by itself with exit code 0: nothing left pending", async () => {
    const result = await runRoleProcess("src/relay.ts", ["--rounds", "3"]).exited;
    expect(result.stdout.match(/\[relay\] Test successful!/g)).toHaveLength(3);
    expect(result.stdout).toContain("[relay] done: 3 of 3 rounds completed");
    expect(result.stderr).toBe("");
    expect(result.signal).toBeNull(); // it was never killed
    expect(result.code).toBe(0);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal} while every thread waits: each closes its own sockets`, async () => {
      const relay = runRoleProcess("src/relay.ts", ["--step1-delay-ms", "60000"]);
      await relay.waitForLine(/\[step1\] connected to inproc:\/\/step2/);
      relay.signal(signal);
      const result = await relay.exited;
      expect(result.stdout).toContain(`[relay] ${signal} received, closing sockets`);
      expect(result.stdout).toContain("[step2] stop message received, closing sockets");
      expect(result.stdout).toContain("[step1] stop message received, closing sockets");
      expect(result.stdout).toContain("[relay] stopped: 0 of 1 rounds completed");
      expect(result.code).toBe(0);
    });
  }
});
