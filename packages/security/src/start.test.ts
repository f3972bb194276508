import { runRoleProcess } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";

// End to end: `pnpm --filter security start`, every role its own process. --free-ports: no
// clash with parallel tests.
describe("pnpm --filter security start", () => {
  it("walks the five houses in order: each serves its allowed client, refuses the other, and the eavesdropper reads Hello only where nothing encrypts", async () => {
    const { stdout, code } = await runRoleProcess("src/start.ts", ["--free-ports"]).exited;
    const houses = ["grasslands", "strawhouse", "woodhouse", "stonehouse", "ironhouse"];
    const bound = houses.map((house) => stdout.indexOf(`[${house}-server] bound to`));
    expect(bound.every((at) => at >= 0)).toBe(true);
    expect([...bound].sort((a, b) => a - b)).toEqual(bound); // in order
    for (const house of houses)
      expect(stdout).toContain(`[${house}-client] done: served, as expected`);
    expect(stdout).toContain("[grasslands-refused] done: served, as expected"); // nobody refused
    for (const house of houses.slice(1))
      expect(stdout).toContain(`[${house}-refused] done: refused, as expected`);
    expect(stdout).toContain("[zap] denied 127.0.0.2: not on the allow list");
    expect(stdout).toContain('[zap] denied 127.0.0.1: user "admin": wrong password');
    expect(stdout).toMatch(/\[stonehouse-server\] W: a handshake failed: .*ERR_ZMTP_CRYPTOGRAPHIC/);
    expect(stdout).toMatch(/\[zap\] denied 127\.0\.0\.1: client key \S{40} is not allowed/);
    const seen = [
      ...stdout.matchAll(/\[eavesdropper\] connection \d+ to \S+: .* an eavesdropper reads: (.*)/g),
    ].map((match) => match[1]!);
    expect(seen).toHaveLength(5);
    expect(seen.map((text) => text.includes("Hello"))).toEqual([true, true, true, false, false]);
    expect(seen[2]).toContain("secret"); // Woodhouse's password
    expect(stdout).toContain("[start] every role ended cleanly");
    expect(code).toBe(0);
  });
});
