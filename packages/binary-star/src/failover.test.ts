import { freeEndpoint, type RoleChild, runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// Real processes, real faults: the pair and a client, each its own process, as in three terminals.
// Heartbeats at 500 ms, peer expiry 1000 ms; the client waits 1000 ms for a reply, then settles
// 1000 ms (the expiry) before it tries the other server.
const timings = ["--heartbeat-ms", "500", "--peer-expiry-ms", "1000", "--show-state"];

/** The sequence numbers the client logged as answered, in order. */
const answeredIn = (lines: string[]) =>
  lines
    .flatMap((line) => line.match(/\[client\] server replied OK \((\d+)\)/)?.[1] ?? [])
    .map(Number);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
/** Waits for the next reply the client gets from now on. */
const nextReply = (client: RoleChild) =>
  client.waitForLine(/server replied OK/, { since: client.lines.length });

/** A pair of the two server files, mixed: either can pair with the other (or with the Guide's). */
async function startPair(primaryScript: string, backupScript: string) {
  const [primaryFront, backupFront, primaryState, backupState] = await Promise.all(
    [1, 2, 3, 4].map(() => freeEndpoint()),
  );
  const server = (script: string, role: string, front: string, mine: string, peer: string) =>
    runRoleProcess(script, [
      ...["--role", role, "--frontend", front, "--state-pub", mine, "--state-sub", peer],
      ...timings,
    ]);
  const primary = server(primaryScript, "primary", primaryFront!, primaryState!, backupState!);
  const backup = server(backupScript, "backup", backupFront!, backupState!, primaryState!);
  await primary.waitForLine(/state PRIMARY -> ACTIVE: connected to backup \(passive\)/);
  await backup.waitForLine(/state BACKUP -> PASSIVE: connected to primary \(active\)/);
  const client = runRoleProcess("src/client.ts", [
    ...["--connect", `${primaryFront},${backupFront}`, "--requests", "1000"],
    ...["--interval-ms", "100", "--timeout-ms", "1000", "--settle-ms", "1000"],
  ]);
  return { primary, backup, client, primaryFront: primaryFront!, backupFront: backupFront! };
}

describe("Binary Star with real processes", () => {
  it("fails over when the primary (bstar-server.ts) dies, takes it back as passive, and stops both on a forced split brain", async () => {
    let { primary, backup, client, backupFront } = await startPair(
      "src/bstar-server.ts",
      "src/server.ts",
    );
    await client.waitForLine(/server replied OK \(3\)/);
    expect(backup.lines.join("\n")).not.toMatch(/\[backup\] (W: refused|state PASSIVE)/);

    // 1. The primary crashes. The backup says nothing until a client asks it, after the expiry.
    expect((await primary.kill()).signal).toBe("SIGKILL");
    await client.waitForLine(new RegExp(`resending \\d+ to ${backupFront}`));
    await backup.waitForLine(/state PASSIVE -> ACTIVE: failover successful, ready as active/);
    const silent = backup.lines.findIndex((line) =>
      line.includes("the peer has been silent for 1000 ms"),
    );
    const failover = backup.lines.findIndex((line) => line.includes("failover successful"));
    expect(silent).toBeGreaterThanOrEqual(0);
    expect(silent).toBeLessThan(failover);
    await nextReply(client);

    // 2. The primary comes back: it sees an active backup and becomes passive; the pair serves on.
    primary = await primary.restart();
    await primary.waitForLine(
      /state PRIMARY -> PASSIVE: connected to backup \(active\), ready as passive/,
    );
    await nextReply(client);
    await nextReply(client);

    // 3. Split brain, forced: the backup hangs (SIGSTOP); the client votes for the primary, which
    // takes over once the backup has expired; then the backup wakes up, still ACTIVE.
    backup.hang();
    await client.waitForLine(/W: no reply in 1000 ms from .*, failing over/, {
      since: client.lines.length,
    });
    await primary.waitForLine(/state PASSIVE -> ACTIVE: failover successful, ready as active/);
    await nextReply(client);
    // Once the primary has said ACTIVE, the hung backup's kernel holds that message for it.
    await primary.waitForLine(/sent state ACTIVE/, { since: primary.lines.length });
    backup.resume();
    const fatal = /E: fatal: ACTIVE and the peer is ACTIVE: dual actives \(split brain\), aborting/;
    await Promise.all([primary.waitForLine(fatal), backup.waitForLine(fatal)]);
    expect([(await primary.exited).code, (await backup.exited).code]).toEqual([1, 1]);

    // Every request the client sent was answered once, in order, through all of it.
    client.signal("SIGTERM");
    const { code } = await client.exited;
    expect(code).toBe(0);
    const answered = answeredIn(client.lines);
    expect(answered.length).toBeGreaterThan(6);
    expect(answered).toEqual(oneTo(answered.length));
    const last = client.lines.filter((line) => /sending \d+ \(/.test(line)).at(-1);
    expect(Number(last?.match(/sending (\d+)/)?.[1])).toBeLessThanOrEqual(answered.length + 1);
  });
});
