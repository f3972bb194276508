import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, unusedEndpoint, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Reply } from "zeromq";

const { fastClientDefaults, runFastClient }: typeof import("./solution/fast-client.ts") =
  await import(exerciseModule(import.meta.url, "fast-client.ts"));

/** The refusal the task names, spelled out here: the test does not take the student's constant. */
const NOT_ACTIVE = "E: not active";

async function within<T>(promise: Promise<T>, ms: number, missing: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${missing}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe(`exercise 02, a client that fails over at once on "${NOT_ACTIVE}" (${exerciseSubject()})`, () => {
  const sockets: Reply[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) if (!socket.closed) socket.close();
  });
  /** A fake server: a REP answering each request with `answer(request)`; counts what it got. */
  async function fakeServer(answer: (request: string) => string) {
    const socket = new Reply({ linger: 0 });
    sockets.push(socket);
    await socket.bind(EPHEMERAL);
    const received: string[] = [];
    void (async () => {
      for await (const [request] of socket) {
        received.push(String(request));
        await socket.send(answer(String(request)));
      }
    })();
    return { endpoint: socket.lastEndpoint!, received };
  }
  const options = (connect: string[], more: Partial<typeof fastClientDefaults> = {}) => ({
    ...fastClientDefaults,
    connect,
    intervalMs: 0,
    ...more,
  });

  it("a refusal from the first server sends the request on to the second at once: no time-out, no settle delay", async () => {
    const log = watchLog();
    const passive = await fakeServer(() => NOT_ACTIVE);
    const active = await fakeServer((request) => request);
    // A minute of time-out and of settle delay: only a client that does not wait finishes in time.
    const run = runFastClient(
      options([passive.endpoint, active.endpoint], {
        requests: 5,
        timeoutMs: 60_000,
        settleMs: 60_000,
      }),
    );
    const result = await within(run, 10_000, "the 5 replies, without waiting for a time-out");
    expect(result).toEqual({ replies: ["1", "2", "3", "4", "5"], failovers: 1, gaveUp: false });
    expect(passive.received).toEqual(["1"]); // asked once, then left alone
    expect(active.received).toEqual(["1", "2", "3", "4", "5"]);
    expect(log.text()).not.toMatch(/no reply in/);
  });

  it("a dead server is still left after the time-out and the settle delay", async () => {
    const log = watchLog();
    const active = await fakeServer((request) => request);
    const result = await within(
      runFastClient(
        options([unusedEndpoint(), active.endpoint], {
          requests: 2,
          timeoutMs: 300,
          settleMs: 100,
        }),
      ),
      20_000,
      "the replies after a time-out",
    );
    expect(result).toEqual({ replies: ["1", "2"], failovers: 1, gaveUp: false });
    expect(log.text()).toContain("W: no reply in 300 ms from");
  });

  it("any other wrong reply is no refusal: the client keeps waiting, as the lesson's does, and fails over on the time-out", async () => {
    const log = watchLog();
    const errors = vi.spyOn(console, "error");
    const liar = await fakeServer(() => "E: not active yet"); // close, but not the refusal
    const active = await fakeServer((request) => request);
    const result = await within(
      runFastClient(
        options([liar.endpoint, active.endpoint], { requests: 1, timeoutMs: 300, settleMs: 100 }),
      ),
      20_000,
      "the reply after a time-out",
    );
    expect(result).toEqual({ replies: ["1"], failovers: 1, gaveUp: false });
    expect(errors.mock.calls.flat().join("\n")).toContain(
      'bad reply from server: "E: not active yet"',
    );
    expect(log.text()).toContain("W: no reply in 300 ms from");
  });

  it("two servers that both refuse: it gives up after --failovers, each one counted", async () => {
    const first = await fakeServer(() => NOT_ACTIVE);
    const second = await fakeServer(() => NOT_ACTIVE);
    const result = await within(
      runFastClient(
        options([first.endpoint, second.endpoint], {
          requests: 3,
          failovers: 4,
          timeoutMs: 60_000,
          settleMs: 60_000,
        }),
      ),
      10_000,
      "giving up",
    );
    expect(result).toEqual({ replies: [], failovers: 4, gaveUp: true });
    expect([first.received, second.received]).toEqual([
      ["1", "1", "1"],
      ["1", "1"],
    ]);
  });
});
