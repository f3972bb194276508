// `pnpm --filter mailbin start [-- --store <file>]`: the mail bin, three fakers and a stats client,
// each in its own process, as you would run them in separate terminals. Ends by itself with exit
// code 0. The store is the bin's own (data/mailbin.jsonl), so a second run finds the first run's
// posts there and skips every one the fakers send again.
import { parseArgs } from "node:util";
import { guidePorts, startScenario } from "@zmq-patterns/helpers";
import { binDefaults } from "./bin.ts";
import { MAILBIN_PORT, STATS_PORT } from "./protocol.ts";

const { values, positionals } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"), // `pnpm start -- --store x` passes "--"
  options: {
    store: { type: "string", default: binDefaults.store },
    "free-ports": { type: "boolean" },
  },
  allowPositionals: true,
});
const [mailPort, statsPort] = await guidePorts([MAILBIN_PORT, STATS_PORT]);
const fakers = ["faker-1", "faker-2", "faker-3"];
const postsEach = 8;

await startScenario(
  {
    basic: {
      title: "Mail bin: three fakers PUSH form posts to one PULL bin; a REQ client asks for stats",
      roles: [
        {
          name: "bin",
          script: "src/bin.ts",
          args: [
            ...["--bind", `tcp://*:${mailPort}`, "--stats-bind", `tcp://*:${statsPort}`],
            ...["--store", values.store],
          ],
          readyWhen: /ready \(pid/, // the others start once both sockets are bound and the store is open
        },
        ...fakers.map((name) => ({
          name,
          script: "src/faker.ts",
          args: [
            ...["--connect", `tcp://localhost:${mailPort}`, "--name", name],
            ...["--posts", String(postsEach), "--interval-ms", "50", "--invalid-fraction", "0.25"],
          ],
          finishes: true,
        })),
        {
          name: "stats",
          script: "src/stats.ts",
          args: [
            ...["--connect", `tcp://localhost:${statsPort}`],
            ...["--expect", String(fakers.length * postsEach), "--every-ms", "500"],
          ],
          finishes: true,
        },
      ],
    },
  },
  positionals,
);
