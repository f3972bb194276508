import { afterEach, describe, expect, it, vi } from "vitest";
import { Reply } from "zeromq";
import { roleLog } from "../src/log.ts";
import { freeEndpoint, watchLog } from "../src/testing.ts";

describe("watchLog", () => {
  afterEach(() => vi.restoreAllMocks());

  it("resolves with a line logged before or after the wait began", async () => {
    const log = watchLog();
    const server = roleLog("server");
    server.info("bound to tcp://127.0.0.1:4000");
    const earlier = await log.waitFor(/bound to (\S+)/);
    expect(earlier.match[1]).toBe("tcp://127.0.0.1:4000");
    const later = log.waitFor(/received "Hello"/);
    server.info('received "Hello" (1)');
    expect((await later).index).toBe(1);
    log.stop();
  });

  it("waits only for lines at or after `since`", async () => {
    const log = watchLog();
    console.log("stored 1");
    const next = log.waitFor(/stored \d/, { since: 1 });
    console.log("stored 2");
    expect((await next).line).toBe("stored 2");
    log.stop();
  });

  it("fails with the pattern named when a line never comes within timeoutMs", async () => {
    const log = watchLog();
    await expect(log.waitFor(/never/, { timeoutMs: 10 })).rejects.toThrow(
      "no log line matched /never/ within 10 ms",
    );
    log.stop();
  });
});

describe("freeEndpoint", () => {
  it("gives a loopback tcp endpoint that a socket can bind", async () => {
    const endpoint = await freeEndpoint();
    expect(endpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const server = new Reply({ linger: 0 });
    await server.bind(endpoint);
    expect(server.lastEndpoint).toBe(endpoint);
    server.close();
  });
});
