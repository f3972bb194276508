import { randomBytes } from "node:crypto";
import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import {
  freeEndpoint,
  type RoleChild,
  type RunningRole,
  runRoleProcess,
  startRole,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MajordomoClient } from "#src/client-api.ts";
import { mmiDefaults, runMmi } from "#src/mmi.ts";
import { MajordomoWorker } from "#src/worker-api.ts";

const { runReverseWorker }: typeof import("./solution/reverse-worker.ts") = await import(
  exerciseModule(import.meta.url, "reverse-worker.ts")
);

describe(`exercise 02, a "reverse" service (${exerciseSubject()})`, () => {
  const closing: { close(): void }[] = [];
  const roles: RunningRole<unknown>[] = [];
  const children: RoleChild[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const thing of closing.splice(0)) thing.close();
    await Promise.all(roles.splice(0).map((role) => role.stop().catch(() => undefined)));
    await Promise.all(children.splice(0).map((child) => child.kill()));
  });

  it("answers any text reversed, frame by frame, next to an echo service, and registers again by itself after the broker restarts", async () => {
    const endpoint = await freeEndpoint();
    // The broker is a real process, so that it can crash and come back on the same port (a
    // socket closed in this process would release its port only later).
    let broker = runRoleProcess(
      "src/broker.ts",
      ["--bind", endpoint, "--heartbeat-ms", "500"],
      new URL("../..", import.meta.url).pathname,
    );
    children.push(broker);
    await broker.waitForLine(/bound to/);
    const reverse = startRole(runReverseWorker, {
      broker: endpoint,
      heartbeatMs: 500,
      reconnectMs: 100,
    });
    roles.push(reverse);
    const echo = new MajordomoWorker({ broker: endpoint, service: "echo", heartbeatMs: 500 });
    closing.push(echo);
    void echo.serve((body) => body);
    // A worker that throws, or never says READY, fails here at once rather than at the time limit.
    await Promise.race([
      broker.waitForLine(/worker .* ready for "reverse"/),
      reverse.done.then(() => {
        throw new Error("runReverseWorker returned before it was stopped");
      }),
    ]);
    await broker.waitForLine(/ready for "echo"/);
    expect(await runMmi({ ...mmiDefaults, connect: [endpoint], service: "reverse" })).toBe("200");

    const client = new MajordomoClient({ broker: endpoint, timeoutMs: 5000, retries: 5 });
    closing.push(client);
    const ask = async (service: string, ...body: string[]) =>
      (await client.request(service, ...body))?.map(String);
    let asked = 0;
    const reverseOf = (text: string) => [...text].reverse().join("");
    for (let i = 0; i < 5; i++) {
      const text = randomBytes(6 + i).toString("hex");
      expect(await ask("reverse", text)).toEqual([reverseOf(text)]);
      asked += 1;
    }
    expect(await ask("reverse", "héllo 👋", "ab", "")).toEqual(["👋 olléh", "ba", ""]);
    asked += 1;
    expect(await ask("echo", "héllo 👋")).toEqual(["héllo 👋"]); // echo stays echo

    // The broker goes and comes back: the worker must notice by itself and say READY again.
    await broker.kill();
    broker = await broker.restart();
    children.push(broker);
    await broker.waitForLine(/worker .* ready for "reverse"/);
    expect(await ask("reverse", "stressed")).toEqual(["desserts"]);
    asked += 1;
    expect(await reverse.stop()).toEqual({ answered: asked });
  });
});
