import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request } from "zeromq";
import { hopDefaults, runHop } from "#src/hop.ts";

const { keeperDefaults, runKeeper }: typeof import("./solution/keeper.ts") = await import(
  exerciseModule(import.meta.url, "keeper.ts")
);

afterEach(() => {
  vi.restoreAllMocks();
});

/** `promise`, or a failure naming what is missing if it has not settled within `ms`. */
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

/** Two hops in a row in front of the keeper: clients may enter at the first or the second. */
async function chain() {
  const quiet = { ...hopDefaults, show: false };
  const second = startRole(runHop, {
    ...quiet,
    name: "hop-2",
    frontend: [EPHEMERAL],
    backend: [EPHEMERAL],
  });
  const [secondFront, secondBack] = await second.ready;
  const first = startRole(runHop, {
    ...quiet,
    name: "hop-1",
    frontend: [EPHEMERAL],
    backend: [`>${secondFront}`],
  });
  const [firstFront] = await first.ready;
  return {
    firstFront: firstFront!,
    secondFront: secondFront!,
    backend: secondBack!,
    hops: [first, second],
  };
}

describe(`exercise 02: a DEALER server that keeps whole envelopes (${exerciseSubject()})`, () => {
  it("holds three requests of different envelope depths at once and answers them last first, each to its own client", async () => {
    const { firstFront, secondFront, backend, hops } = await chain();
    const keeper = startRole(runKeeper, { ...keeperDefaults, connect: [backend], hold: 3 });
    const far = new Request({ linger: 0 }); // through both hops: two address frames
    far.connect(firstFront);
    const near = new Request({ linger: 0 }); // through the second hop only: one
    near.connect(secondFront);
    const dealer = new Dealer({ linger: 0 }); // writes an address of its own in front: two
    dealer.connect(secondFront);

    await far.send("far");
    await near.send("near");
    await dealer.send(["my-tag", "", "tagged"]);
    const answers = within(
      Promise.all([far.receive(), near.receive(), dealer.receive()]),
      10_000,
      "a reply for each of three clients, held and answered together",
    );
    const [[toFar], [toNear], toDealer] = await answers;
    expect(String(toFar)).toBe("far done");
    expect(String(toNear)).toBe("near done");
    expect(toDealer.map(String)).toEqual(["my-tag", "", "tagged done"]);
    for (const socket of [far, near, dealer]) socket.close();
    const { received, answered } = await keeper.stop();
    expect(received).toHaveLength(3);
    expect(answered).toEqual([...received].reverse());
    for (const hop of hops) await hop.stop();
  });

  it("drops a message without a delimiter (or with two bodies) with a warning, and keeps holding", async () => {
    const log = watchLog();
    const { secondFront, backend, hops } = await chain();
    const keeper = startRole(runKeeper, { ...keeperDefaults, connect: [backend], hold: 2 });
    const dealer = new Dealer({ linger: 0 });
    dealer.connect(secondFront);
    await dealer.send("no delimiter");
    await within(log.waitFor(/W: /), 10_000, "a W: line for the message without a delimiter");
    const since = log.lines.length;
    await dealer.send(["", "two", "bodies"]);
    await within(
      log.waitFor(/W: /, { since }),
      10_000,
      "a W: line for the message with two bodies",
    );
    await dealer.send(["", "one"]);
    await dealer.send(["", "two"]);
    const first = await within(dealer.receive(), 10_000, "the answers to the two good requests");
    const second = await within(dealer.receive(), 10_000, "the second answer");
    expect([first, second].map((frames) => frames.map(String))).toEqual([
      ["", "two done"],
      ["", "one done"],
    ]);
    dealer.close();
    expect((await keeper.stop()).answered).toEqual(["two", "one"]);
    for (const hop of hops) await hop.stop();
  });
});
