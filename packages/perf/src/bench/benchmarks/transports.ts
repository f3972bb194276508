// tcp:// against ipc:// against inproc://: throughput with the thr tools, latency with the lat
// tools (inproc_thr and inproc_lat run both ends as two threads of one process).
import { type Benchmark, medianOf, times } from "../benchmark.ts";
import { ENDPOINT, figure, ipcEndpoint, measureAlone, measurePair } from "../processes.ts";

const THR_SIZE = "64";
const THR_COUNT = 50_000;
const LAT_SIZE = "1";
const LAT_COUNT = 5_000;

const scaled = (count: number, scale: number) => String(Math.max(1, Math.round(count * scale)));

export function transportThroughput(scale: number): Benchmark {
  const args = [THR_SIZE, scaled(THR_COUNT, scale)];
  const pair = (bind: string) => async () => {
    const figures = await measurePair(
      { script: "src/local_thr.ts", args: [bind, ...args] },
      { script: "src/remote_thr.ts", args: [ENDPOINT, ...args] },
    );
    return { "msg/s": figure(figures, "messagesPerSecond") };
  };
  return {
    id: "transport-thr",
    title: "Transport: throughput (64 B messages)",
    setup:
      "local_thr + remote_thr as two processes over tcp://127.0.0.1 and ipc://, and inproc_thr (two threads, one process) over inproc://.",
    metrics: [{ unit: "msg/s", higherIsBetter: true }],
    cases: [
      { label: "tcp", measure: pair("tcp://127.0.0.1:*") },
      { label: "ipc", measure: () => pair(ipcEndpoint())() },
      {
        label: "inproc",
        measure: async () => {
          const figures = await measureAlone({ script: "src/inproc_thr.ts", args });
          return { "msg/s": figure(figures, "messagesPerSecond") };
        },
      },
    ],
    lesson: (results) => {
      const tcp = medianOf(results, "tcp");
      const ipc = medianOf(results, "ipc");
      const inproc = medianOf(results, "inproc");
      const advice =
        Math.max(ipc, inproc) < 1.5 * tcp
          ? "in Node the cost of each awaited send and receive dominates, so pick the transport for where the peers live (inproc between threads, ipc on one host, tcp across hosts) rather than for speed"
          : "skipping the network stack pays, so use inproc between threads of one process and ipc between processes of one host, and keep tcp for other hosts";
      return `ipc ran at ${times(ipc, tcp)} and inproc at ${times(inproc, tcp)} the rate of tcp: ${advice}.`;
    },
  };
}

export function transportLatency(scale: number): Benchmark {
  const args = [LAT_SIZE, scaled(LAT_COUNT, scale)];
  const pair = (bind: string) => async () => {
    const figures = await measurePair(
      { script: "src/local_lat.ts", args: [bind, ...args] },
      { script: "src/remote_lat.ts", args: [ENDPOINT, ...args] },
    );
    return { us: figure(figures, "latencyUs") };
  };
  return {
    id: "transport-lat",
    title: "Transport: latency (1 B messages)",
    setup:
      "local_lat + remote_lat as two processes over tcp://127.0.0.1 and ipc://, and inproc_lat (two threads) over inproc://; half the average round trip.",
    metrics: [{ unit: "us", higherIsBetter: false }],
    cases: [
      { label: "tcp", measure: pair("tcp://127.0.0.1:*") },
      { label: "ipc", measure: () => pair(ipcEndpoint())() },
      {
        label: "inproc",
        measure: async () => {
          const figures = await measureAlone({ script: "src/inproc_lat.ts", args });
          return { us: figure(figures, "latencyUs") };
        },
      },
    ],
    lesson: (results) => {
      const tcp = medianOf(results, "tcp");
      const inproc = medianOf(results, "inproc");
      return `A one-way hop took ${tcp.toFixed(1)} µs over tcp and ${inproc.toFixed(1)} µs over inproc: a request-reply design that needs N sequential round trips pays 2N of these, so ask once for everything you need instead of in many small steps.`;
    },
  };
}
