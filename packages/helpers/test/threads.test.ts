import { describe, expect, it } from "vitest";
import { Pair } from "zeromq";
import { runRoleProcess } from "../src/testing.ts";
import { postToParent, startWorkerThread } from "../src/threads.ts";

const echoThread = new URL("./fixtures/echo-thread.ts", import.meta.url);
const postThread = new URL("./fixtures/post-thread.ts", import.meta.url);
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

describe("postToParent and firstMessage", () => {
  it("hand the parent the first value a thread posts, even when the thread returns right after", async () => {
    const thread = startWorkerThread<string>(postThread, { text: "result", posts: 2 });
    await expect(thread.firstMessage).resolves.toBe("result 1");
    await expect(thread.exited).resolves.toBeUndefined();
  });

  it("reject firstMessage when the thread ends without posting anything", async () => {
    const thread = startWorkerThread<string>(postThread, { text: "unused", posts: 0 });
    await expect(thread.firstMessage).rejects.toThrow("ended without a message");
    await expect(thread.exited).resolves.toBeUndefined();
  });

  it("reject firstMessage with what the thread threw", async () => {
    const thread = startWorkerThread(echoThread, { endpoint: "inproc://unused", fail: true });
    await expect(thread.firstMessage).rejects.toThrow("echo-thread failed on purpose");
    await expect(thread.exited).rejects.toThrow("echo-thread failed on purpose");
  });

  it("postToParent refuses to run outside a worker thread", () => {
    expect(() => postToParent("nobody listens")).toThrow("only works in a worker thread");
  });
});
