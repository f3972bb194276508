// `pnpm --filter pirates start [lazy|simple|paranoid]`: each Pirate pattern with real faults
// injected while it runs: processes killed (SIGKILL), hung (SIGSTOP) and resumed, and restarted.
// Each role is its own process, as in separate terminals. Ends by itself with exit code 0.
import { guidePorts, startScenario } from "@zmq-patterns/helpers";
import { CLIENT_PORT, WORKER_PORT } from "./protocol.ts";

const [clientPort, workerPort] = await guidePorts([CLIENT_PORT, WORKER_PORT]);
const frontend = ["--frontend", `tcp://*:${clientPort}`, "--backend", `tcp://*:${workerPort}`];
const toQueue = ["--connect", `tcp://localhost:${workerPort}`];
const client = (requests: number) => ({
  name: "client",
  script: "src/lazy-client.ts",
  args: ["--connect", `tcp://localhost:${clientPort}`, "--requests", String(requests)],
  finishes: true,
});
const quickWork = ["--work-ms", "300"]; // the Guide's roles work 1 s per request

await startScenario({
  lazy: {
    title:
      "Lazy Pirate: the server crashes (SIGKILL); the client retries on new sockets until it is back",
    roles: [
      {
        name: "server",
        script: "src/lazy-server.ts",
        args: ["--bind", `tcp://*:${clientPort}`, ...quickWork],
      },
      client(8),
    ],
    faults: [
      {
        after: { role: "client", line: /server replied OK \(3\)/ },
        action: "kill",
        target: "server",
      },
      { after: { role: "client", line: /W: no reply/ }, action: "restart", target: "server" },
    ],
  },
  simple: {
    title:
      "Simple Pirate: a worker is killed while it holds a request; the client's retry goes to the other",
    roles: [
      {
        name: "queue",
        script: "src/simple-queue.ts",
        args: frontend,
      },
      {
        name: "worker-1",
        script: "src/simple-worker.ts",
        args: [...toQueue, "--name", "worker-1", ...quickWork],
      },
      {
        name: "worker-2",
        script: "src/simple-worker.ts",
        args: [...toQueue, "--name", "worker-2", ...quickWork],
      },
      client(8),
    ],
    faults: [
      {
        after: { role: "worker-1", line: /normal reply to "[2-8]"/ },
        action: "kill",
        target: "worker-1",
      },
    ],
  },
  paranoid: {
    title:
      "Paranoid Pirate: a worker hangs (SIGSTOP) and is forgotten, then the queue is killed and restarted; heartbeats bring everyone back",
    roles: [
      { name: "queue", script: "src/paranoid-queue.ts", args: frontend },
      {
        name: "worker-1",
        script: "src/paranoid-worker.ts",
        args: [...toQueue, "--name", "worker-1", ...quickWork],
      },
      {
        name: "worker-2",
        script: "src/paranoid-worker.ts",
        args: [...toQueue, "--name", "worker-2", ...quickWork],
      },
      client(40), // enough requests to outlast every fault below, with room to spare
    ],
    faults: [
      {
        after: { role: "client", line: /server replied OK \(2\)/ },
        action: "hang",
        target: "worker-1",
      },
      {
        after: { role: "queue", line: /worker "worker-1-\w+" silent/ },
        action: "resume",
        target: "worker-1",
      },
      {
        after: { role: "queue", line: /worker "worker-1-\w+" ready/ },
        action: "kill",
        target: "queue",
      },
      {
        after: { role: "worker-1", line: /heartbeat failure/ },
        action: "restart",
        target: "queue",
      },
    ],
  },
});
