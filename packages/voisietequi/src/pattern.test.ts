import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openJsonLinesStore } from "@zmq-patterns/helpers";
import {
  EPHEMERAL,
  freeEndpoint,
  runRoleProcess,
  startRole,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { computerDefaults, runComputer } from "./computer.ts";
import { runSaver, type StoredResult, saverDefaults } from "./saver.ts";
import { runServer, serverDefaults } from "./server.ts";

// The whole pattern in one test process: server, computers and saver talking over real TCP.
const quickServer = { ...serverDefaults, everyMs: 300, quietMs: 300, repeatMs: 50 };
const freshStore = async () => join(await mkdtemp(join(tmpdir(), "voisietequi-")), "results.jsonl");
const idOf = (record: StoredResult) => `${record.computer}#${record.sequence}`;

async function storedIn(path: string): Promise<StoredResult[]> {
  const store = await openJsonLinesStore<StoredResult>(path);
  await store.close();
  return [...store.records];
}

describe("server, computers and saver together", () => {
  afterEach(() => vi.restoreAllMocks());

  it("every result reaches the saver, whatever the start order (computers, then server, then saver)", async () => {
    const log = watchLog();
    // The computers connect before the server binds: endpoints known up front.
    const commandEndpoint = await freeEndpoint();
    const answerEndpoint = await freeEndpoint();
    const saverEndpoint = await freeEndpoint();
    const names = ["computer-1", "computer-2", "computer-3"];
    const computers = names.map((name) =>
      startRole(runComputer, {
        ...computerDefaults,
        connect: [commandEndpoint],
        name,
        workMs: 5,
        results: 5,
      }),
    );
    await Promise.all(computers.map((computer) => computer.ready)); // nobody listens there yet

    const server = startRole(runServer, {
      ...quickServer,
      bind: [commandEndpoint],
      answers: answerEndpoint,
      saver: saverEndpoint,
    });
    // Every computer computes its 5 results before any saver exists: they wait in its PUSH queue.
    for (const name of names) await log.waitFor(new RegExp(`\\[${name}\\] computed 5 results`));

    const path = await freshStore();
    const saver = startRole(runSaver, {
      ...saverDefaults,
      bind: [saverEndpoint],
      store: path,
      stopAfter: 15,
    });
    expect(await saver.done).toBe(15);
    const expected = names.flatMap((name) => [1, 2, 3, 4, 5].map((n) => `${name}#${n}`));
    expect((await storedIn(path)).map(idOf).sort()).toEqual(expected.sort());

    for (const computer of computers) await computer.stop();
    await server.stop();
  });

  it("the seed's demo: stop the saver, keep computing, restart it, and the results queued meanwhile arrive", async () => {
    const log = watchLog();
    const path = await freshStore();
    // The restarted saver must bind the same endpoint: a port nobody else can be given meanwhile.
    const saverEndpoint = await freeEndpoint();
    const firstSaver = runRoleProcess("src/saver.ts", ["--bind", saverEndpoint, "--store", path]);
    await firstSaver.waitForLine(/bound to /);
    const server = startRole(runServer, {
      ...quickServer,
      bind: [EPHEMERAL],
      answers: EPHEMERAL,
      saver: saverEndpoint,
    });
    const [commandEndpoint] = await server.ready;
    const names = ["computer-a", "computer-b"];
    const computers = names.map((name) =>
      startRole(runComputer, {
        ...computerDefaults,
        connect: [commandEndpoint!],
        name,
        workMs: 10,
      }),
    );

    await firstSaver.waitForLine(/\(6 this run/);
    firstSaver.signal("SIGKILL"); // a crash: no clean shutdown at all
    await firstSaver.exited;
    const storedBefore = await storedIn(path);
    expect(storedBefore.length).toBeGreaterThanOrEqual(6);

    // Each computer sees its connection drop; what it computes from then on waits in its PUSH
    // queue. (A result already on its way when the saver died is lost: ZeroMQ has no receipts.)
    const queuedWhileDown: string[] = [];
    for (const name of names) {
      let { index } = await log.waitFor(new RegExp(`^\\[${name}\\] W: saver at .* is gone`));
      for (let count = 0; count < 5; count++) {
        const next = await log.waitFor(new RegExp(`^\\[${name}\\] result #(\\d+)`), {
          since: index + 1,
        });
        queuedWhileDown.push(`${name}#${next.match[1]}`);
        index = next.index;
      }
    }

    const secondSaver = runRoleProcess("src/saver.ts", ["--bind", saverEndpoint, "--store", path]);
    for (const id of queuedWhileDown) await secondSaver.waitForLine(new RegExp(`stored ${id} `));
    for (const computer of computers) await computer.stop();
    await server.stop();
    secondSaver.signal("SIGTERM");
    expect((await secondSaver.exited).code).toBe(0);

    const storedAfter = await storedIn(path);
    expect(storedAfter.slice(0, storedBefore.length)).toEqual(storedBefore); // nothing lost
    const ids = storedAfter.map(idOf);
    expect(new Set(ids).size).toBe(ids.length); // nothing stored twice
    expect(ids).toEqual(expect.arrayContaining(queuedWhileDown));
  });
});
