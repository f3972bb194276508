// `pnpm --filter routing start [routing|rtreq|rtdealer|asyncsrv]`: chapter 3 by experiment. The default
// prints the socket combinations table, then walks a request through two hops and back; the others run
// rtreq, rtdealer and asyncsrv with each role its own process. Each ends by itself with exit code 0.
import { guidePorts, startScenario } from "@zmq-patterns/helpers";
import { ASYNC_PORT, BOSS_PORT } from "./protocol.ts";

const [bossPort, asyncPort] = await guidePorts([BOSS_PORT, ASYNC_PORT]);
const boss = {
  name: "boss",
  script: "src/boss.ts",
  // The Guide's boss runs 5 s with 10 worker threads; here 3 s, 10 workers in one other process.
  args: ["--bind", `tcp://*:${bossPort}`, "--run-ms", "3000", "--workers", "10"],
  finishes: true,
  readyWhen: /bound to/,
};
const workers = (script: string, name: string) => ({
  name,
  script,
  args: ["--connect", `tcp://localhost:${bossPort}`, "--workers", "10", "--name", name],
  finishes: true,
});

await startScenario({
  routing: {
    title: "Which sockets may talk (every pair, both ways round), then envelopes through two hops",
    roles: [
      {
        name: "combinations",
        script: "src/combinations.ts",
        finishes: true,
        readyWhen: /pairs either way round/,
      },
      { name: "envelopes", script: "src/envelopes.ts", finishes: true },
    ],
  },
  rtreq: {
    title: "ROUTER to REQ workers (rtreq): the boss hands out work for 3 s, then fires everyone",
    roles: [boss, workers("src/req-worker.ts", "req-worker")],
  },
  rtdealer: {
    title: "ROUTER to DEALER workers (rtdealer): the same boss, workers that write the envelope",
    roles: [boss, workers("src/dealer-worker.ts", "dealer-worker")],
  },
  asyncsrv: {
    title:
      "Asynchronous client/server (asyncsrv): 3 DEALER clients, a ROUTER/DEALER server, 5 worker threads",
    roles: [
      {
        name: "server",
        script: "src/async-server.ts",
        args: ["--bind", `tcp://*:${asyncPort}`],
        readyWhen: /bound to/,
      },
      ...[1, 2, 3].map((n) => ({
        name: `client-${n}`,
        script: "src/async-client.ts",
        args: ["--connect", `tcp://localhost:${asyncPort}`, "--requests", "4"],
        finishes: true,
      })),
    ],
  },
});
