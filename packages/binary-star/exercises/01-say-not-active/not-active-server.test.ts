import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import {
  EPHEMERAL,
  freeEndpoint,
  plainRequest,
  type RunningRole,
  startRole,
  unusedEndpoint,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer } from "zeromq";
import { State } from "#src/fsm.ts";
import { runServer, serverDefaults } from "#src/server.ts";

const {
  notActiveServerDefaults,
  runNotActiveServer,
}: typeof import("./solution/not-active-server.ts") = await import(
  exerciseModule(import.meta.url, "not-active-server.ts")
);

/** The reply the task asks for, spelled out here: the test does not take the student's constant. */
const NOT_ACTIVE = "E: not active";
const quick = { heartbeatMs: 500, peerExpiryMs: 1000 };

/** `promise`, or a failure naming what is missing if it has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, missing: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${missing}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe(`exercise 01, a server that says "${NOT_ACTIVE}" (${exerciseSubject()})`, () => {
  const sockets: { close(): void; closed: boolean }[] = [];
  const roles: RunningRole<unknown>[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) if (!socket.closed) socket.close();
    await Promise.all(roles.splice(0).map((role) => role.stop()));
  });
  const ask = async (endpoint: string, body: string) => {
    const socket = plainRequest(endpoint);
    sockets.push(socket);
    await socket.send(body);
    const reply = await within(socket.receive(), 10_000, `a reply to "${body}"`);
    return reply.map(String);
  };

  it("a passive backup answers each request with one frame, E: not active, and stays passive; the active primary echoes", async () => {
    const log = watchLog();
    const [primaryState, backupState] = [await freeEndpoint(), await freeEndpoint()];
    const primary = startRole(runServer, {
      ...serverDefaults,
      ...quick,
      frontend: [EPHEMERAL],
      statePub: [primaryState],
      stateSub: [backupState],
    });
    const backup = startRole(runNotActiveServer, {
      ...notActiveServerDefaults,
      ...quick,
      role: "backup",
      name: "backup",
      frontend: [EPHEMERAL],
      statePub: [backupState],
      stateSub: [primaryState],
    });
    roles.push(primary);
    const [[primaryFront], [backupFront]] = await Promise.all([primary.ready, backup.ready]);
    await within(log.waitFor(/\[backup\] state BACKUP -> PASSIVE/), 10_000, "the pair pairing");
    for (const body of ["1", "2", "3"]) expect(await ask(backupFront!, body)).toEqual([NOT_ACTIVE]);
    expect(await ask(primaryFront!, "4")).toEqual(["4"]);
    expect(await backup.stop()).toMatchObject({ state: State.Passive, served: 0, refused: 3 });
  });

  it("a backup on its own (never paired) says it too", async () => {
    const server = startRole(runNotActiveServer, {
      ...notActiveServerDefaults,
      ...quick,
      role: "backup",
      name: "backup",
      frontend: [EPHEMERAL],
      statePub: [await freeEndpoint()],
      stateSub: [unusedEndpoint()],
    });
    roles.push(server);
    const [front] = await server.ready;
    expect(await ask(front!, "1")).toEqual([NOT_ACTIVE]);
  });

  it("the vote still works: a lone primary whose peer has expired serves the request and becomes active", async () => {
    const log = watchLog();
    const server = startRole(runNotActiveServer, {
      ...notActiveServerDefaults,
      ...quick,
      frontend: [EPHEMERAL],
      statePub: [await freeEndpoint()],
      stateSub: [unusedEndpoint()],
    });
    const [front] = await server.ready;
    await within(log.waitFor(/\[primary\] W: the peer has been silent/), 10_000, "the expiry");
    expect(await ask(front!, "7")).toEqual(["7"]);
    expect(await ask(front!, "8")).toEqual(["8"]);
    expect(await server.stop()).toMatchObject({ state: State.Active, served: 2, refused: 0 });
  });

  it("bad requests still get no answer at all: the first reply on the connection is the echo of the good one after them", async () => {
    const log = watchLog();
    const server = startRole(runNotActiveServer, {
      ...notActiveServerDefaults,
      ...quick,
      frontend: [EPHEMERAL],
      statePub: [await freeEndpoint()],
      stateSub: [unusedEndpoint()],
    });
    roles.push(server);
    const [front] = await server.ready;
    await within(log.waitFor(/\[primary\] W: the peer has been silent/), 10_000, "the expiry");
    const dealer = new Dealer({ linger: 0 });
    sockets.push(dealer);
    dealer.connect(front!);
    for (const frames of [["1"], ["", "1", "2"], [""]]) await dealer.send(frames);
    await dealer.send(["", "9"]); // a good request, as a REQ would send it
    // One connection, in order: had a bad request been answered, its answer would come first.
    const first = await within(dealer.receive(), 10_000, "the echo of the good request");
    expect(first.map(String)).toEqual(["", "9"]);
    expect(await server.stop()).toMatchObject({ state: State.Active, served: 1, refused: 0 });
  });
});
