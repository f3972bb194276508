import { EPHEMERAL, runRoleProcess, startRole } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request } from "zeromq";
import { runSeedClient, seedClientDefaults } from "./seed-client.ts";
import { runSeedRouter, seedRouterDefaults } from "./seed-router.ts";

const quickRouter = { ...seedRouterDefaults, bind: [EPHEMERAL] };
const client = (endpoint: string, name: string) =>
  runSeedClient({ ...seedClientDefaults, connect: [endpoint], name });

describe("seed router (step 1)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers three REQ clients by name, once all three are waiting", async () => {
    const router = startRole(runSeedRouter, quickRouter);
    const [endpoint] = await router.ready;
    const answers = await Promise.all(
      ["alice", "bob", "carol"].map((name) => client(endpoint!, name)),
    );
    expect(answers.map((answer) => answer?.replace(/you are \d/, "you are n"))).toEqual([
      "hello alice, you are n of 3",
      "hello bob, you are n of 3",
      "hello carol, you are n of 3",
    ]);
    expect(answers.map((answer) => answer?.match(/you are (\d)/)?.[1]).sort()).toEqual([
      "1",
      "2",
      "3",
    ]);
    expect(await router.stop()).toBe(1);
  });

  it("answers bad requests with an error, drops non-REQ peers, and keeps serving", async () => {
    const log = vi.spyOn(console, "log");
    const router = startRole(runSeedRouter, { ...quickRouter, clients: 1 });
    const [endpoint] = await router.ready;
    const dealer = new Dealer({ linger: 0 });
    dealer.connect(endpoint!);
    await dealer.send("no delimiter");
    const req = new Request({ linger: 0 });
    req.connect(endpoint!);
    const ask = async (...frames: (string | Buffer)[]) => {
      await req.send(frames);
      return String((await req.receive())[0]);
    };
    expect(await ask("alice", "bob")).toBe("error: expected 1 frame, got 2");
    expect(await ask(Buffer.from([0xff, 0x00]))).toBe("error: not a name: 0xff00");
    expect(await ask("x".repeat(65))).toBe("error: a name is 1 to 64 bytes, got 65");
    expect(await ask("dave")).toBe("hello dave, you are 1 of 1");
    req.close();
    dealer.close();
    expect(await router.stop()).toBe(1);
    const warnings = log.mock.calls.flat().join("\n");
    expect(warnings).toContain("[seed-router] W: dropped a message with no empty delimiter");
    expect(warnings).toContain("[seed-router] W: bad request from");
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`router and a waiting client exit 0 on ${signal}`, async () => {
      const router = runRoleProcess("src/seed-router.ts", ["--bind", EPHEMERAL]);
      const [, endpoint] = await router.waitForLine(/bound to (tcp:\/\/\S+)/);
      const waiting = runRoleProcess("src/seed-client.ts", [
        "--connect",
        endpoint!,
        "--name",
        "alice",
      ]);
      await router.waitForLine(/alice is waiting/);
      router.signal(signal);
      waiting.signal(signal);
      const [routerResult, clientResult] = await Promise.all([router.exited, waiting.exited]);
      expect(routerResult.stdout).toContain("[seed-router] stopped after 0 round(s)");
      expect(clientResult.stdout).toContain("[alice] stopped before the answer came");
      expect([routerResult.code, clientResult.code]).toEqual([0, 0]);
    });
  }
});
