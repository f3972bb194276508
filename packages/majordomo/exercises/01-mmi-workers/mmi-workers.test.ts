import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { brokerDefaults, runBroker } from "#src/broker.ts";
import { MajordomoClient } from "#src/client-api.ts";
import { MajordomoWorker } from "#src/worker-api.ts";

const { answerMmiWithWorkers }: typeof import("./solution/mmi-workers.ts") = await import(
  exerciseModule(import.meta.url, "mmi-workers.ts")
);

describe(`exercise 01, mmi.workers (${exerciseSubject()})`, () => {
  const closing: { close(): void }[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const thing of closing.splice(0)) thing.close();
  });

  it("answers how many live workers each service has, through a real broker, as workers come and go", async () => {
    const log = watchLog();
    const broker = startRole(runBroker, {
      ...brokerDefaults,
      bind: [EPHEMERAL],
      heartbeatMs: 500,
      answerMmi: answerMmiWithWorkers,
    });
    const [endpoint] = await broker.ready;
    const client = new MajordomoClient({ broker: endpoint, timeoutMs: 5000 });
    closing.push(client);
    const ask = async (query: string, service: string) =>
      (await client.request(query, service))?.map(String);
    const startWorkers = async (service: string, count: number) => {
      const workers: MajordomoWorker[] = [];
      for (let i = 0; i < count; i++) {
        const worker = new MajordomoWorker({ broker: endpoint, service, heartbeatMs: 500 });
        closing.push(worker);
        void worker.serve((body) => body);
        const since = log.lines.length;
        await log.waitFor(new RegExp(`ready for "${service}" \\(${i + 1} for it\\)`), { since });
        workers.push(worker);
      }
      return workers;
    };

    expect(await ask("mmi.workers", "echo")).toEqual(["0"]);
    const echo = await startWorkers("echo", 3);
    await startWorkers("time", 1);
    expect(await ask("mmi.workers", "echo")).toEqual(["3"]);
    expect(await ask("mmi.workers", "time")).toEqual(["1"]);
    expect(await ask("mmi.workers", "nobody")).toEqual(["0"]);

    echo[0]!.close(); // silent from now on: expired by heartbeat
    await log.waitFor(/forgotten: silent for 1500 ms .*\(2 left for "echo"\)/, {
      timeoutMs: 10_000,
    });
    expect(await ask("mmi.workers", "echo")).toEqual(["2"]);

    // The rest of MMI is as before.
    expect(await ask("mmi.service", "echo")).toEqual(["200"]);
    expect(await ask("mmi.service", "nobody")).toEqual(["404"]);
    expect(await ask("mmi.nothing", "echo")).toEqual(["501"]);
    // And a service is still served.
    expect(await ask("echo", "hello")).toEqual(["hello"]);
    await broker.stop();
  });
});
