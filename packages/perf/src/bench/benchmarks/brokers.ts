// What a broker in the middle costs: request-reply round trips direct (REQ to REP), through the
// broker package's hand-written broker and through its built-in-Proxy broker; and a pipeline
// direct (PUSH to PULL) against through its streamer. Every role is its own process, as in the
// Guide; the broker package's roles run unchanged (fixtures/device.ts, fixtures/echo_worker.ts).
import type { RoleChild } from "@zmq-patterns/helpers";
import { type Benchmark, type Case, medianOf, times } from "../benchmark.ts";
import { formatValue } from "../format.ts";
import { figure, figuresOf, withProcesses } from "../processes.ts";

const DEVICE = "src/bench/fixtures/device.ts";
const WORKER = "src/bench/fixtures/echo_worker.ts";
const CLIENTS = "src/bench/fixtures/rr_clients.ts";
const SENDER = "src/bench/fixtures/lever_sender.ts";
const RECEIVER = "src/bench/fixtures/lever_receiver.ts";
const LOOPBACK = "tcp://127.0.0.1:*";

const ROUNDTRIPS = 10_000;
const REQUEST_SIZE = 16;
const PIPELINE_MESSAGES = 200_000;
const PIPELINE_SIZE = 64;

type Path = "direct" | "broker" | "proxy";

const percent = (part: number, whole: number) => `${Math.round((part / whole) * 100)}%`;

// #region round-trip-case
/**
 * Round trips per second with `workers` echo workers and as many REQ clients (one process, one
 * request in flight each). Direct, every client connects to every worker; otherwise clients
 * connect to the device's frontend and workers to its backend. The clients' clock starts once
 * every worker and every client is connected.
 */
function roundTripCase(path: Path, workers: number, roundtrips: number): Case {
  const label = `${path}, ${workers} worker${workers > 1 ? "s" : ""}`;
  const measure = () =>
    withProcesses(async (start) => {
      const names = Array.from({ length: workers }, (_, index) => `worker-${index + 1}`);
      let endpoints: string[];
      if (path === "direct") {
        const bound = names.map((name) =>
          start(WORKER, ["--bind", LOOPBACK, "--name", name]).waitForLine(/ready at (\S+)/),
        );
        endpoints = (await Promise.all(bound)).map(([, endpoint]) => endpoint!);
      } else {
        const device = start(DEVICE, ["--kind", path]);
        const [, frontend, backend] = await device.waitForLine(/frontend (\S+) backend (\S+)/);
        // "connected to" is the worker's handshake with the backend: the device can reach it.
        const connected = names.map((name) =>
          start(WORKER, ["--connect", backend!, "--name", name]).waitForLine(/\] connected to /),
        );
        await Promise.all(connected);
        endpoints = [frontend!];
      }
      const args = ["--connect", endpoints.join(","), "--clients", String(workers)];
      args.push("--roundtrips", String(roundtrips), "--size", String(REQUEST_SIZE));
      const figures = await figuresOf(start(CLIENTS, args, { finishes: true }), CLIENTS);
      return { "round trips/s": figure(figures, "messagesPerSecond") };
    });
  return { label, measure };
}
// #endregion

