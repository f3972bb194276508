import { describe, expect, it } from "vitest";
import { readToolArgs } from "./args.ts";
import { latencyLine, parseToolOutput, throughputLines } from "./output.ts";

describe("libzmq's output lines", () => {
  it("computes throughput as local_thr.cpp does: whole msg/s, Mb/s from that", () => {
    // 100,000 messages of 100 B in 0.75 s: 133,333.33 msg/s, truncated, then 8 bits per byte.
    expect(throughputLines(100, 100_000, 750_000)).toEqual([
      "mean throughput: 133333 [msg/s]",
      "mean throughput: 106.666 [Mb/s]",
    ]);
  });

  it("computes latency as remote_lat.cpp does: half the average round trip, 3 decimals", () => {
    expect(latencyLine(10_000, 400_000)).toBe("average latency: 20.000 [us]");
    expect(latencyLine(3, 100)).toBe("average latency: 16.667 [us]");
  });

  it("reads the figures back from libzmq's own output, labelled by a launcher or not", () => {
    const libzmqOutput = [
      "message size: 1 [B]",
      "message count: 100000",
      "mean throughput: 2894355 [msg/s]",
      "mean throughput: 23.155 [Mb/s]",
    ].join("\n");
    expect(parseToolOutput(libzmqOutput)).toEqual({
      messageSize: 1,
      messageCount: 100_000,
      messagesPerSecond: 2_894_355,
      megabitsPerSecond: 23.155,
    });
    expect(parseToolOutput("[remote_lat] average latency: 31.250 [us]\nnoise")).toEqual({
      latencyUs: 31.25,
    });
  });
});

describe("libzmq's positional arguments", () => {
  it("reads <endpoint> <message-size> <count>", () => {
    expect(readToolArgs("local_thr", ["tcp://*:5555", "100", "100000"])).toEqual({
      endpoint: "tcp://*:5555",
      messageSize: 100,
      count: 100_000,
    });
    expect(readToolArgs("inproc_lat", ["1", "10000"])).toEqual({
      endpoint: "",
      messageSize: 1,
      count: 10_000,
    });
  });

  it("refuses a wrong count or a number that is not whole, as a usage error", () => {
    for (const argv of [
      [],
      ["tcp://*:5555", "100"],
      ["tcp://*:5555", "1e3", "10"],
      ["x", "1", "0"],
    ]) {
      expect(readToolArgs("local_thr", argv)).toBeUndefined();
    }
  });
});
