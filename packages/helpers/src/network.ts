// Network partitions for tests: the fault heartbeats exist for. A killed process is easy to
// notice (its kernel closes the TCP connection); a cut cable is not: no FIN, no RST, the
// connection stays "up" and packets just vanish. Each host here is a Linux network namespace
// with one veth cable to a switch (a bridge in a hub namespace); cut() unplugs the cable at the
// switch, heal() plugs it back. Needs root; tests skip with networkNamespacesUnavailable().
//
//   const net = await createTestNetwork(["server", "client"]);
//   const server = runRoleProcess("src/server.ts", ["--bind", `tcp://${net.hosts.server.address}:5555`],
//     { host: net.hosts.server });
//   await net.cut("server");  ...  await net.heal("server");
//   await net.remove();
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { processIsAlive } from "./ports.ts";
import { atProcessEnd } from "./role-process.ts";

export interface NetworkHost {
  /** As given, e.g. "queue", "worker-1". */
  readonly name: string;
  /** The namespace's name, unique to this test network. */
  readonly netns: string;
  /** Its IPv4 address in a private test subnet only these namespaces see. */
  readonly address: string;
}

export interface TestNetwork {
  readonly hosts: Record<string, NetworkHost>;
  /** Cuts the host's link: its packets are silently lost both ways; no FIN/RST, TCP stays open. */
  cut(host: string): Promise<void>;
  /** Heals it. */
  heal(host: string): Promise<void>;
  /** Kills every process still inside the namespaces and deletes every namespace and link. Idempotent. */
  remove(): Promise<void>;
}

/** Every namespace we make is `zmqp-<pid of its creator>-...`, so a dead creator's can be swept. */
const PREFIX = "zmqp-";
/** Hosts get .2, .3... Each network has its own switch, so two networks never see each other. */
const SUBNET = "10.200.0";

// `ip` commands as you would type them (every name in them is free of spaces).
const execFileAsync = promisify(execFile);
const ip = (command: string) => execFileAsync("ip", command.split(" "));
const ipSync = (command: string) =>
  execFileSync("ip", command.split(" "), { stdio: "pipe", encoding: "utf8" });

let unavailable: { reason: string | undefined } | undefined;

/** Why partitions cannot be made here (not Linux, not root, no `ip`), or undefined when they can. */
export function networkNamespacesUnavailable(): string | undefined {
  unavailable ??= { reason: whyUnavailable() };
  return unavailable.reason;
}

function whyUnavailable(): string | undefined {
  if (process.platform !== "linux") return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return "not root";
  try {
    ipSync("-V");
  } catch {
    return "no `ip` command (iproute2)";
  }
  // Root in a container may still lack the rights: try what createTestNetwork does.
  const probe = `${PREFIX}${process.pid}-probe`;
  try {
    ipSync(`netns add ${probe}`);
    ipSync(`-n ${probe} link add name a type veth peer name b`);
    return undefined;
  } catch (error) {
    return `cannot make a namespace and a veth: ${String((error as { stderr?: string }).stderr ?? error).trim()}`;
  } finally {
    removeNamespaces([probe]);
  }
}

let networksMade = 0;

/** Hosts joined by veth links to one switch (a bridge in a hub namespace): each host can reach every other. */
export async function createTestNetwork(hostNames: string[]): Promise<TestNetwork> {
  for (const name of hostNames) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) throw new Error(`bad host name "${name}"`);
  }
  if (new Set(hostNames).size !== hostNames.length) throw new Error("host names must differ");
  if (hostNames.length > 250) throw new Error("at most 250 hosts (one /24, from .2)");
  sweepDeadNamespaces();

  // The switch's namespace; each host's is named after it: `<hub>-<host name>`.
  const hub = `${PREFIX}${process.pid}-${++networksMade}`;
  const namespaces = [hub]; // everything made so far, so a failure half way removes it all
  let removed = false;
  const removeAll = () => {
    if (removed) return;
    removed = true;
    forget();
    removeNamespaces(namespaces);
  };
  // On exit, or on a SIGINT/SIGTERM that ends us: nothing may outlive the test that made it.
  const forget = atProcessEnd(removeAll);

  const hosts: Record<string, NetworkHost> = {};
  const ports = new Map<string, string>(); // host name -> the switch's end of its cable
  try {
    await ip(`netns add ${hub}`);
    await ip(`-n ${hub} link add name br0 type bridge`);
    await ip(`-n ${hub} link set dev br0 up`);
    for (const [index, name] of hostNames.entries()) {
      const netns = `${hub}-${name}`;
      const port = `port${index}`; // names are per namespace, and at most 15 characters
      const address = `${SUBNET}.${index + 2}`;
      namespaces.push(netns);
      await ip(`netns add ${netns}`);
      await ip(`-n ${hub} link add name ${port} type veth peer name eth0 netns ${netns}`);
      await ip(`-n ${hub} link set dev ${port} master br0 up`);
      await ip(`-n ${netns} link set dev lo up`);
      await ip(`-n ${netns} addr add ${address}/24 dev eth0`);
      await ip(`-n ${netns} link set dev eth0 up`);
      hosts[name] = { name, netns, address };
      ports.set(name, port);
    }
  } catch (error) {
    removeAll();
    throw error;
  }

  // Unplugging at the switch: the host keeps its address and route (its own end only loses
  // carrier), so nothing tells its TCP stack; segments are dropped and retransmitted, unseen.
  const setPort = async (host: string, state: "up" | "down") => {
    const port = ports.get(host);
    if (!port) throw new Error(`no host "${host}" in this network`);
    if (removed) throw new Error("this network was removed");
    await ip(`-n ${hub} link set dev ${port} ${state}`);
  };
  return {
    hosts,
    cut: (host) => setPort(host, "down"),
    heal: (host) => setPort(host, "up"),
    remove: async () => removeAll(),
  };
}

/**
 * Kills what still runs in each namespace (SIGKILL ends a hung process too), then deletes it;
 * its veth ends go with it. Synchronous, so it can run in an "exit" handler.
 */
function removeNamespaces(names: string[]): void {
  for (const netns of names) {
    let pids: number[] = [];
    try {
      pids = ipSync(`netns pids ${netns}`).split("\n").filter(Boolean).map(Number);
    } catch {
      continue; // it was never made (or is gone already)
    }
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
    try {
      ipSync(`netns del ${netns}`);
    } catch {
      // deleted by someone else meanwhile
    }
  }
}

/** Removes the namespaces of test runs that died without removing theirs (SIGKILLed). */
function sweepDeadNamespaces(): void {
  const names = ipSync("netns list")
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "");
  for (const name of names) {
    const creator = name.startsWith(PREFIX) ? Number(name.slice(PREFIX.length).split("-")[0]) : 0;
    if (creator > 0 && !processIsAlive(creator)) removeNamespaces([name]);
  }
}
