// The levers in the sending code: awaiting every send vs multipart vs batching, high-water
// marks, and JSON vs raw Buffers. lever_sender and lever_receiver run as two processes over tcp.
import { type Benchmark, type Case, medianOf, times } from "../benchmark.ts";
import { type LeverOptions, leverDefaults } from "../fixtures/levers.ts";
import { ENDPOINT, figure, measurePair } from "../processes.ts";

function leverCase(label: string, scale: number, knobs: Partial<LeverOptions>): Case {
  const options = { ...leverDefaults, ...knobs };
  options.records = Math.max(options.batch, Math.round(options.records * scale));
  options.records -= options.records % (options.style === "each" ? 1 : options.batch);
  const flags = Object.entries(options).flatMap(([name, value]) => [
    `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
    String(value),
  ]);
  return {
    label,
    measure: async () => {
      const figures = await measurePair(
        { script: "src/bench/fixtures/lever_receiver.ts", args: flags },
        { script: "src/bench/fixtures/lever_sender.ts", args: ["--connect", ENDPOINT, ...flags] },
      );
      return { "records/s": figure(figures, "messagesPerSecond") };
    },
  };
}

const recordsPerSecond = [{ unit: "records/s", higherIsBetter: true }] as Benchmark["metrics"];

export function sendStyles(scale: number): Benchmark {
  const knobs = { recordSize: 16, records: 100_000, batch: 100 };
  return {
    id: "send-styles",
    title: "Sending 16 B records: await each, multipart, batch",
    setup:
      "100,000 records of 16 B over tcp: one awaited send per record; one multipart message of 100 frames per send; 100 records packed into one 1,600 B frame per send.",
    metrics: recordsPerSecond,
    cases: [
      leverCase("await each send", scale, { ...knobs, style: "each" }),
      leverCase("multipart, 100 frames", scale, { ...knobs, style: "multipart" }),
      leverCase("batch, 100 per frame", scale, { ...knobs, style: "batch" }),
    ],
    lesson: (results) => {
      const each = medianOf(results, "await each send");
      const multipart = medianOf(results, "multipart, 100 frames");
      const batch = medianOf(results, "batch, 100 per frame");
      return `Packing 100 records into one frame moved ${times(batch, each)} the records of one awaited send each, and a 100-frame multipart message ${times(multipart, each)}; a multipart message is delivered whole or not at all and held whole in memory, and its frames still cross into libzmq one by one, so batch small records into one frame and keep multipart for parts that belong together.`;
    },
  };
}

export function highWaterMarks(scale: number): Benchmark {
  const marks = [10, 100, 1000, 10_000];
  return {
    id: "hwm",
    title: "High-water mark (16 B records, await each send)",
    setup:
      "50,000 records of 16 B over tcp, the same send and receive high-water mark on both sockets; libzmq's default is 1000.",
    metrics: recordsPerSecond,
    cases: marks.map((hwm) =>
      leverCase(`hwm ${hwm}`, scale, { recordSize: 16, records: 50_000, style: "each", hwm }),
    ),
    lesson: (results) => {
      const low = medianOf(results, "hwm 10");
      const standard = medianOf(results, "hwm 1000");
      const high = medianOf(results, "hwm 10000");
      const lowEffect =
        low < 0.8 * standard
          ? "a very low mark makes the sender wait for room more often"
          : "even a low mark hardly slowed a receiver that keeps up";
      return `A mark of 10 ran at ${times(low, standard)} and one of 10,000 at ${times(high, standard)} the default's rate (1000): ${lowEffect}, and a higher one mostly buys memory, so size the mark for the burst you must absorb (it also decides when PUB drops and PUSH blocks).`;
    },
  };
}

export function encodings(scale: number): Benchmark {
  const knobs = { records: 50_000, style: "each" };
  return {
    id: "encoding",
    title: "Encoding a record: JSON text vs a raw Buffer",
    setup:
      "50,000 trades {id, quantity, price, symbol} over tcp, one per awaited send: JSON.stringify + JSON.parse (53 B) against writing and reading a reused 24 B Buffer.",
    metrics: recordsPerSecond,
    cases: [
      leverCase("raw Buffer (24 B)", scale, { ...knobs, payload: "raw" }),
      leverCase("JSON text (53 B)", scale, { ...knobs, payload: "json" }),
    ],
    lesson: (results) => {
      const raw = medianOf(results, "raw Buffer (24 B)");
      const json = medianOf(results, "JSON text (53 B)");
      const change = Math.round((json / raw - 1) * 100);
      const verdict =
        Math.abs(change) < 15
          ? "within the noise of the per-message cost, so start with JSON and switch to a binary layout only when a profile shows encoding"
          : change < 0
            ? "so on a hot path a fixed binary layout in a reused Buffer pays off"
            : "so the per-message cost, not the encoding, limits this rate";
      return `JSON moved ${Math.abs(change)}% ${change < 0 ? "fewer" : "more"} records per second than the raw Buffer, ${verdict}.`;
    },
  };
}
