// Ports for `start --free-ports` and for tests: the Guide's port numbers as they are, or free
// ports that no other test running at the same time can be given.
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Where free ports come from: below the kernel's ephemeral range (Linux 32768-60999, macOS and
 * Windows 49152-65535). Every `tcp://127.0.0.1:*` bind and every outgoing connection takes its
 * port from that range, so none of them can be given a port picked here.
 */
export const FREE_PORT_RANGE = { first: 20000, last: 32767 } as const;

/** True when nothing listens on `port` (checked by listening on it, on every interface). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once("error", () => resolve(false))
      .listen(port, () => probe.close(() => resolve(true)));
  });
}

// A port is ours from the check until this process exits, even while nothing is bound to it
// (a role still starting, a server a test killed and will restart): one claim file per port,
// shared by every process on the machine, holding the claimant's pid.
const claims = join(tmpdir(), "zmq-patterns-ports");
const claimed: string[] = [];
process.once("exit", () => {
  for (const file of claimed) rmSync(file, { force: true });
});

/** Whether the process that claimed `file` still runs (false once the file is gone). */
function holderIsAlive(file: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(file, "utf8"));
  } catch {
    return false; // released since we looked
  }
  return processIsAlive(pid);
}

/** Whether process `pid` still runs (test networks sweep the namespaces of dead ones too). */
export function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

let swept = false;
/** Once per process: removes the claims of processes that died without cleaning up (killed). */
function sweepDeadClaims(): void {
  if (swept) return;
  swept = true;
  mkdirSync(claims, { recursive: true });
  for (const name of readdirSync(claims)) {
    const file = join(claims, name);
    if (/^\d+$/.test(name) && !holderIsAlive(file)) rmSync(file, { force: true });
  }
}

/** Claims `port` for this process; false when a live process holds it already. */
function claim(port: number): boolean {
  sweepDeadClaims();
  const file = join(claims, String(port));
  // Write our pid to a file of our own, then link it into place: the link fails if the port's
  // file exists, so exactly one process wins, and nobody ever reads a half-written file.
  const mine = join(claims, `pid-${process.pid}`);
  writeFileSync(mine, String(process.pid));
  try {
    for (const _attempt of [1, 2]) {
      try {
        linkSync(mine, file);
        claimed.push(file);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        if (holderIsAlive(file)) return false;
        rmSync(file, { force: true }); // left by a process that died without cleaning up
      }
    }
    return false;
  } finally {
    rmSync(mine, { force: true });
  }
}

/** `count` ports in FREE_PORT_RANGE that nothing listens on and no other live process claimed. */
export async function freePorts(count: number): Promise<number[]> {
  const { first, last } = FREE_PORT_RANGE;
  const ports: number[] = [];
  for (let tries = 0; ports.length < count; tries++) {
    if (tries === 1000) throw new Error(`no free port in ${first}-${last} after 1000 tries`);
    const port = first + Math.floor(Math.random() * (last - first + 1));
    if (claim(port) && (await isFree(port))) ports.push(port);
  }
  return ports;
}

/**
 * The Guide's port numbers, or with `start --free-ports` ports that are free (see freePorts),
 * so that end-to-end tests of several packages can run `start` at the same time.
 */
export async function guidePorts(ports: number[], argv = process.argv.slice(2)): Promise<number[]> {
  return argv.includes("--free-ports") ? freePorts(ports.length) : ports;
}
