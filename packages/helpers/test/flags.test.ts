import { describe, expect, it } from "vitest";
import { readFlags, UsageError, usage } from "../src/flags.ts";

const serverDefaults = {
  bind: ["tcp://*:5555"],
  connect: [] as string[],
  workMs: 1000,
  name: "server",
};

describe("readFlags", () => {
  it("returns the defaults when no flag is given", () => {
    expect(readFlags(serverDefaults, [])).toEqual({ ...serverDefaults, help: false });
  });

  it("reads numbers, strings and kebab-case names", () => {
    const flags = readFlags(serverDefaults, ["--work-ms", "5", "--name", "server-a"]);
    expect(flags.workMs).toBe(5);
    expect(flags.name).toBe("server-a");
  });

  it("takes repeated and comma-separated endpoints", () => {
    const flags = readFlags(serverDefaults, [
      "--bind",
      "tcp://*:1",
      "--bind",
      "tcp://*:2,ipc:///tmp/x",
    ]);
    expect(flags.bind).toEqual(["tcp://*:1", "tcp://*:2", "ipc:///tmp/x"]);
  });

  it("drops the default bind when the user gives only --connect", () => {
    const flags = readFlags(serverDefaults, ["--connect", "tcp://localhost:5555"]);
    expect(flags).toMatchObject({ bind: [], connect: ["tcp://localhost:5555"] });
  });

  it("rejects a number flag that is not a number, naming the flag", () => {
    expect(() => readFlags(serverDefaults, ["--work-ms", "soon"])).toThrow(
      new UsageError('--work-ms expects a number, got "soon"'),
    );
  });

  it("accepts the -- that `pnpm <role> -- --flag` passes along", () => {
    expect(readFlags(serverDefaults, ["--", "--work-ms", "5"]).workMs).toBe(5);
  });

  it("rejects unknown flags", () => {
    expect(() => readFlags(serverDefaults, ["--colour", "blue"])).toThrow(UsageError);
  });

  it("lists every flag with its default in the usage", () => {
    expect(usage(serverDefaults)).toContain("--work-ms <value>  default: 1000");
    expect(usage(serverDefaults)).toContain("--connect <value>  default: (none) (repeatable)");
  });
});
