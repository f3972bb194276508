import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { askDefaults } from "#src/ask.ts";
import { ironhouseClientDefaults, runIronhouseClient } from "#src/ironhouse-client.ts";
import { runKeygen } from "#src/keygen.ts";

const {
  runRevokingServer,
  revokingServerDefaults,
}: typeof import("./solution/revoking-server.ts") = await import(
  exerciseModule(import.meta.url, "revoking-server.ts")
);

afterEach(() => {
  vi.restoreAllMocks();
});

describe(`exercise 02, revoking a client key while the server runs (${exerciseSubject()})`, () => {
  it("refuses a key removed from the directory and serves a key added to it, from the next connection on, without a restart", async () => {
    const log = watchLog();
    const keys = mkdtempSync(join(tmpdir(), "security-ex02-"));
    runKeygen({
      dir: keys,
      name: ["server", "alice", "bob", "carol"],
      publicDir: "",
      force: false,
      label: "keygen",
    });
    const allowed = join(keys, "allowed");
    mkdirSync(allowed);
    const grant = (name: string) =>
      copyFileSync(join(keys, `${name}.key`), join(allowed, `${name}.key`));
    const revoke = (name: string) => rmSync(join(allowed, `${name}.key`));
    grant("alice");
    grant("carol");
    const server = startRole(runRevokingServer, {
      ...revokingServerDefaults,
      bind: [EPHEMERAL],
      cert: join(keys, "server.key_secret"),
      allowDir: allowed,
    });
    const [endpoint] = await server.ready;
    /** A new connection for `name`: its reply, or undefined when refused. */
    const ask = async (name: string, timeoutMs: number) =>
      (
        await runIronhouseClient({
          ...ironhouseClientDefaults,
          ...askDefaults,
          connect: [endpoint!],
          cert: join(keys, `${name}.key_secret`),
          serverKey: join(keys, "server.key"),
          timeoutMs,
        })
      ).reply;
    const SERVED = 10_000; // a reply comes, unless the server is broken
    const REFUSED = 1000; // nothing will come

    expect(await ask("alice", SERVED)).toBe("World");
    expect(await ask("bob", REFUSED)).toBeUndefined();

    revoke("alice");
    expect(await ask("alice", REFUSED)).toBeUndefined();
    expect(await ask("carol", SERVED)).toBe("World"); // the others are not affected

    grant("bob");
    expect(await ask("bob", SERVED)).toBe("World");

    // A file being written, or not a certificate at all, costs nobody else their access.
    writeFileSync(join(allowed, "half-written.key"), 'curve\n    public-key = "abc');
    expect(await ask("carol", SERVED)).toBe("World");
    expect(await ask("alice", REFUSED)).toBeUndefined();
    expect(log.text()).toMatch(/\[revoking-server\] W: .*half-written\.key/);

    grant("alice");
    expect(await ask("alice", SERVED)).toBe("World");
    expect(await server.stop()).toBe(5);
  });
});
