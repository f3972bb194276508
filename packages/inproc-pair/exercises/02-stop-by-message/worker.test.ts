import { exerciseModule, exerciseSubject, startWorkerThread } from "@zmq-patterns/helpers";
import { afterEach, describe, expect, it } from "vitest";
import { Pair } from "zeromq";

const worker = new URL(exerciseModule(import.meta.url, "worker.ts"));
let workers = 0;

describe(`exercise 02, stop a worker thread by a message (${exerciseSubject()})`, () => {
  const sockets: Pair[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  /** Binds a PAIR, starts a worker thread on it, and waits for its READY (or its failure). */
  async function startWorker() {
    const endpoint = `inproc://ex02-worker-${++workers}`;
    const socket = new Pair({ linger: 0 });
    sockets.push(socket);
    await socket.bind(endpoint);
    const thread = startWorkerThread(worker, { endpoint });
    const ended = thread.exited.then(() => {
      throw new Error("the worker thread ended before it sent READY");
    });
    const [ready] = await Promise.race([socket.receive(), ended]);
    expect(String(ready)).toBe("READY");
    const ask = async (...frames: (string | Buffer)[]) => {
      await socket.send(frames);
      return String(await socket.receive());
    };
    return { thread, ask };
  }

  it("answers PING with PONG, then on STOP says BYE and its thread ends by itself", async () => {
    const { thread, ask } = await startWorker();
    expect(await ask("PING 1")).toBe("PONG 1");
    expect(await ask("PING 42")).toBe("PONG 42");
    expect(await ask("STOP")).toBe("BYE");
    await expect(thread.exited).resolves.toBeUndefined(); // nobody called thread.stop()
  });

  it("answers anything else with an error and keeps serving", async () => {
    const { thread, ask } = await startWorker();
    // Each reply starts with "error: " and names what came.
    expect(await ask("HELLO")).toMatch(/^error: .*HELLO/);
    expect(await ask("PING", "1")).toMatch(/^error: .*PING/);
    expect(await ask(Buffer.from([0xff, 0xfe]))).toMatch(/^error: .*fffe/);
    // Near misses of the two commands are errors too, and STOP in two frames does not stop.
    for (const near of ["PING", "PING ", "PING x", "PING 1 2", "ping 1", " PING 1", "STOP "]) {
      expect(await ask(near), JSON.stringify(near)).toMatch(/^error: /);
    }
    expect(await ask("STOP", "now")).toMatch(/^error: /);
    expect(await ask("")).toMatch(/^error: /);
    expect(await ask("PING 7")).toBe("PONG 7");
    expect(await ask("STOP")).toBe("BYE");
    await thread.exited;
  });

  it("runs several workers at once, each answering only on its own PAIR", async () => {
    const [first, second] = await Promise.all([startWorker(), startWorker()]);
    expect(await first!.ask("PING 1")).toBe("PONG 1");
    expect(await second!.ask("PING 2")).toBe("PONG 2");
    expect(await Promise.all([first!.ask("STOP"), second!.ask("STOP")])).toEqual(["BYE", "BYE"]);
    await Promise.all([first!.thread.exited, second!.thread.exited]);
  });
});
