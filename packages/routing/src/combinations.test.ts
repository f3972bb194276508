import { readFileSync, writeFileSync } from "node:fs";
import { watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  combinationsDefaults,
  type PairResult,
  runCombinations,
  type SocketType,
  TYPE_NAMES,
} from "./combinations.ts";

// What the Guide and libzmq's own check (mechanism.cpp, check_socket_type) say, written out by
// hand: the pairs that may talk, and which way messages go. Everything else must be refused.
const TALKS: Record<string, "both" | "first-to-second"> = {
  "PAIR-PAIR": "both",
  "REQ-REP": "both",
  "DEALER-REP": "both",
  "REQ-ROUTER": "both",
  "DEALER-ROUTER": "both",
  "DEALER-DEALER": "both",
  "ROUTER-ROUTER": "both",
  "PUB-SUB": "first-to-second",
  "PUB-XSUB": "first-to-second",
  "XPUB-SUB": "both", // the XPUB reads the subscription
  "XPUB-XSUB": "both",
  "PUSH-PULL": "first-to-second",
};

function expected(bound: SocketType, connected: SocketType) {
  const forward = TALKS[`${bound}-${connected}`];
  const backward = TALKS[`${connected}-${bound}`];
  if (!forward && !backward)
    return { handshake: false, boundToConnected: false, connectedToBound: false };
  const both = forward === "both" || backward === "both";
  return {
    handshake: true,
    boundToConnected: both || forward === "first-to-second",
    connectedToBound: both || backward === "first-to-second",
  };
}

const OUTPUT = new URL("../output/combinations.txt", import.meta.url);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("which socket types may talk", () => {
  it("every valid pair handshakes and exchanges a message each way it allows; every other pair is refused and never handshakes", async () => {
    const log = watchLog();
    const results = await runCombinations({ ...combinationsDefaults, timeoutMs: 20_000 });
    expect(results).toHaveLength(TYPE_NAMES.length ** 2);
    const seen = (r: PairResult) => ({
      handshake: r.handshake,
      boundToConnected: r.boundToConnected,
      connectedToBound: r.connectedToBound,
      failure: r.failure,
    });
    for (const result of results) {
      expect(seen(result), `${result.bound} bound, ${result.connected} connecting`).toEqual({
        ...expected(result.bound, result.connected),
        failure: undefined,
      });
    }
    // The page shows what the role printed: the table must be the committed one, line for line.
    const printed = log.text().split("rows bind, columns connect:\n")[1];
    const committed = readFileSync(OUTPUT, "utf8").trimEnd();
    if (process.env.UPDATE_OUTPUT === "1") writeFileSync(OUTPUT, `${printed}\n`);
    else
      expect(printed, "run UPDATE_OUTPUT=1 pnpm --filter routing test, then pnpm docs:sync").toBe(
        committed,
      );
  });
});
