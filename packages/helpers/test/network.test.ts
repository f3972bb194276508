import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  createTestNetwork,
  networkNamespacesUnavailable,
  type TestNetwork,
} from "../src/network.ts";
import { runRoleProcess } from "../src/role-process.ts";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const noNetns = networkNamespacesUnavailable();
const skipped = noNetns ? ` (skipped: needs root and Linux network namespaces: ${noNetns})` : "";

/** The namespaces made by process `pid` that still exist. */
const namespacesOf = (pid: number) =>
  execFileSync("ip", ["netns", "list"], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.split(" ")[0])
    .filter((name) => name?.startsWith(`zmqp-${pid}-`));

describe.skipIf(noNetns)(`test networks${skipped}`, () => {
  const networks: TestNetwork[] = [];
  afterEach(async () => {
    for (const network of networks.splice(0)) await network.remove();
  });
  const create = async (hosts: string[]) => {
    const network = await createTestNetwork(hosts);
    networks.push(network);
    return network;
  };

  it("a cut host's request goes unanswered and nobody disconnects; healed, the same connection answers it", async () => {
    const net = await create(["server", "client"]);
    expect(Object.values(net.hosts).map((host) => host.address)).toEqual([
      "10.200.0.2",
      "10.200.0.3",
    ]);
    const server = runRoleProcess(
      fixture("echo-server.ts"),
      [`tcp://${net.hosts.server!.address}:*`],
      {
        host: net.hosts.server,
      },
    );
    const [, endpoint] = await server.waitForLine(/bound to (\S+)/);
    const client = runRoleProcess(fixture("patient-client.ts"), [endpoint!], {
      host: net.hosts.client,
    });
    await client.waitForLine(/connected to/);
    await client.waitForLine(/send me SIGUSR2/);
    client.signal("SIGUSR2");
    await client.waitForLine(/reply "request 1 from/);

    await net.cut("server");
    const since = client.lines.length;
    client.signal("SIGUSR2");
    await client.waitForLine(/no reply to request 2 yet/, { since });
    expect(server.lines.filter((line) => line.includes("request 2"))).toEqual([]);

    await net.heal("server");
    await client.waitForLine(/reply "request 2 from/, { since }); // TCP retransmitted it
    // One connection all along: the server never saw its peer leave, the client never reconnected.
    expect(server.lines.filter((line) => line.includes("accepted a connection"))).toHaveLength(1);
    expect(server.lines.filter((line) => line.includes("disconnected"))).toEqual([]);
    expect(client.lines.filter((line) => line.includes("connected to"))).toHaveLength(1);
    expect(client.lines.filter((line) => line.includes("disconnected"))).toEqual([]);
  });

  it("remove() kills what still runs inside, hung or not, and deletes every namespace", async () => {
    const net = await create(["a", "b"]);
    expect(namespacesOf(process.pid)).toHaveLength(3); // the hub and two hosts
    const running = runRoleProcess(fixture("echo-server.ts"), [], { host: net.hosts.a });
    const hung = runRoleProcess(fixture("echo-server.ts"), [], { host: net.hosts.b });
    await running.waitForLine(/bound to/);
    await hung.waitForLine(/bound to/);
    hung.hang();
    await net.remove();
    expect((await running.exited).signal).toBe("SIGKILL");
    expect((await hung.exited).signal).toBe("SIGKILL");
    expect(namespacesOf(process.pid)).toEqual([]);
    await net.remove(); // idempotent
  });

  it("a create that fails half way leaves nothing behind", async () => {
    // The second host's namespace name is too long for the file system: `ip netns add` fails
    // once the hub and the first host exist.
    await expect(createTestNetwork(["ok", "x".repeat(300)])).rejects.toThrow();
    expect(namespacesOf(process.pid)).toEqual([]);
  });

  it("a network goes when its process exits, or dies of SIGTERM", async () => {
    for (const mode of ["--exit", "--wait"]) {
      const owner = runRoleProcess(fixture("network-owner.ts"), [mode]);
      await owner.waitForLine(/made zmqp-/);
      expect(namespacesOf(owner.pid)).toHaveLength(3);
      if (mode === "--wait") owner.signal("SIGTERM");
      const result = await owner.exited;
      expect(mode === "--exit" ? result.code : result.signal).toBe(
        mode === "--exit" ? 0 : "SIGTERM",
      );
      expect(namespacesOf(owner.pid)).toEqual([]);
    }
  });

  it("a network left by a SIGKILLed process is swept by the next createTestNetwork", async () => {
    const owner = runRoleProcess(fixture("network-owner.ts"), ["--wait"]);
    await owner.waitForLine(/made zmqp-/);
    await owner.kill(); // no clean-up can run
    expect(namespacesOf(owner.pid)).toHaveLength(3);
    await create(["c"]);
    expect(namespacesOf(owner.pid)).toEqual([]);
  });
});
