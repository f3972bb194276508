// The `start titanic` scenario (pnpm --filter majordomo start titanic): requests accepted while
// no worker for their service exists, a worker arriving later, Titanic killed (SIGKILL) while it
// dispatches and restarted, and every reply still delivered. start.ts lists it with the others.
import type { Scenario } from "@zmq-patterns/helpers";

/** Where the scenario's Titanic keeps its files: `ls packages/majordomo/data/titanic-start`. */
export const TITANIC_SCENARIO_DIR = "data/titanic-start";
const REQUESTS = 5;

export function titanicScenario(brokerPort: number): Scenario {
  const broker = `tcp://localhost:${brokerPort}`;
  // Heartbeats of 1 s (the Guide's 2.5 s) so that the broker forgets the dead Titanic sooner.
  const beats = ["--heartbeat-ms", "1000"];
  return {
    title: `Titanic: ${REQUESTS} requests stored while no echo worker exists; the worker comes; Titanic is killed while it dispatches and restarted; every reply is delivered`,
    timeoutMs: 60_000,
    roles: [
      {
        name: "broker",
        script: "src/broker.ts",
        args: ["--bind", `tcp://*:${brokerPort}`, ...beats],
        readyWhen: /bound to/,
      },
      {
        name: "titanic",
        script: "src/titanic.ts",
        args: ["--connect", broker, "--dir", TITANIC_SCENARIO_DIR, ...beats],
        readyWhen: /titanic\.close-\w+ ready/,
      },
      {
        name: "titanic-client",
        script: "src/titanic-client.ts",
        args: [
          ...["--connect", broker, "--requests", String(REQUESTS)],
          ...["--poll-ms", "500", "--timeout-ms", "1000"],
        ],
        finishes: true,
        // The echo worker starts only once every request is stored: Titanic keeps them meanwhile.
        readyWhen: new RegExp(`accepted \\w+ for "Hello world ${REQUESTS}"`),
      },
      {
        name: "echo",
        script: "src/worker.ts",
        args: ["--connect", broker, "--work-ms", "300", "--verbose", ...beats],
      },
    ],
    faults: [
      // Killed while the worker executes request 2: its reply never reaches Titanic's disk, so the
      // restarted Titanic sends it again (at least once: the worker executes it twice).
      {
        after: { role: "echo", line: /request: Hello world 2/ },
        action: "kill",
        target: "titanic",
      },
      {
        after: { role: "titanic-client", line: /W: no reply/ },
        action: "restart",
        target: "titanic",
      },
    ],
  };
}
