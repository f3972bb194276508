import { startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Pair } from "zeromq";
import { READY } from "./protocol.ts";
import { runStep2, step2Defaults } from "./step2.ts";

let tests = 0;

/** Fresh endpoints, and a PAIR bound where step 2 signals, playing step 3. */
async function playStep3(): Promise<{ step3: Pair; bind: string; connect: string }> {
  const name = `inproc://step2-test-${++tests}`;
  const step3 = new Pair({ linger: 0 });
  await step3.bind(`${name}-step3`);
  return { step3, bind: `${name}-step2`, connect: `${name}-step3` };
}

describe("step 2 (in a worker thread when the relay runs; in process here)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("starts step 1 in a thread, waits for its READY and passes it on to step 3", async () => {
    const { step3, bind, connect } = await playStep3();
    const step2 = startRole(runStep2, { ...step2Defaults, bind, connect });
    expect((await step3.receive()).toString()).toBe(READY);
    expect(await step2.done).toBe(true); // and step 1's thread has ended
    step3.close();
  });

  it("warns about anything but READY, naming it, and passes on only the real signal", async () => {
    const log = vi.spyOn(console, "log");
    const { step3, bind, connect } = await playStep3();
    const step2 = startRole(runStep2, { ...step2Defaults, bind, connect, withoutStep1: true });
    await step2.ready;
    const step1 = new Pair({ linger: 0 }); // the test plays step 1
    step1.connect(bind);
    await step1.send("ready"); // signals are case-sensitive
    await step1.send([READY, READY]);
    await step1.send("");
    await step1.send(READY);
    expect((await step3.receive()).toString()).toBe(READY);
    expect(await step2.done).toBe(true);
    const lines = log.mock.calls.flat().join("\n");
    expect(lines).toContain('[step2] W: expected "READY", got "ready"; still waiting for "READY"');
    expect(lines).toContain('[step2] W: expected 1 frame, got 2: "READY" "READY"');
    expect(lines).toContain('[step2] W: expected "READY", got ""');
    for (const socket of [step1, step3]) socket.close();
  });

  it("stops cleanly while waiting for step 1, and step 3 gets nothing", async () => {
    const { step3, bind, connect } = await playStep3();
    const step2 = startRole(runStep2, { ...step2Defaults, bind, connect, step1DelayMs: 60_000 });
    await step2.ready;
    expect(await step2.stop()).toBe(false); // resolves once step 1's thread has returned too
    step3.close();
  });
});
