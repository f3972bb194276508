// `pnpm --filter perf start`: a quick tour of the tools on small counts, each in its own process
// as you would run them in two terminals: throughput (remote_thr starts first on purpose: ZeroMQ
// connects whenever local_thr is there), then latency, then both in-process tests.
// Ends by itself with exit code 0 in a few seconds.
import { guidePorts, startScenario } from "@zmq-patterns/helpers";
import { PERF_PORT } from "./protocol.ts";

const [thrPort, latPort] = await guidePorts([PERF_PORT, PERF_PORT + 1]);
const THR = ["100", "50000"]; // <message-size> <message-count>
const LAT = ["1", "5000"]; // <message-size> <roundtrip-count>

await startScenario({
  basic: {
    title: "libzmq's perf tools: tcp throughput, tcp latency, inproc throughput and latency",
    roles: [
      {
        name: "remote_thr",
        script: "src/remote_thr.ts",
        args: [`tcp://localhost:${thrPort}`, ...THR],
        finishes: true,
      },
      {
        name: "local_thr",
        script: "src/local_thr.ts",
        args: [`tcp://*:${thrPort}`, ...THR],
        finishes: true,
        readyWhen: /\[Mb\/s\]/, // the latency test waits until throughput is measured
      },
      {
        name: "local_lat",
        script: "src/local_lat.ts",
        args: [`tcp://*:${latPort}`, ...LAT],
        finishes: true,
        readyWhen: /bound to/, // remote_lat's clock starts at once: let local_lat bind first
      },
      {
        name: "remote_lat",
        script: "src/remote_lat.ts",
        args: [`tcp://localhost:${latPort}`, ...LAT],
        finishes: true,
        readyWhen: /average latency/,
      },
      {
        name: "inproc_thr",
        script: "src/inproc_thr.ts",
        args: THR,
        finishes: true,
        readyWhen: /\[Mb\/s\]/,
      },
      { name: "inproc_lat", script: "src/inproc_lat.ts", args: LAT, finishes: true },
    ],
  },
});
