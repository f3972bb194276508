import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter broker start <scenario>`, a real child process with each role in its
// own process. --free-ports swaps the Guide's ports for free ones, so tests run side by side.
const start = async (scenario: string) => {
  const result = await runRoleProcess("src/start.ts", [scenario, "--free-ports"]).exited;
  expect(result.stdout).toContain("[start] every role ended cleanly");
  expect(result.code).toBe(0);
  return result.stdout;
};

/** The numbers in the lines matching `pattern` (its first group). */
const counts = (stdout: string, pattern: RegExp) =>
  [...stdout.matchAll(pattern)].map(([, count]) => Number(count));

/** Every client got all 4 replies, each one its own request echoed back. */
function expectOwnReplies(stdout: string) {
  for (const i of [1, 2, 3]) expect(stdout).toContain(`[client-${i}] done: 4 of 4 replies`);
  for (const [, client, echoed] of stdout.matchAll(
    /\[(client-\d)\] received "Hello from (client-\d)"/g,
  )) {
    expect(echoed).toBe(client);
  }
}

describe("pnpm --filter broker start", () => {
  it("rrbroker (the default): 3 clients, 2 workers, every reply to its own client", async () => {
    const stdout = await start("rrbroker");
    expectOwnReplies(stdout);
    const served = counts(stdout, /\[worker-\d\] stopped after answering (\d+) requests/g);
    expect(served).toHaveLength(2);
    expect(served[0]! + served[1]!).toBe(12);
    expect(stdout).toContain("[broker] stopped after 12 requests, 12 replies, 0 dropped");
  });

  it("proxy: the same with zeromq's Proxy", async () => {
    const stdout = await start("proxy");
    expectOwnReplies(stdout);
    expect(stdout).toContain("[proxy] stopped");
  });

  it("forwarder: each subscriber gets 5 updates for its zip code; subscriptions flow up", async () => {
    const stdout = await start("forwarder");
    for (const i of [1, 2]) {
      expect(stdout).toContain(`[forwarder] subscribe "1000${i} ": passing it upstream`);
      const updates = stdout.match(new RegExp(`\\[subscriber-${i}\\] received "(\\d+) `, "g"));
      expect(updates).toHaveLength(5);
      expect(stdout).toContain(`[subscriber-${i}] received "1000${i} `);
    }
  });

  it("streamer: 10 tasks through the streamer, 10 results back", async () => {
    const stdout = await start("streamer");
    const tally = stdout.match(/\[ventilator\] results: (.*)/)?.[1] ?? "";
    const perWorker = counts(tally, /taskworker-\d (\d+)/g);
    expect(perWorker.reduce((sum, count) => sum + count, 0)).toBe(10);
  });

  it("mtserver: 3 clients served by 3 threads in turn, 4 requests each", async () => {
    const stdout = await start("mtserver");
    for (const i of [1, 2, 3]) expect(stdout).toContain(`[client-${i}] done: 4 of 4 replies`);
    for (const i of [1, 2, 3]) {
      expect(stdout).toContain(`[mtserver-worker-${i}] stopped after answering 4 requests`);
    }
  });

  it("identity: the frames a ROUTER receives from each kind of peer", async () => {
    const stdout = await start("identity");
    expect(stdout).toContain('[005] "PEER2"');
    expect(stdout).toMatch(/\[005\] 0x00[0-9a-f]{8}\n\[000\]\n\[039\] "ROUTER uses a generated/);
    expect(stdout).toContain('[identity] the REQ "PEER2" got back "hello PEER2, by name"');
  });

  it("lbbroker: 12 requests over 3 workers, every client served", async () => {
    const stdout = await start("lbbroker");
    for (const i of [1, 2, 3]) expect(stdout).toContain(`[client-${i}] done: 4 of 4 replies`);
    for (const name of ["lbworker-1", "lbworker-2", "lbworker-slow"]) {
      expect(stdout).toContain(`[lbbroker] worker "${name}" ready`);
    }
    expect(stdout).toContain("[lbbroker] stopped after 12 requests, 12 replies, 0 dropped");
  });

  it("refuses an unknown scenario and names the real ones", async () => {
    const result = await runRoleProcess("src/start.ts", ["nonsense"]).exited;
    expect(result.stderr).toContain(
      'no scenario "nonsense"; choose one of: rrbroker, proxy, forwarder, streamer, mtserver, identity, lbbroker',
    );
    expect(result.code).toBe(2);
  });
});
