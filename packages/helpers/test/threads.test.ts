import { describe, expect, it } from "vitest";
import { Pair } from "zeromq";
import { runRoleProcess } from "../src/testing.ts";
import { startWorkerThread } from "../src/threads.ts";

const echoThread = new URL("./fixtures/echo-thread.ts", import.meta.url);
let endpoints = 0;

/** A PAIR bound on a fresh inproc endpoint, for one echo thread to connect to. */
async function boundPair(): Promise<{ socket: Pair; endpoint: string }> {
  const socket = new Pair({ linger: 0 });
  const endpoint = `inproc://threads-test-${++endpoints}`;
  await socket.bind(endpoint);
  return { socket, endpoint };
}

describe("startWorkerThread", () => {
  it("runs a TypeScript file in a thread that reaches the main thread over inproc", async () => {
    const { socket, endpoint } = await boundPair();
    const thread = startWorkerThread(echoThread, { endpoint, fail: false });
    await socket.send("ping");
    expect((await socket.receive()).toString()).toBe("ping");
    thread.stop(); // the thread is waiting on a receive: it must close its socket, not be killed
    await expect(thread.exited).resolves.toBeUndefined();
    socket.close();
  });

  it("stops a thread when the signal aborts, even before the thread has started listening", async () => {
    const { socket, endpoint } = await boundPair();
    const controller = new AbortController();
    const thread = startWorkerThread(echoThread, { endpoint, fail: false }, controller.signal);
    controller.abort();
    await expect(thread.exited).resolves.toBeUndefined();
    socket.close();
  });

  it("stops many threads waiting on receives, one after another, and the process lives on", async () => {
    for (let round = 0; round < 5; round++) {
      const { socket, endpoint } = await boundPair();
      const thread = startWorkerThread(echoThread, { endpoint, fail: false });
      await socket.send(`round ${round}`);
      expect((await socket.receive()).toString()).toBe(`round ${round}`);
      thread.stop();
      await thread.exited;
      socket.close();
    }
  });

  it("rejects `exited` with the error the thread threw", async () => {
    const thread = startWorkerThread(echoThread, { endpoint: "inproc://unused", fail: true });
    await expect(thread.exited).rejects.toThrow("echo-thread failed on purpose");
  });

  it("prints a thread's lines in the order things happened, not later through the main thread", async () => {
    const fixture = new URL("./fixtures/ordered-lines.ts", import.meta.url).pathname;
    const result = await runRoleProcess(fixture).exited;
    const expected = [1, 2, 3, 4, 5].flatMap((round) => [`thread ${round}`, `main ${round}`]);
    expect(result.stdout.trim().split("\n")).toEqual(expected);
    expect(result.code).toBe(0);
  });
});
