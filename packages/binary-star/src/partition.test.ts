import {
  createTestNetwork,
  networkNamespacesUnavailable,
  type RoleChild,
  runRoleProcess,
} from "@zmq-patterns/helpers/testing";
import { afterAll, describe, expect, it } from "vitest";

// Partitions: the primary, the backup and a client each on its own host (a network namespace),
// one switch between them; cut() unplugs one host's cable: its packets vanish, no FIN, no RST.
const noNetns = networkNamespacesUnavailable();
const why = noNetns ? ` (skipped: needs root and Linux network namespaces: ${noNetns})` : "";
const timings = ["--heartbeat-ms", "500", "--peer-expiry-ms", "1000"];

const answeredIn = (lines: string[]) =>
  lines
    .flatMap((line) => line.match(/\[client\] server replied OK \((\d+)\)/)?.[1] ?? [])
    .map(Number);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const nextReplies = async (client: RoleChild, count: number) => {
  for (let i = 0; i < count; i++)
    await client.waitForLine(/server replied OK/, { since: client.lines.length });
};

describe.skipIf(noNetns)(`Binary Star across a network partition${why}`, () => {
  const networks: { remove(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const network of networks) await network.remove();
  });

  it("never has two actives while the servers cannot see each other but the clients see only the primary; cut off the primary, the backup takes over, and the healed link is fatal to both", async () => {
    const net = await createTestNetwork(["primary", "backup", "client"]);
    networks.push(net);
    const {
      primary: p,
      backup: b,
      client: c,
    } = net.hosts as Record<string, (typeof net.hosts)[string]>;
    const at = (host: { address: string }, port: number) => `tcp://${host.address}:${port}`;
    const primary = runRoleProcess(
      "src/server.ts",
      [
        ...["--role", "primary", "--frontend", at(p!, 5001), "--state-pub", at(p!, 5003)],
        ...["--state-sub", at(b!, 5004), ...timings],
      ],
      { host: p! },
    );
    const backup = runRoleProcess(
      "src/bstar-server.ts", // either server file pairs with the other
      [
        ...["--role", "backup", "--frontend", at(b!, 5002), "--state-pub", at(b!, 5004)],
        ...["--state-sub", at(p!, 5003), ...timings, "--show-state"], // logs each "sent state"
      ],
      { host: b! },
    );
    await primary.waitForLine(/state PRIMARY -> ACTIVE/);
    await backup.waitForLine(/state BACKUP -> PASSIVE/);
    const client = runRoleProcess(
      "src/client.ts",
      [
        ...[
          "--connect",
          `${at(p!, 5001)},${at(b!, 5002)}`,
          "--requests",
          "1000",
          "--interval-ms",
          "100",
        ],
        ...["--timeout-ms", "1000", "--settle-ms", "1000"],
      ],
      { host: c! },
    );
    await nextReplies(client, 3);

    // 1. The backup's cable is cut: the servers cannot see each other, the client sees only the
    // primary. The backup's peer expires, but no client request reaches it: it stays PASSIVE.
    await net.cut("backup");
    await backup.waitForLine(/W: the peer has been silent for 1000 ms/);
    await primary.waitForLine(/W: the peer has been silent for 1000 ms/);
    await nextReplies(client, 5); // after the backup's expiry, all from the primary
    expect(backup.lines.join("\n")).not.toMatch(/-> ACTIVE|E: fatal/);
    await net.heal("backup");
    await backup.waitForLine(/the peer is back, ACTIVE/);
    await primary.waitForLine(/the peer is back, PASSIVE/);
    await nextReplies(client, 2);
    expect(client.lines.join("\n")).not.toContain("failing over");
    expect([...primary.lines, ...backup.lines].join("\n")).not.toMatch(
      /E: fatal|state (ACTIVE|PASSIVE) ->/,
    );

    // 2. The primary's cable is cut: the client's request times out, it fails over, and the
    // backup, whose peer has expired, takes the vote and becomes ACTIVE. The primary, alone, is
    // still ACTIVE too: two actives, each unaware of the other.
    const before = client.lines.length;
    await net.cut("primary");
    await client.waitForLine(/W: no reply in 1000 ms from .*, failing over/, { since: before });
    await backup.waitForLine(/state PASSIVE -> ACTIVE: failover successful, ready as active/);
    const tookOver = backup.lines.length;
    await nextReplies(client, 3);
    expect(primary.lines.join("\n")).not.toMatch(/state ACTIVE ->/);
    // The backup says it is ACTIVE only at its next heartbeat. Heal before it has, and the
    // primary's "3" may reach it first: it stops, and the primary hears only its old "4"s, then
    // its FIN, and survives alone as ACTIVE (seen under load in CI). So: heal once it has.
    await backup.waitForLine(/sent state ACTIVE/, { since: tookOver });

    // 3. The link heals: each hears the other's ACTIVE, and both stop with the fatal error.
    await net.heal("primary");
    const fatal = /E: fatal: ACTIVE and the peer is ACTIVE: dual actives \(split brain\), aborting/;
    await Promise.all([primary.waitForLine(fatal), backup.waitForLine(fatal)]);
    expect([(await primary.exited).code, (await backup.exited).code]).toEqual([1, 1]);

    // Nobody answers now. What the client got, it got once and in order.
    client.signal("SIGTERM");
    expect((await client.exited).code).toBe(0);
    const answered = answeredIn(client.lines);
    expect(answered).toEqual(oneTo(answered.length));
  });
});
