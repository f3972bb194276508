import { describe, expect, it } from "vitest";
import { describeFrame, formatFrames } from "../src/frames.ts";

describe("frames", () => {
  it("shows printable frames as quoted text", () => {
    expect(describeFrame(Buffer.from("Hello"))).toBe('"Hello"');
  });

  it("shows binary frames (a ROUTER's routing id) as hex", () => {
    expect(describeFrame(Buffer.from([0x00, 0x80, 0x00, 0x41, 0xa7]))).toBe("0x00800041a7");
  });

  it("cuts long frames and says how long they were", () => {
    expect(describeFrame(Buffer.alloc(1024, "a"))).toBe(`"${"a".repeat(64)}"... (1024 bytes)`);
  });

  it("dumps a multipart message one frame per line with sizes, the empty delimiter included", () => {
    const dump = formatFrames([Buffer.from([0, 1, 2]), Buffer.alloc(0), Buffer.from("Hello")]);
    expect(dump.split("\n")).toEqual([
      "----------------------------------------",
      "[003] 0x000102",
      "[000]",
      '[005] "Hello"',
    ]);
  });
});
