import { describe, expect, it } from "vitest";
import { decodePod, encodePod, formatValue, PodError, pod } from "./pod.ts";

describe("Pod text format", () => {
  it("writes the HackaGames examples exactly", () => {
    const state = pod("421-Solo", [], [], [pod("Horizon", [2]), pod("Dices", [6, 4, 1], [800])]);
    expect(encodePod(state)).toBe(
      "8 0 0 2 : 421-Solo\n7 1 0 0 : Horizon 2\n5 3 1 0 : Dices 6 4 1 800.0",
    );
    expect(encodePod(pod("keep-keep-roll"))).toBe("14 0 0 0 : keep-keep-roll");
    expect(encodePod(pod("Hello player", [1]))).toBe("12 1 0 0 : Hello player 1");
  });

  it("reads back what it writes, including labels with spaces and colons", () => {
    const tree = pod(
      "root",
      [1, -2],
      [0.5, -3],
      [pod("a: b c", [], [], [pod("leaf", [7])]), pod(""), pod("été", [], [1e-5])],
    );
    expect(decodePod(encodePod(tree))).toEqual(tree);
  });

  it("reads the original's examples and tolerates a trailing newline", () => {
    expect(decodePod("12 1 0 0 : Hello player 1\n")).toEqual(pod("Hello player", [1]));
    expect(decodePod(["5 3 1 0 : Dices 6 4 1 800.0"])).toEqual(pod("Dices", [6, 4, 1], [800]));
  });

  it("writes values the way Python prints floats", () => {
    expect(formatValue(800)).toBe("800.0");
    expect(formatValue(-1)).toBe("-1.0");
    expect(formatValue(0.25)).toBe("0.25");
  });

  const broken: [string, string, RegExp][] = [
    ["a plain word", "keep-keep-roll", /line 1: expected "<label length>.*got "keep-keep-roll"/],
    [
      "a label longer than the line",
      "20 0 0 0 : short",
      /line 1: label of 20 characters runs past/,
    ],
    [
      "too few integers",
      "5 3 0 0 : Dices 6 4",
      /line 1: expected 3 integers and 0 values, got "6 4"/,
    ],
    ["a word for an integer", "5 1 0 0 : Dices six", /line 1: "six" is not an integer/],
    ["a word for a value", "5 0 1 0 : Score lots", /line 1: "lots" is not a number/],
    ["a missing child", "4 0 0 2 : root\n4 0 0 0 : leaf", /line 3: missing/],
    ["text after the Pod", "4 0 0 0 : leaf\nextra", /line 2: unexpected text after the Pod/],
    ["a label glued to a number", "4 1 0 0 : leaf7", /label "leaf" is not followed by a space/],
    ["nothing at all", "", /line 1: expected/],
  ];
  for (const [what, text, message] of broken) {
    it(`refuses ${what} with a message naming the line`, () => {
      expect(() => decodePod(text)).toThrow(PodError);
      expect(() => decodePod(text)).toThrow(message);
    });
  }

  it("refuses to write a label with a newline or a value that is not finite", () => {
    expect(() => encodePod(pod("two\nlines"))).toThrow(PodError);
    expect(() => encodePod(pod("x", [], [Number.NaN]))).toThrow(PodError);
    expect(() => encodePod(pod("x", [1.5]))).toThrow(PodError);
  });

  it("bounds the work a hostile Pod can cause", () => {
    const many = ["4 0 0 2000 : root", ...Array.from({ length: 2000 }, () => "1 0 0 0 : x")];
    expect(() => decodePod(many)).toThrow(/more than 1000 nodes/);
  });
});
