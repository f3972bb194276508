import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FREE_PORT_RANGE, freePorts, guidePorts } from "../src/ports.ts";

describe("guidePorts", () => {
  it("gives the Guide's ports as they are, unless --free-ports is given", async () => {
    expect(await guidePorts([5555, 5556], ["basic"])).toEqual([5555, 5556]);
  });

  it("with --free-ports, gives different ports outside the ephemeral range that a server can bind", async () => {
    const ports = await guidePorts([5555, 5556, 5557], ["--free-ports"]);
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(FREE_PORT_RANGE.first);
      expect(port).toBeLessThanOrEqual(FREE_PORT_RANGE.last);
      const server = createServer();
      await new Promise<void>((resolve, reject) =>
        server.once("error", reject).listen(port, resolve),
      );
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("freePorts", () => {
  it("never gives the same port twice, and claims each for this process until it exits", async () => {
    const first = await freePorts(20);
    const second = await freePorts(20);
    expect(new Set([...first, ...second]).size).toBe(40);
    for (const port of [...first, ...second]) {
      const claim = join(tmpdir(), "zmq-patterns-ports", String(port));
      expect(readFileSync(claim, "utf8")).toBe(String(process.pid)); // other processes skip it
    }
  });
});
