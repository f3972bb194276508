import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openJsonLinesStore } from "@zmq-patterns/helpers";
import { EPHEMERAL, runRoleProcess, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Push } from "zeromq";
import { MAX_MESSAGE_BYTES, MAX_PAYLOAD_BYTES } from "./protocol.ts";
import { runSaver, type StoredResult, saverDefaults } from "./saver.ts";

const freshStore = async () => join(await mkdtemp(join(tmpdir(), "voisietequi-")), "results.jsonl");

async function storedIn(path: string): Promise<StoredResult[]> {
  const store = await openJsonLinesStore<StoredResult>(path);
  await store.close();
  return [...store.records];
}

/** A computer's result socket, as bare as the Guide's examples would open it. */
function pusher(endpoint: string): Push {
  const socket = new Push({ linger: 0 });
  socket.connect(endpoint);
  return socket;
}

const result = (computer: string, sequence: number) => [
  computer,
  String(sequence),
  JSON.stringify({ command: 1, input: sequence, output: sequence * sequence }),
];

const bigPayload = JSON.stringify({ junk: "x".repeat(MAX_PAYLOAD_BYTES) });

describe("saver", () => {
  afterEach(() => vi.restoreAllMocks());

  it("stores every result on disk, and still has them after a restart", async () => {
    const log = watchLog();
    const path = await freshStore();
    const first = startRole(runSaver, { ...saverDefaults, bind: [EPHEMERAL], store: path });
    const [endpoint] = await first.ready;
    const computer = pusher(endpoint!);
    for (const sequence of [1, 2, 3]) await computer.send(result("computer-1", sequence));
    await log.waitFor(/\[saver\] stored computer-1#3 /);
    computer.close();
    expect(await first.stop()).toBe(3);

    const second = startRole(runSaver, { ...saverDefaults, bind: [EPHEMERAL], store: path });
    const [again] = await second.ready;
    await log.waitFor(/\[saver\] 3 results already in /);
    const restarted = pusher(again!);
    await restarted.send(result("computer-1", 4));
    await log.waitFor(/\[saver\] stored computer-1#4 .*\(1 this run, 4 in store\)/);
    restarted.close();
    expect(await second.stop()).toBe(1);

    const stored = await storedIn(path);
    expect(stored.map((record) => `${record.computer}#${record.sequence}`)).toEqual([
      "computer-1#1",
      "computer-1#2",
      "computer-1#3",
      "computer-1#4",
    ]);
    expect(stored[3]!.payload).toEqual({ command: 1, input: 4, output: 16 });
  });

  it("stops by itself after --stop-after results", async () => {
    const path = await freshStore();
    const saver = startRole(runSaver, {
      ...saverDefaults,
      bind: [EPHEMERAL],
      store: path,
      stopAfter: 2,
    });
    const [endpoint] = await saver.ready;
    const computer = pusher(endpoint!);
    for (const sequence of [1, 2]) await computer.send(result("computer-1", sequence));
    expect(await saver.done).toBe(2);
    computer.close();
    expect(await storedIn(path)).toHaveLength(2);
  });

  describe("bad results get a W: line, are not stored, and the saver keeps storing", () => {
    const cases: [string, (string | Buffer)[], RegExp][] = [
      ["garbage bytes", [Buffer.from([0xff, 0x00, 0xfe])], /expected 3 frames .*, got 1/],
      ["a frame too many", [...result("computer-1", 1), "extra"], /expected 3 frames .*, got 4/],
      ["a computer id with a #", ["computer#1", "1", "{}"], /computer id "computer#1" is not/],
      ["a sequence of 0", ["computer-1", "0", "{}"], /sequence "0" is not a number/],
      ["a payload that is not JSON", ["computer-1", "1", "{oops"], /payload is not JSON: "\{oops"/],
      [
        "a payload that is not an object",
        ["computer-1", "1", "[1,2]"],
        /not a JSON object: "\[1,2\]"/,
      ],
      [
        "a payload over the limit",
        ["computer-1", "1", bigPayload],
        new RegExp(`payload is ${bigPayload.length} bytes; the limit is ${MAX_PAYLOAD_BYTES}`),
      ],
    ];
    for (const [what, frames, problem] of cases) {
      it(what, async () => {
        const log = watchLog();
        const path = await freshStore();
        const saver = startRole(runSaver, { ...saverDefaults, bind: [EPHEMERAL], store: path });
        const [endpoint] = await saver.ready;
        const computer = pusher(endpoint!);
        await computer.send(result("computer-1", 1));
        await computer.send(frames);
        await computer.send(result("computer-1", 2));
        await log.waitFor(/\[saver\] stored computer-1#2 /);
        const warning = log.lines.find((line) => line.startsWith("[saver] W: bad result: "));
        expect(warning).toMatch(problem);
        computer.close();
        expect(await saver.stop()).toBe(2);
        expect((await storedIn(path)).map((record) => record.sequence)).toEqual([1, 2]);
      });
    }

    it("a frame over the hard limit: libzmq drops that peer, the others are still stored", async () => {
      const log = watchLog();
      const path = await freshStore();
      const saver = startRole(runSaver, { ...saverDefaults, bind: [EPHEMERAL], store: path });
      const [endpoint] = await saver.ready;
      const flooder = new Push({ linger: 0 });
      const dropped = new Promise<void>((resolve) =>
        flooder.events.on("disconnect", () => resolve()),
      );
      flooder.connect(endpoint!);
      await flooder.send(["computer-x", "1", Buffer.alloc(MAX_MESSAGE_BYTES + 1)]);
      await dropped;
      flooder.close();

      const computer = pusher(endpoint!);
      await computer.send(result("computer-1", 1));
      await log.waitFor(/\[saver\] stored computer-1#1 /);
      computer.close();
      expect(await saver.stop()).toBe(1);
    });
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`closes its socket and its file and exits 0 on ${signal}`, async () => {
      const path = await freshStore();
      const saver = runRoleProcess("src/saver.ts", ["--bind", EPHEMERAL, "--store", path]);
      const [, endpoint] = await saver.waitForLine(/bound to (tcp:\/\/\S+)/);
      const computer = pusher(endpoint!);
      await computer.send(result("computer-1", 1));
      await saver.waitForLine(/stored computer-1#1 /);
      computer.close();
      saver.signal(signal);
      const outcome = await saver.exited;
      expect(outcome.stdout).toContain(`[saver] ${signal} received, closing sockets`);
      expect(outcome.stdout).toContain("[saver] stopped after storing 1 results");
      expect(outcome.code).toBe(0);
      expect(await storedIn(path)).toHaveLength(1);
    });
  }
});
