// `pnpm --filter voisietequi start [basic|late-computer|saver-restart] [--store=<file>]`: the command server,
// three computers and the saver, each in its own process. Ends by itself with exit code 0.
import { guidePorts, type RoleProcess, startScenario } from "@zmq-patterns/helpers";
import { ANSWER_PORT, COMMAND_PORT, SAVER_PORT } from "./protocol.ts";

const [commandPort, answerPort, saverPort] = await guidePorts([
  COMMAND_PORT,
  ANSWER_PORT,
  SAVER_PORT,
]);
const storeFlag = process.argv.find((arg) => arg.startsWith("--store="));
const store = storeFlag ? ["--store", storeFlag.slice("--store=".length)] : [];

const saver = (stopAfter: number, name = "saver"): RoleProcess => ({
  name,
  script: "src/saver.ts",
  args: [
    "--bind",
    `tcp://*:${saverPort}`,
    "--stop-after",
    String(stopAfter),
    "--name",
    name,
    ...store,
  ],
  finishes: true,
});
// The server runs until the launcher stops it; each scenario ends when its saver has stored
// the results it waits for, which does not depend on how fast the processes start.
const server = (quietMs = 500): RoleProcess => ({
  name: "server",
  script: "src/server.ts",
  // The computers learn the answer and saver ports from the command; `*` means "my host".
  args: [
    ...["--bind", `tcp://*:${commandPort}`, "--answers", `tcp://*:${answerPort}`],
    ...["--saver", `tcp://*:${saverPort}`],
    ...["--every-ms", "1000", "--quiet-ms", String(quietMs), "--repeat-ms", "100"], // the Guide would wait longer
  ],
});
const computer = (n: number, results: number): RoleProcess => ({
  name: `computer-${n}`,
  script: "src/computer.ts",
  args: [
    ...["--connect", `tcp://localhost:${commandPort}`, "--name", `computer-${n}`],
    ...["--results", String(results), "--work-ms", "200"],
  ],
  readyWhen: /waiting for commands/,
});

await startScenario({
  basic: {
    title: "Three computers and a saver, configured by a command server",
    roles: [saver(24), computer(1, 8), computer(2, 8), computer(3, 8), server()],
  },
  "late-computer": {
    title: "A computer that starts after the first command is configured by a later one",
    roles: [
      saver(9),
      computer(1, 3),
      computer(2, 3),
      // Round 1 waits 2 s of quiet for computers still connecting; computer-3 starts after it.
      { ...server(2000), readyWhen: /round 1 closed/ },
      computer(3, 3),
    ],
  },
  "saver-restart": {
    title: "The saver stops after 6 results and starts again: what was computed meanwhile arrives",
    roles: [
      server(),
      computer(1, 0),
      computer(2, 0),
      computer(3, 0),
      { ...saver(6), readyWhen: /stopped after storing/ }, // the next role starts once it is gone
      saver(9, "saver-again"),
    ],
  },
});