export function brokerOverhead(scale: number): Benchmark {
  // A multiple of 4, so that 4 clients share the round trips evenly.
  const roundtrips = Math.max(4, Math.round((ROUNDTRIPS * scale) / 4) * 4);
  const cases = [1, 4].flatMap((workers) =>
    (["direct", "broker", "proxy"] as const).map((path) =>
      roundTripCase(path, workers, roundtrips),
    ),
  );
  return {
    id: "broker-overhead",
    title: "Request-reply: direct, through a broker, through the built-in proxy",
    setup: `${roundtrips.toLocaleString("en")} round trips of ${REQUEST_SIZE} B over tcp://127.0.0.1, each role its own process: REQ clients (as many as workers, one request in flight each) and the broker package's echo workers (REP, no work), directly (every client connects to every worker) or through its broker (our ROUTER/DEALER loop in JavaScript) or its proxy (zeromq's built-in Proxy, in a libzmq thread).`,
    metrics: [{ unit: "round trips/s", higherIsBetter: true }],
    cases,
    lesson: (results) => {
      const rate = (path: Path, workers: number) =>
        medianOf(results, `${path}, ${workers} worker${workers > 1 ? "s" : ""}`);
      const [direct1, broker1, proxy1] = [rate("direct", 1), rate("broker", 1), rate("proxy", 1)];
      const [direct4, broker4, proxy4] = [rate("direct", 4), rate("broker", 4), rate("proxy", 4)];
      const addedUs = (rate: number) => formatValue(1_000_000 / rate - 1_000_000 / direct1);
      const one = `For one client waiting for each reply, our broker added ${addedUs(broker1)} µs to every round trip (${percent(broker1, direct1)} of the direct rate) and the proxy ${addedUs(proxy1)} µs (${percent(proxy1, direct1)}), as a request and its reply now make two hops each`;
      const four = `4 clients on 4 workers raised every rate (direct: ${times(direct4, direct1)}) yet kept the broker at ${percent(broker4, direct4)} and the proxy at ${percent(proxy4, direct4)} of direct`;
      const devices =
        Math.max(proxy4, broker4) < 1.15 * Math.min(proxy4, broker4)
          ? "our JavaScript loop kept up with the native proxy, so write your own where you must look at messages (routing, heartbeats) and use the Proxy where you only forward"
          : proxy4 > broker4
            ? `the native proxy carried ${times(proxy4, broker4)} what our JavaScript loop did, so use zeromq's Proxy where you only forward and your own loop only where you must look at messages`
            : `our JavaScript loop carried ${times(broker4, proxy4)} what the native proxy did (it forwards in one libuv thread), so a hand-written broker is no handicap`;
      return `${one}; ${four}: the cost is per message, so a broker is cheap in front of requests that take milliseconds of work and expensive in front of tiny ones, and ${devices}.`;
    },
  };
}

/** Records per second through a PUSH -> PULL pipeline, direct or through the streamer. */
function pipelineCase(label: string, viaStreamer: boolean, messages: number): Case {
  const flags = [
    "--style",
    "each",
    "--record-size",
    `${PIPELINE_SIZE}`,
    "--records",
    `${messages}`,
  ];
  const measure = () =>
    withProcesses(async (start) => {
      let receiver: RoleChild;
      let senderEndpoint: string;
      if (viaStreamer) {
        const streamer = start(DEVICE, ["--kind", "streamer"]);
        const [, frontend, backend] = await streamer.waitForLine(/frontend (\S+) backend (\S+)/);
        receiver = start(RECEIVER, ["--connect", backend!, ...flags], { finishes: true });
        await receiver.waitForLine(/connected to /); // the streamer has somewhere to pass records
        senderEndpoint = frontend!;
      } else {
        receiver = start(RECEIVER, ["--bind", LOOPBACK, ...flags], { finishes: true });
        const [, bound] = await receiver.waitForLine(/bound to (\S+)/);
        senderEndpoint = bound!;
      }
      start(SENDER, ["--connect", senderEndpoint, ...flags], { finishes: true });
      // The receiver's clock runs from its first record to its last. The sender then waits for
      // its peer to leave: directly, the receiver does; the streamer leaves when it is stopped.
      const figures = await figuresOf(receiver, RECEIVER);
      return { "msg/s": figure(figures, "messagesPerSecond") };
    });
  return { label, measure };
}

export function streamerThroughput(scale: number): Benchmark {
  const messages = Math.max(1, Math.round(PIPELINE_MESSAGES * scale));
  return {
    id: "streamer",
    title: `Pipeline: direct against through the streamer (${PIPELINE_SIZE} B)`,
    setup: `${messages.toLocaleString("en")} messages of ${PIPELINE_SIZE} B over tcp://127.0.0.1, one awaited send each, from a PUSH to a PULL in two processes: directly, or through the broker package's streamer (zeromq's built-in Proxy between a PULL and a PUSH) in a third.`,
    metrics: [{ unit: "msg/s", higherIsBetter: true }],
    cases: [
      pipelineCase("direct", false, messages),
      pipelineCase("through the streamer", true, messages),
    ],
    lesson: (results) => {
      const direct = medianOf(results, "direct");
      const streamed = medianOf(results, "through the streamer");
      const verdict =
        streamed >= 0.9 * direct
          ? "so the device cost next to nothing"
          : "a cost (one more process, one more hop per message) far smaller than a broker's in request-reply";
      return `Through the streamer the pipeline kept ${percent(streamed, direct)} of the direct rate, ${verdict}: a hop costs most where someone waits for its answer, and no PUSH does, so put a streamer wherever producers and workers should come and go behind one stable address.`;
    },
  };
}
