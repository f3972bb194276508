// `pnpm --filter binary-star start [reactor]`: a Binary Star pair and a client, each its own
// process; the primary is killed (SIGKILL) mid-run, the backup takes over on the client's next
// request, and the primary, restarted, comes back passive. Every state change is in the output.
// `start` runs the hand-wired server (server.ts), `start:reactor` the one on the bstar reactor.
import { guidePorts, startScenario } from "@zmq-patterns/helpers";
import {
  BACKUP_FRONTEND_PORT,
  BACKUP_STATE_PORT,
  PRIMARY_FRONTEND_PORT,
  PRIMARY_STATE_PORT,
} from "./protocol.ts";

const [primaryFront, backupFront, primaryState, backupState] = await guidePorts([
  PRIMARY_FRONTEND_PORT,
  BACKUP_FRONTEND_PORT,
  PRIMARY_STATE_PORT,
  BACKUP_STATE_PORT,
]);
const pair = (script: string) => [
  {
    name: "primary",
    script,
    args: [
      ...["--role", "primary", "--frontend", `tcp://*:${primaryFront}`],
      ...[
        "--state-pub",
        `tcp://*:${primaryState}`,
        "--state-sub",
        `tcp://localhost:${backupState}`,
      ],
    ],
  },
  {
    name: "backup",
    script,
    args: [
      ...["--role", "backup", "--frontend", `tcp://*:${backupFront}`],
      ...[
        "--state-pub",
        `tcp://*:${backupState}`,
        "--state-sub",
        `tcp://localhost:${primaryState}`,
      ],
    ],
    readyWhen: /state BACKUP -> PASSIVE/, // the client starts once the pair has paired
  },
  {
    name: "client",
    script: "src/client.ts",
    // The Guide's time-out (1000 ms) and settle delay (2000 ms); a request every 300 ms, not 1 s.
    args: [
      ...["--connect", `tcp://localhost:${primaryFront},tcp://localhost:${backupFront}`],
      ...["--requests", "20", "--interval-ms", "300"],
    ],
    finishes: true,
  },
];
const faults = [
  {
    after: { role: "client", line: /server replied OK \(3\)/ },
    action: "kill" as const,
    target: "primary",
  },
  {
    after: { role: "backup", line: /failover successful/ },
    action: "restart" as const,
    target: "primary",
  },
];

await startScenario({
  pair: {
    title:
      "Binary Star (server.ts): the primary dies, the backup takes over, the primary returns as passive",
    roles: pair("src/server.ts"),
    faults,
  },
  reactor: {
    title: "Binary Star on the bstar reactor (bstar-server.ts): the same faults",
    roles: pair("src/bstar-server.ts"),
    faults,
  },
});
