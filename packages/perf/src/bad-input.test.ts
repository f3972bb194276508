import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Push, Reply, Request } from "zeromq";
import { localLatDefaults, runLocalLat } from "./local_lat.ts";
import { localThrDefaults, runLocalThr } from "./local_thr.ts";
import { remoteLatDefaults, runRemoteLat } from "./remote_lat.ts";

// A stray or broken message is not counted, is named in a W: line on stderr, and the
// measurement goes on: bad input never ends a tool (libzmq's would abort).

const warnings = () =>
  vi
    .mocked(console.error)
    .mock.calls.flat()
    .filter((line) => String(line).includes("W: message of incorrect size received"));

describe("bad input", () => {
  afterEach(() => vi.restoreAllMocks());

  it("local_thr skips messages of the wrong size or shape and still measures the good ones", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const local = startRole(runLocalThr, {
      ...localThrDefaults,
      bind: EPHEMERAL,
      messageSize: 8,
      messageCount: 3,
    });
    const [endpoint] = await local.ready;
    const sender = new Push({ linger: 1000 });
    sender.connect(endpoint!);
    await sender.send(Buffer.alloc(8));
    await sender.send(Buffer.alloc(1024 * 1024, 0xff)); // 1 MiB of garbage
    await sender.send([Buffer.alloc(8), Buffer.alloc(8)]); // two frames
    await sender.send(Buffer.alloc(8));
    await sender.send(Buffer.alloc(8));
    const lines = await local.done;
    sender.close();
    expect(lines[1]).toBe("message count: 3");
    expect(warnings()).toHaveLength(2);
  });

  it("local_lat echoes a bad request (REP must answer) without counting it, and goes on", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const local = startRole(runLocalLat, {
      ...localLatDefaults,
      bind: EPHEMERAL,
      messageSize: 4,
      roundtripCount: 2,
    });
    const [endpoint] = await local.ready;
    const client = new Request({ linger: 0 });
    client.connect(endpoint!);
    await client.send(Buffer.from("toolong"));
    expect((await client.receive()).toString()).toBe("toolong");
    for (let i = 0; i < 2; i++) {
      await client.send(Buffer.from("ping"));
      expect((await client.receive()).toString()).toBe("ping");
    }
    expect(await local.done).toBe(2);
    client.close();
    expect(warnings()).toHaveLength(1);
  });

  it("remote_lat does not count a reply of the wrong size and completes its round trips", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const server = new Reply({ linger: 0 });
    await server.bind(EPHEMERAL);
    void (async () => {
      let answered = 0;
      for await (const [request] of server) {
        answered += 1;
        await server.send(answered === 1 ? Buffer.alloc(99) : request!);
      }
    })();
    const lines = await runRemoteLat({
      ...remoteLatDefaults,
      connect: server.lastEndpoint!,
      messageSize: 4,
      roundtripCount: 3,
    });
    server.close();
    expect(lines[1]).toBe("roundtrip count: 3");
    expect(warnings()).toHaveLength(1);
  });
});
