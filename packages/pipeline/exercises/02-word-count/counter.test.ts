import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Push } from "zeromq";
import { waitForPeers } from "#src/sockets.ts";
import { boundPull, collect } from "#src/test-support.ts";

const { runWordCounter }: typeof import("./solution/counter.ts") = await import(
  exerciseModule(import.meta.url, "counter.ts")
);

const TEXT = [
  "A ventilator pushes tasks",
  "workers pull them,  one at a time,",
  "and push their results to a sink",
  "",
  "which pulls every result in.",
  "\tDivide and conquer\t",
  "the work is spread round robin",
  "over every worker that is connected.",
  // Whitespace inside a line: tabs, runs of both, at either end, nothing but.
  "one\ttwo",
  "x\t\t\ty  \t z",
  "  lead and trail  ",
  " \t ",
];
const WORDS = [4, 7, 7, 0, 5, 3, 6, 6, 2, 3, 3, 0];

/** The test plays the ventilator (PUSH) and the sink (PULL) around the counters. */
async function ventilatorAndSink() {
  const ventilator = new Push({ linger: 0 });
  await ventilator.bind(EPHEMERAL);
  const sink = await boundPull();
  const endpoints = { ventilator: [ventilator.lastEndpoint!], sink: [sink.lastEndpoint!] };
  return { ventilator, sink, endpoints };
}

const total = (counts: string[][]) => counts.flat().reduce((sum, count) => sum + Number(count), 0);

describe(`exercise 02, word count (${exerciseSubject()})`, () => {
  afterEach(() => vi.restoreAllMocks());

  it("pushes the number of words of every line it pulls", async () => {
    const { ventilator, sink, endpoints } = await ventilatorAndSink();
    const counter = startRole(runWordCounter, { ...endpoints, name: "counter" });
    await counter.ready;
    for (const line of TEXT) await ventilator.send(line);
    const [counts] = await collect([sink], TEXT.length);
    expect(counts!.map(Number)).toEqual(WORDS);
    expect(await counter.stop()).toBe(TEXT.length);
    ventilator.close();
  });

  it("shares the lines with a second counter, and the counts still add up", async () => {
    const { ventilator, sink, endpoints } = await ventilatorAndSink();
    const bothConnected = waitForPeers(ventilator, 2, undefined); // no early connector here
    const counters = ["counter-1", "counter-2"].map((name) =>
      startRole(runWordCounter, { ...endpoints, name }),
    );
    await bothConnected;
    const lines = [...TEXT, ...TEXT];
    for (const line of lines) await ventilator.send(line);
    const counts = await collect([sink], lines.length);
    expect(total(counts)).toBe(2 * WORDS.reduce((sum, words) => sum + words, 0));
    const perCounter = await Promise.all(counters.map((counter) => counter.stop()));
    expect(perCounter).toEqual([TEXT.length, TEXT.length]); // round robin: half each
    ventilator.close();
  });

  it("skips a message of several frames with a W: line and keeps counting", async () => {
    const log = watchLog();
    const { ventilator, sink, endpoints } = await ventilatorAndSink();
    const counter = startRole(runWordCounter, { ...endpoints, name: "counter" });
    await counter.ready;
    await ventilator.send("one two");
    await ventilator.send(["three", "four five"]);
    await ventilator.send(["six", "seven", "eight nine"]);
    await ventilator.send("six seven eight");
    const [counts] = await collect([sink], 2);
    expect(counts!.map(Number)).toEqual([2, 3]);
    expect(log.lines.filter((line) => line.startsWith("[counter] W: "))).toHaveLength(2);
    expect(await counter.stop()).toBe(2);
    ventilator.close();
  });
});
