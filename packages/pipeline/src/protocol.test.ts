import { describe, expect, it } from "vitest";
import { formatResult, formatTask, parseSinkMessage, parseTask } from "./protocol.ts";

const frames = (...texts: string[]) => texts.map((text) => Buffer.from(text));

describe("the pipeline's wire format", () => {
  it("sends a task as the Guide does, a decimal workload in ms, or with its number after it", () => {
    expect(formatTask({ workloadMs: 37 })).toBe("37");
    expect(formatTask({ workloadMs: 37, number: 12 })).toBe("37 12");
    expect(parseTask(frames("37"))).toEqual({ workloadMs: 37 });
    expect(parseTask(frames("37 12"))).toEqual({ workloadMs: 37, number: 12 });
  });

  it("names the worker and echoes the task in a result", () => {
    expect(formatResult("worker-2", { workloadMs: 37, number: 12 })).toBe("worker-2 37 12");
    expect(parseSinkMessage(frames("worker-2 37 12"))).toEqual({
      kind: "result",
      result: { worker: "worker-2", task: { workloadMs: 37, number: 12 } },
    });
  });

  it("reads the Guide's start of batch \"0\" and its workers' empty results", () => {
    expect(parseSinkMessage(frames("0"))).toEqual({ kind: "start" });
    expect(parseSinkMessage(frames(""))).toEqual({ kind: "result", result: {} });
  });

  it("refuses a task number of 0, which the ventilator never sends (tasks count from 1)", () => {
    expect(parseTask(frames("37 0"))).toEqual({ problem: 'not a workload in ms: "37 0"' });
  });
});
