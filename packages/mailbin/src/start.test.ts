import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openJsonLinesStore } from "@zmq-patterns/helpers";
import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import type { Post } from "./protocol.ts";

// End to end: `pnpm --filter mailbin start`, as a real child process with each role in its own
// process. --free-ports swaps the default ports for free ones, --store keeps the test's posts
// out of the package's data/ folder.
describe("pnpm --filter mailbin start", () => {
  it("stores or rejects each of the 24 posts once, and a second run stores none of them again", async () => {
    const store = join(await mkdtemp(join(tmpdir(), "mailbin-start-")), "mailbin.jsonl");
    const args = ["--free-ports", "--store", store];
    const first = await runRoleProcess("src/start.ts", args).exited;
    const counts = first.stdout.match(
      /\[stats\] received 24: stored (\d+), duplicates 0, rejected (\d+); (\d+) posts in the store/,
    );
    expect(counts, first.stdout).not.toBeNull();
    const [stored, rejected, inStore] = counts!.slice(1).map(Number) as [number, number, number];
    expect(stored + rejected).toBe(24);
    expect(rejected).toBeGreaterThan(0); // the fakers break a quarter of their posts on purpose
    expect(first.stdout).toMatch(/\[bin\] W: rejected post faker-\d-\d+: /);
    for (const faker of ["faker-1", "faker-2", "faker-3"]) {
      expect(first.stdout).toContain(`[${faker}] done: sent 8 of 8 posts`);
    }
    expect(first.stdout).toContain("[start] every role ended cleanly");
    expect(first.code).toBe(0);
    const file = await openJsonLinesStore<Post>(store);
    await file.close();
    expect(file.records).toHaveLength(stored);
    expect(inStore).toBe(stored);

    // Same fakers, same posts, same ids: the bin finds them all in its store already.
    const second = await runRoleProcess("src/start.ts", args).exited;
    expect(second.stdout).toContain("[bin] ready (pid ");
    expect(second.stdout).toContain(`; ${stored} posts in ${store}`);
    expect(second.stdout).toContain(
      `[stats] received 24: stored 0, duplicates ${stored}, rejected ${rejected}; ${stored} posts in the store`,
    );
    expect(second.code).toBe(0);
  });

  it("refuses an unknown scenario and names the real one", async () => {
    const result = await runRoleProcess("src/start.ts", ["nonsense"]).exited;
    expect(result.stderr).toContain('no scenario "nonsense"; choose one of: basic');
    expect(result.code).toBe(2);
  });
});
