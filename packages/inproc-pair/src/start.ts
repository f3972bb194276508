// `pnpm --filter inproc-pair start [relay|second-peer]`: the Guide's relay, three steps in three
// threads of one process, run three times; or what a PAIR does with a second peer. Ends by itself
// with exit code 0. inproc:// uses no ports, so --free-ports (passed by tests) changes nothing.
import { startScenario } from "@zmq-patterns/helpers";

await startScenario({
  relay: {
    title: "The relay: step 1 signals step 2, step 2 signals step 3, each in its own thread",
    roles: [{ name: "relay", script: "src/relay.ts", args: ["--rounds", "3"], finishes: true }],
  },
  "second-peer": {
    title: "A PAIR takes one peer: a second peer connects, and nothing it sends arrives",
    roles: [{ name: "second-peer", script: "src/second-peer.ts", finishes: true }],
  },
});
