import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openJsonLinesStore } from "@zmq-patterns/helpers";
import {
  EPHEMERAL,
  freeEndpoint,
  type LogWatch,
  runRoleProcess,
  startRole,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it } from "vitest";
import { checkPost } from "./bin.ts";
import { fakerDefaults, runFaker } from "./faker.ts";
import type { Post } from "./protocol.ts";

const readStore = async (path: string): Promise<Post[]> => {
  const store = await openJsonLinesStore<Post>(path);
  await store.close();
  return [...store.records];
};

// What ZeroMQ promises a PUSH/PULL pipeline when the PULL side dies, pinned down with a real
// SIGKILL: posts the faker sends while it knows the bin is gone wait in its queue and arrive
// after the restart; what the bin had stored is still there; what was in flight (in the bin's
// receive queue or on the wire) may be lost, and only that: we do not assert that nothing is.
describe("a mail bin killed mid-stream (SIGKILL) and restarted", () => {
  let log: LogWatch | undefined;
  afterEach(() => log?.stop());

  it("keeps what it stored, takes the posts sent while it was down, and stores none twice", async () => {
    log = watchLog(); // the faker runs in this process; the bin is a real child process
    const store = join(await mkdtemp(join(tmpdir(), "mailbin-")), "mailbin.jsonl");
    const binArgs = (mail: string) => ["--bind", mail, "--stats-bind", EPHEMERAL, "--store", store];

    // The restarted bin must bind the same endpoint: a port nobody else can be given meanwhile.
    const mail = await freeEndpoint();
    const first = runRoleProcess("src/bin.ts", binArgs(mail));
    await first.waitForLine(/ready \(pid \d+\): posts to /);
    const faker = startRole(runFaker, {
      ...fakerDefaults,
      connect: [mail],
      name: "crash",
      posts: 1_000_000, // runs until the test stops it
      intervalMs: 50,
      invalidFraction: 0,
    });
    await first.waitForLine(/stored post crash-20 /);
    first.signal("SIGKILL"); // no clean-up at all: the process is gone at once
    expect((await first.exited).signal).toBe("SIGKILL");
    const storedBeforeKill = await readStore(store);
    expect(storedBeforeKill.length).toBeGreaterThanOrEqual(20);

    // The faker notices, and keeps sending: its posts wait in its own queue.
    const lost = await log.waitFor(/\[crash\] W: lost the mail bin at /);
    let since = lost.index + 1;
    for (let n = 0; n < 10; n++) since = (await log.waitFor(/sent post /, { since })).index + 1;

    const second = runRoleProcess("src/bin.ts", binArgs(mail));
    const [, inStore] = await second.waitForLine(/ready \(pid \d+\): .*; (\d+) posts in /);
    expect(Number(inStore)).toBe(storedBeforeKill.length);
    const back = await log.waitFor(/\[crash\] connected to the mail bin at /, { since });
    const { match } = await log.waitFor(/sent post (crash-\d+) /, { since: back.index + 1 });
    await second.waitForLine(new RegExp(`stored post ${match[1]} `)); // it and all before it
    const sent = await faker.stop();
    second.signal("SIGTERM");
    expect((await second.exited).code).toBe(0);

    const sentIds = (from: number, to: number) =>
      log!.lines
        .slice(from, to)
        .map((line) => line.match(/^\[crash\] sent post (crash-\d+) /)?.[1])
        .filter((id): id is string => id !== undefined);
    const sentBeforeLoss = sentIds(0, lost.index);
    const sentWhileDown = sentIds(lost.index, back.index);
    const final = await readStore(store);
    const finalIds = final.map((post) => post.id);

    // Nothing stored is lost, and the file holds every post at most once, each a valid one.
    expect(final.slice(0, storedBeforeKill.length)).toEqual(storedBeforeKill);
    expect(new Set(finalIds).size).toBe(finalIds.length);
    for (const post of final)
      expect(checkPost([Buffer.from(JSON.stringify(post))])).toEqual({ post });
    // Posts sent while the bin was down arrived after the restart, every one of them.
    expect(sentWhileDown.length).toBeGreaterThanOrEqual(10);
    for (const id of sentWhileDown) {
      expect(finalIds.slice(storedBeforeKill.length), `${id}, sent while down`).toContain(id);
    }
    // Anything lost was sent before the faker knew the bin had gone: in flight when it died.
    const missing = [...sentBeforeLoss, ...sentWhileDown].filter((id) => !finalIds.includes(id));
    expect(missing.every((id) => sentBeforeLoss.includes(id))).toBe(true);
    console.info(
      `sent ${sent}; stored ${storedBeforeKill.length} before the kill, ${final.length} in all; lost in flight: ${missing.length}`,
    );
  });
});
