import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter pubsub start <scenario>`, as a real child process with each role
// in its own process. --free-ports swaps the Guide's ports for free ones so that packages can
// run these tests in parallel.
describe("pnpm --filter pubsub start", () => {
  it("weather: each client averages its own zip code's updates and every role ends cleanly", async () => {
    const result = await runRoleProcess("src/start.ts", ["weather", "--free-ports"]).exited;
    expect(result.stdout).toMatch(
      /\[weather-client\] average temperature for zip code "10001" was -?\d+F/,
    );
    expect(result.stdout).toMatch(
      /\[weather-client-b\] average temperature for zip code "10007" was -?\d+F/,
    );
    const updateLines = result.stdout
      .split("\n")
      .filter((line) => /^\[weather-client(-b)?\] received "/.test(line));
    expect(updateLines.length).toBeGreaterThan(0);
    for (const line of updateLines) {
      expect(line).toMatch(
        /^\[weather-client\] received "10001 |^\[weather-client-b\] received "10007 /,
      );
    }
    expect(result.stdout).toContain("[start] every role ended cleanly");
    expect(result.code).toBe(0);
  });

  it("envelope: the subscriber prints 5 messages with key B and none with key A", async () => {
    const result = await runRoleProcess("src/start.ts", ["envelope", "--free-ports"]).exited;
    const subscriberLines = result.stdout
      .split("\n")
      .filter((line) => line.startsWith("[envelope-subscriber] ["));
    expect(subscriberLines).toEqual(
      Array(5).fill("[envelope-subscriber] [B] We would like to see this"),
    );
    expect(result.stdout).toContain('[envelope-subscriber] received 5 messages for key "B"');
    expect(result.code).toBe(0);
  });

  it("slow-joiner: the publisher does not wait, and each subscriber says what it received", async () => {
    const result = await runRoleProcess("src/start.ts", ["slow-joiner", "--free-ports"]).exited;
    expect(result.stdout).toContain("[sync-publisher] W: not waiting for subscribers");
    expect(result.stdout).toContain('[sync-publisher] published 1000 updates and "END"');
    for (const name of ["subscriber-1", "subscriber-2"]) {
      expect(result.stdout).toMatch(
        new RegExp(`\\[${name}\\] received \\d+ updates \\(#\\d+ to #1000\\).*, then "END"`),
      );
    }
    expect(result.code).toBe(0);
  });

  it("sync: three subscribers check in, and each receives all 1000 updates", async () => {
    const result = await runRoleProcess("src/start.ts", ["sync", "--free-ports"]).exited;
    expect(result.stdout).toContain("[sync-publisher] subscriber 3 of 3 checked in");
    for (const name of ["subscriber-1", "subscriber-2", "subscriber-3"]) {
      expect(result.stdout).toContain(
        `[${name}] received 1000 updates (#1 to #1000), nothing missed, then "END"`,
      );
    }
    expect(result.stdout).toContain("[start] every role ended cleanly");
    expect(result.code).toBe(0);
  });

  it("refuses an unknown scenario and names the real ones", async () => {
    const result = await runRoleProcess("src/start.ts", ["nonsense"]).exited;
    expect(result.stderr).toContain(
      'no scenario "nonsense"; choose one of: weather, envelope, slow-joiner, sync',
    );
    expect(result.code).toBe(2);
  });
});
