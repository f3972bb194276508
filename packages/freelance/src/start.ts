// `pnpm --filter freelance start [model1|model2|model3]`: the three Freelance models in turn
// (or the one named), each with three servers and one client, and a server killed (SIGKILL)
// while the client runs; in model 3 it is restarted too. Each role is its own process, as in
// separate terminals. Ends by itself with exit code 0.
import { guidePorts, runScenario, type Scenario, startScenario } from "@zmq-patterns/helpers";
import { SERVER_PORTS } from "./protocol.ts";

const ports = await guidePorts(SERVER_PORTS);
const endpoints = ports.map((port) => `tcp://localhost:${port}`);
const servers = (script: string, more: (i: number) => string[] = () => []) =>
  ports.map((port, i) => ({
    name: `server-${i + 1}`,
    script,
    args: ["--bind", `tcp://*:${port}`, ...more(i)],
    readyWhen: /service is ready/,
  }));
const client = (script: string, requests: number, pauseMs = 100) => ({
  name: "client",
  script,
  args: [
    ...["--connect", endpoints.join(","), "--requests", String(requests)],
    ...["--pause-ms", String(pauseMs)],
  ],
  finishes: true,
});

const scenarios: Record<string, Scenario> = {
  model1: {
    title:
      "Freelance model 1: the client asks one server at a time; the one answering is killed, the client fails over to the next",
    roles: [...servers("src/server1.ts"), client("src/client1.ts", 10)],
    faults: [
      { after: { role: "client", line: /reply 3 from/ }, action: "kill", target: "server-1" },
    ],
  },
  model2: {
    title:
      "Freelance model 2: the client asks all three at once and takes the first reply; a server is killed and nothing shows",
    roles: [...servers("src/server2.ts"), client("src/client2.ts", 10)],
    faults: [{ after: { role: "client", line: /reply 3 OK/ }, action: "kill", target: "server-2" }],
  },
  model3: {
    title:
      "Freelance model 3: the agent pings the servers and spreads the requests; one is killed (skipped at once), then restarted (used again)",
    roles: [
      ...servers("src/server3.ts", (i) => ["--endpoint", endpoints[i]!]),
      client("src/client3.ts", 40, 100),
    ],
    faults: [
      { after: { role: "client", line: /reply 4 from/ }, action: "kill", target: "server-1" },
      // The two others serve on. Then the client is paused while server-1 restarts, however
      // long a busy machine takes to start it, so that it still has requests left to send it.
      { after: { role: "client", line: /reply 8 from/ }, action: "hang", target: "client" },
      { action: "restart", target: "server-1" },
      { after: { role: "server-1", line: /service is ready/ }, action: "resume", target: "client" },
    ],
  },
};

const named = process.argv.slice(2).find((arg) => !arg.startsWith("--"));
if (named !== undefined) await startScenario(scenarios, [named]);
for (const scenario of Object.values(scenarios)) {
  const code = await runScenario(scenario);
  if (code !== 0) process.exit(code);
}
process.exit(0);
