import { readFileSync, writeFileSync } from "node:fs";
import { watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { envelopesDefaults, runEnvelopes } from "./envelopes.ts";

const OUTPUT = new URL("../output/envelopes.txt", import.meta.url);
/** Routing ids a ROUTER makes up (0x00 and 4 random bytes) differ from run to run; the rest may not. */
const masked = (text: string) => text.replace(/0x00[0-9a-f]{8}/g, "0x00<id>");

afterEach(() => {
  vi.restoreAllMocks();
});

describe("envelopes through two hops", () => {
  it("grow by one id per ROUTER on the way in and shrink by one on the way out; REP drops what has no delimiter", async () => {
    const log = watchLog();
    const result = await runEnvelopes({ ...envelopesDefaults });
    expect(result.reply).toBe("World");
    // The REP's application saw the REQ's body and the DEALER's delimited one: never the other.
    expect(result.served).toEqual(["Hello", "with delimiter"]);
    expect(result.dealerReplies).toEqual([["", "World"]]);

    // The stack at each hop: [hop-1's id for the client, "", body] -> [hop-2's id for hop-1, that id, "", body].
    const text = log.text();
    const frames = (header: RegExp) => {
      const at = log.lines.findIndex((line) => header.test(line));
      return log.lines[at]!.split("\n").slice(2); // after the header and the dashes
    };
    expect(frames(/^\[hop-1\] in from the frontend/)).toEqual([
      expect.stringMatching(/^\[005\] 0x00[0-9a-f]{8}$/),
      "[000]",
      '[005] "Hello"',
    ]);
    expect(frames(/^\[hop-2\] in from the frontend/)).toEqual([
      expect.stringMatching(/^\[005\] 0x00[0-9a-f]{8}$/),
      expect.stringMatching(/^\[005\] 0x00[0-9a-f]{8}$/),
      "[000]",
      '[005] "Hello"',
    ]);
    expect(frames(/^\[server\] REP gives/)).toEqual(['[005] "Hello"']);
    expect(frames(/^\[hop-2\] out from the backend/)).toEqual([
      expect.stringMatching(/^\[005\] 0x00[0-9a-f]{8}$/),
      expect.stringMatching(/^\[005\] 0x00[0-9a-f]{8}$/),
      "[000]",
      '[005] "World"',
    ]);
    expect(frames(/^\[hop-1\] out from the backend/)).toEqual([
      expect.stringMatching(/^\[005\] 0x00[0-9a-f]{8}$/),
      "[000]",
      '[005] "World"',
    ]);
    expect(text).toContain('REQ took the empty delimiter off and gives back "World"');

    // The page embeds a real run's output: it must still be what the chain prints.
    const start = log.lines.findIndex((line) => line.startsWith("[client] REQ sends"));
    const end = log.lines.findIndex((line) => line.startsWith("[client] DEALER got one reply"));
    const printed = log.lines.slice(start, end + 1).join("\n");
    if (process.env.UPDATE_OUTPUT === "1") writeFileSync(OUTPUT, `${printed}\n`);
    const committed = readFileSync(OUTPUT, "utf8").trimEnd();
    expect(
      masked(printed),
      "run UPDATE_OUTPUT=1 pnpm --filter routing test, then pnpm docs:sync",
    ).toBe(masked(committed));
  });
});
