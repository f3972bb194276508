// `pnpm --filter reqrep start [basic|reverse|two-servers]`: the whole pattern, each role in its
// own process, as you would run them in separate terminals. Ends by itself with exit code 0.
import { guidePorts, startScenario } from "@zmq-patterns/helpers";
import { HELLO_PORT } from "./protocol.ts";

const [port, secondPort] = await guidePorts([HELLO_PORT, HELLO_PORT + 1]);
const quickWork = ["--work-ms", "100"]; // the Guide's server works 1 s per request; we are in a hurry

await startScenario({
  basic: {
    title: "Hello World: one REQ client, one REP server",
    roles: [
      {
        name: "server",
        script: "src/server.ts",
        args: ["--bind", `tcp://*:${port}`, ...quickWork],
      },
      {
        name: "client",
        script: "src/client.ts",
        args: ["--connect", `tcp://localhost:${port}`, "--requests", "5"],
        finishes: true,
      },
    ],
  },
  reverse: {
    title: "Either side can bind: the REQ client binds, the REP server connects",
    roles: [
      {
        name: "client",
        script: "src/client.ts",
        args: ["--bind", `tcp://*:${port}`, "--requests", "5"],
        finishes: true,
      },
      {
        name: "server",
        script: "src/server.ts",
        args: ["--connect", `tcp://localhost:${port}`, ...quickWork],
      },
    ],
  },
  "two-servers": {
    title: "One REQ client, two REP servers: requests alternate between them",
    roles: [
      {
        name: "server-a",
        script: "src/server.ts",
        args: ["--bind", `tcp://*:${port}`, "--name", "server-a", ...quickWork],
      },
      {
        name: "server-b",
        script: "src/server.ts",
        args: ["--bind", `tcp://*:${secondPort}`, "--name", "server-b", ...quickWork],
      },
      {
        name: "client",
        script: "src/client.ts",
        args: [
          "--connect",
          `tcp://localhost:${port}`,
          "--connect",
          `tcp://localhost:${secondPort}`,
          "--requests",
          "6",
        ],
        finishes: true,
      },
    ],
  },
});
