// `pnpm --filter pubsub start [weather|envelope|slow-joiner|sync]`: the whole pattern, each role in
// its own process, as you would run them in separate terminals. Ends by itself with exit code 0.
import { guidePorts, startScenario } from "@zmq-patterns/helpers";
import { ENVELOPE_PORT, SYNC_PUBLISH_PORT, SYNC_SERVICE_PORT, WEATHER_PORT } from "./protocol.ts";

const [weatherPort, envelopePort, publishPort, syncPort] = await guidePorts([
  WEATHER_PORT,
  ENVELOPE_PORT,
  SYNC_PUBLISH_PORT,
  SYNC_SERVICE_PORT,
]);
const updates = "1000"; // the Guide's sync publisher sends 1,000,000; we are in a hurry

/** Subscribers to the sync publisher; `readyWhen` makes each one start before the next role. */
const syncSubscribers = (names: string[], sync: string, readyWhen?: RegExp) =>
  names.map((name) => ({
    name,
    script: "src/sync-subscriber.ts",
    args: ["--connect", `tcp://localhost:${publishPort}`, "--sync", sync, "--name", name],
    finishes: true,
    readyWhen,
  }));

await startScenario({
  weather: {
    title: "Weather: one PUB server, two SUB clients, each filtering on its own zip code",
    roles: [
      {
        name: "weather-server",
        script: "src/weather-server.ts",
        // Ten zip codes instead of the Guide's 100,000, so that each client's zip comes up often.
        args: ["--bind", `tcp://*:${weatherPort}`, "--zip-min", "10000", "--zip-max", "10009"],
        readyWhen: /publishing/,
      },
      {
        name: "weather-client",
        script: "src/weather-client.ts",
        args: ["--connect", `tcp://localhost:${weatherPort}`], // the Guide's filter, "10001 "
        finishes: true,
      },
      {
        name: "weather-client-b",
        script: "src/weather-client.ts",
        args: [
          "--connect",
          `tcp://localhost:${weatherPort}`,
          "--filter",
          "10007 ",
          "--updates",
          "20",
          "--name",
          "weather-client-b",
        ],
        finishes: true,
      },
    ],
  },
  envelope: {
    title: "Envelopes: the key in its own frame, a subscriber that only wants key B",
    roles: [
      {
        name: "envelope-publisher",
        script: "src/envelope-publisher.ts",
        args: ["--bind", `tcp://*:${envelopePort}`, "--interval-ms", "200"],
        readyWhen: /bound to/,
      },
      {
        name: "envelope-subscriber",
        script: "src/envelope-subscriber.ts",
        args: ["--connect", `tcp://localhost:${envelopePort}`, "--messages", "5"],
        finishes: true,
      },
    ],
  },
  "slow-joiner": {
    title:
      "The slow joiner: subscribers start first, the publisher sends at once; the first updates are lost",
    roles: [
      // Started first, and already connecting when the publisher binds: still too late.
      ...syncSubscribers(["subscriber-1", "subscriber-2"], "none", /connecting to/),
      {
        name: "sync-publisher",
        script: "src/sync-publisher.ts",
        args: [
          ...["--bind", `tcp://*:${publishPort}`, "--sync-bind", `tcp://*:${syncPort}`],
          ...["--subscribers", "0", "--updates", updates, "--interval-ms", "1"],
        ],
        finishes: true,
      },
    ],
  },
  sync: {
    title: "Synchronised: the publisher waits for 3 subscribers to check in; nothing is lost",
    roles: [
      {
        name: "sync-publisher",
        script: "src/sync-publisher.ts",
        args: [
          ...["--bind", `tcp://*:${publishPort}`, "--sync-bind", `tcp://*:${syncPort}`],
          ...["--subscribers", "3", "--updates", updates, "--interval-ms", "1"],
        ],
        finishes: true,
        readyWhen: /waiting for 3 subscribers/,
      },
      ...syncSubscribers(
        ["subscriber-1", "subscriber-2", "subscriber-3"],
        `tcp://localhost:${syncPort}`,
      ),
    ],
  },
});
