// `pnpm --filter broker start [rrbroker|proxy|forwarder|streamer|mtserver|identity|lbbroker]`:
// each scenario with every role in its own process, as in separate terminals. Ends by itself, exit 0.
import { guidePorts, type RoleProcess, startScenario } from "@zmq-patterns/helpers";
import {
  BACKEND_PORT,
  FORWARDER_PORT,
  FRONTEND_PORT,
  LB_BACKEND_PORT,
  LB_FRONTEND_PORT,
  MTSERVER_PORT,
  RESULTS_PORT,
  WEATHER_PORT,
} from "./protocol.ts";

const [front, back, weather, forwarded, results, mtserver, lbFront, lbBack] = await guidePorts([
  FRONTEND_PORT,
  BACKEND_PORT,
  WEATHER_PORT,
  FORWARDER_PORT,
  RESULTS_PORT,
  MTSERVER_PORT,
  LB_FRONTEND_PORT,
  LB_BACKEND_PORT,
]);
const local = (port: number | undefined) => `tcp://localhost:${port}`;
const any = (port: number | undefined) => `tcp://*:${port}`;
/** A line that says a connection is really up (the socket's handshake event), not just tried. */
const connectedTo = (port: number | undefined) => new RegExp(`connected to tcp://\\S+:${port}$`);

/** n roles built by `role(i)` for i = 1..n. */
const several = (n: number, role: (i: number) => RoleProcess) =>
  Array.from({ length: n }, (_, index) => role(index + 1));

/** Three clients, four requests each; each sends its own name so a mixed-up reply would show. */
const clients = (port: number | undefined, request = (i: number) => `Hello from client-${i}`) =>
  several(3, (i) => ({
    name: `client-${i}`,
    script: "src/client.ts",
    args: [
      "--connect",
      local(port),
      "--requests",
      "4",
      "--request",
      request(i),
      "--name",
      `client-${i}`,
    ],
    finishes: true,
  }));

/** Two echo workers behind a broker's backend, each started once it is really connected. */
const workers = several(2, (i) => ({
  name: `worker-${i}`,
  script: "src/worker.ts",
  args: ["--connect", local(back), "--work-ms", "100", "--echo", "--name", `worker-${i}`],
  readyWhen: connectedTo(back),
}));

await startScenario({
  rrbroker: {
    title: "Request-reply broker: 3 REQ clients -> ROUTER | broker | DEALER -> 2 REP workers",
    roles: [
      {
        name: "broker",
        script: "src/broker.ts",
        args: ["--frontend", any(front), "--backend", any(back)],
        readyWhen: /forwarding requests/,
      },
      ...workers,
      ...clients(front),
    ],
  },
  proxy: {
    title: "The same broker as zeromq's built-in Proxy (the Guide's msgqueue)",
    roles: [
      {
        name: "proxy",
        script: "src/proxy.ts",
        args: ["--frontend", any(front), "--backend", any(back)],
        readyWhen: /proxying/,
      },
      ...workers,
      ...clients(front),
    ],
  },
  forwarder: {
    title: "Pub-sub forwarder: PUB -> XSUB | forwarder | XPUB -> 2 SUBs; subscriptions flow up",
    roles: [
      { name: "publisher", script: "src/publisher.ts", args: ["--bind", any(weather)] },
      {
        name: "forwarder",
        script: "src/forwarder.ts",
        args: ["--publishers", local(weather), "--subscribers", any(forwarded)],
        readyWhen: /forwarding updates/,
      },
      ...several(2, (i) => ({
        name: `subscriber-${i}`,
        script: "src/subscriber.ts",
        args: [
          ...["--connect", local(forwarded), "--filter", `1000${i} `],
          ...["--updates", "5", "--name", `subscriber-${i}`],
        ],
        finishes: true,
      })),
    ],
  },
  streamer: {
    title: "Streamer: ventilator PUSH -> PULL | streamer | PUSH -> 2 task workers -> results back",
    roles: [
      {
        name: "streamer",
        script: "src/streamer.ts",
        args: ["--frontend", any(front), "--backend", any(back)],
        readyWhen: /streaming tasks/,
      },
      ...several(2, (i) => ({
        name: `taskworker-${i}`,
        script: "src/taskworker.ts",
        args: ["--connect", local(back), "--results", local(results), "--name", `taskworker-${i}`],
        readyWhen: connectedTo(back),
      })),
      {
        name: "ventilator",
        script: "src/ventilator.ts",
        args: ["--connect", local(front), "--results", any(results), "--tasks", "10"],
        finishes: true,
      },
    ],
  },
  mtserver: {
    title:
      "Multithreaded server: 3 REQ clients -> ROUTER | Proxy | DEALER inproc -> 3 worker threads",
    roles: [
      {
        name: "mtserver",
        script: "src/mtserver.ts",
        args: ["--bind", any(mtserver), "--workers", "3", "--work-ms", "100"],
        readyWhen: /serving/,
      },
      ...clients(mtserver, () => "Hello"),
    ],
  },
  identity: {
    title: "Identities: what a ROUTER receives from a REQ, a named REQ and a DEALER",
    roles: [{ name: "identity", script: "src/identity.ts", finishes: true }],
  },
  lbbroker: {
    title:
      "Load balancing: 3 clients -> ROUTER | lbbroker | ROUTER -> 2 fast workers and 1 slow one",
    roles: [
      {
        name: "lbbroker",
        script: "src/lbbroker.ts",
        args: ["--frontend", any(lbFront), "--backend", any(lbBack)],
        readyWhen: /balancing requests/,
      },
      ...[
        ["lbworker-1", "50"],
        ["lbworker-2", "50"],
        ["lbworker-slow", "600"],
      ].map(([name, workMs]) => ({
        name: name!,
        script: "src/lbworker.ts",
        args: [
          "--connect",
          local(lbBack),
          "--work-ms",
          workMs!,
          ...["--routing-id", name!, "--name", name!],
        ],
        readyWhen: connectedTo(lbBack),
      })),
      ...clients(lbFront, () => "HELLO"),
    ],
  },
});
