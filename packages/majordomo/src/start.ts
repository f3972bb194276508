// `pnpm --filter majordomo start [scenario]`: Majordomo with a real fault injected while it runs.
// Each role is its own process, as in separate terminals. Ends by itself with exit code 0.
// Scenarios are entries of the table below: add one by adding an entry (and a `start:<name>` script).
import { guidePorts, type Scenario, startScenario } from "@zmq-patterns/helpers";
import { BROKER_PORT } from "./protocol.ts";
import { titanicScenario } from "./titanic-scenario.ts";

const [brokerPort] = await guidePorts([BROKER_PORT]);
const toBroker = ["--connect", `tcp://localhost:${brokerPort}`];
const worker = (name: string, service: string) => ({
  name,
  script: "src/worker.ts",
  args: [...toBroker, "--service", service, "--name", name, "--work-ms", "500", "--verbose"],
});
const client = (name: string, service: string, requests: number) => ({
  name,
  script: "src/client.ts",
  args: [...toBroker, "--service", service, "--requests", String(requests), "--name", name],
  finishes: true,
});

const scenarios: Record<string, Scenario> = {
  services: {
    title:
      "Majordomo: two services, three workers, two clients; a worker is killed while it holds a request, and the client's retry goes to the other worker of that service",
    roles: [
      { name: "broker", script: "src/broker.ts", args: ["--bind", `tcp://*:${brokerPort}`] },
      worker("echo-1", "echo"),
      worker("echo-2", "echo"),
      worker("audit-1", "audit"),
      client("client-echo", "echo", 10),
      client("client-audit", "audit", 6),
    ],
    faults: [
      {
        after: { role: "echo-1", line: /request: hello [3-9]/ },
        action: "kill",
        target: "echo-1",
      },
    ],
  },
  titanic: titanicScenario(brokerPort!),
};

await startScenario(scenarios);
