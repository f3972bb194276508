import {
  EPHEMERAL,
  freeEndpoint,
  plainRequest,
  startRole,
  unusedEndpoint,
  watchLog,
} from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request, XPublisher } from "zeromq";
import { bstarServerDefaults, runBstarServer } from "./bstar-server.ts";
import { State } from "./fsm.ts";
import { MAX_FRAME_BYTES } from "./protocol.ts";
import { runServer, serverDefaults } from "./server.ts";

// In process: the hand-wired server (server.ts, the Guide's bstarsrv) and the echo server on the
// reactor (bstar-server.ts, bstarsrv2) take the same options and must behave the same.
type Run = typeof runServer | typeof runBstarServer;
const implementations: [[string, Run], [string, Run]] = [
  ["server.ts", runServer],
  ["bstar-server.ts", runBstarServer],
];
// Heartbeats at 500 ms, expiry 1000 ms: the Guide's ratio, twice as fast.
const quick = { ...serverDefaults, ...bstarServerDefaults, heartbeatMs: 500, peerExpiryMs: 1000 };
const options = (role: "primary" | "backup", more: Partial<typeof quick>) => ({
  ...quick,
  role,
  name: role,
  frontend: [EPHEMERAL],
  ...more,
});

/** The state changes a role logged, in order: ["PRIMARY -> ACTIVE", ...]. */
const changes = (log: ReturnType<typeof watchLog>, role: string) =>
  log.lines.flatMap(
    (line) => line.match(new RegExp(`^\\[${role}\\] state (\\w+ -> \\w+)`))?.[1] ?? [],
  );

describe("a Binary Star pair, in process", () => {
  const sockets: { close(): void; closed: boolean }[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const socket of sockets.splice(0)) if (!socket.closed) socket.close();
  });

  const [hand, reactor] = implementations;
  const mixedPairs: [[string, Run], [string, Run]][] = [
    [hand, reactor],
    [reactor, hand],
  ];
  for (const [[primaryName, runPrimary], [backupName, runBackup]] of mixedPairs) {
    it(`pairs (primary ${primaryName}, backup ${backupName}): the primary serves, the backup refuses clients while the primary is alive`, async () => {
      const log = watchLog();
      const [primaryState, backupState] = [await freeEndpoint(), await freeEndpoint()];
      const primary = startRole(
        runPrimary,
        options("primary", { statePub: [primaryState], stateSub: [backupState] }),
      );
      const backup = startRole(
        runBackup,
        options("backup", { statePub: [backupState], stateSub: [primaryState] }),
      );
      const [primaryFront] = await primary.ready;
      const [backupFront] = await backup.ready;
      await log.waitFor(/\[primary\] state PRIMARY -> ACTIVE: connected to backup \(passive\)/);
      await log.waitFor(/\[backup\] state BACKUP -> PASSIVE: connected to primary \(active\)/);

      const toBackup = plainRequest(backupFront!);
      sockets.push(toBackup);
      const since = log.lines.length;
      await toBackup.send("1");
      await log.waitFor(
        /\[backup\] W: refused a client request in PASSIVE \(peer not expired yet\)/,
        { since },
      );
      const toPrimary = plainRequest(primaryFront!);
      sockets.push(toPrimary);
      await toPrimary.send("1");
      expect((await toPrimary.receive()).toString()).toBe("1");

      const [p, b] = [await primary.stop(), await backup.stop()];
      expect(p).toMatchObject({ state: State.Active });
      expect(p.fatal).toBeUndefined();
      expect(b).toMatchObject({ state: State.Passive, refused: 1 });
      expect(b.fatal).toBeUndefined();
      expect(changes(log, "primary")).toEqual(["PRIMARY -> ACTIVE"]);
      expect(changes(log, "backup")).toEqual(["BACKUP -> PASSIVE"]);
    });
  }

  for (const [name, run] of implementations) {
    describe(`bad input to ${name}: a clear W: line, no crash, no state change`, () => {
      it("garbage state messages are ignored; the peer's real state still counts after them", async () => {
        const log = watchLog();
        // A fake peer: an XPUB, so we know when the server's SUB has subscribed.
        const fake = new XPublisher({ linger: 0, verbosity: "allSubs" }); // each subscription, also a repeated one
        sockets.push(fake);
        const peerEndpoint = await freeEndpoint();
        await fake.bind(peerEndpoint);
        const server = startRole(
          run,
          options("primary", { statePub: [await freeEndpoint()], stateSub: [peerEndpoint] }),
        );
        await server.ready;
        /** Waits for a subscription (first byte 1); an XPUB also passes on the unsubscription (0)
         * of a connection that went away. */
        const subscribed = async () => {
          while ((await fake.receive())[0]![0] !== 1);
        };
        await subscribed();
        const garbage: (string | Buffer)[][] = [
          ["9"],
          ["0"],
          ["5"],
          ["abc"],
          [""],
          ["3\n"],
          [" 3"],
          ["03"],
          ["3\0"],
          ["3", "3"],
          ["4", "2"],
          [Buffer.from([0xff, 0x03])],
        ];
        for (const frames of garbage) await fake.send(frames);
        let since = 0;
        for (const _ of garbage)
          since =
            (await log.waitFor(/\[primary\] W: bad state message: .*; ignored/, { since })).index +
            1;
        // Over the limit: libzmq drops the connection; the server connects again by itself.
        await fake.send(Buffer.alloc(MAX_FRAME_BYTES + 1, "3"));
        await log.waitFor(
          /\[primary\] W: lost the connection to the peer's state; connecting again/,
        );
        await subscribed(); // again, on the new connection
        await fake.send("2"); // PEER_BACKUP: the first state change must be this one
        await log.waitFor(/\[primary\] state PRIMARY -> ACTIVE: connected to backup \(passive\)/);
        expect(changes(log, "primary")).toEqual(["PRIMARY -> ACTIVE"]);
        expect(log.text()).toContain(
          'bad state message: not a state ("1" to "4"): 1 bytes; ignored',
        );
        expect(log.text()).toContain("bad state message: expected 1 frame, got 2; ignored");
        expect((await server.stop()).state).toBe(State.Active);
      });

      it("bad client requests are dropped and are no vote: only a good one makes a lone primary active", async () => {
        const log = watchLog();
        const server = startRole(
          run,
          options("primary", { statePub: [await freeEndpoint()], stateSub: [unusedEndpoint()] }),
        );
        const [front] = await server.ready;
        await log.waitFor(/\[primary\] W: the peer has been silent for 1000 ms: it counts as dead/);
        const careless = new Dealer({ linger: 0 });
        sockets.push(careless);
        careless.connect(front!);
        for (const frames of [["1"], ["", "1", "2"], [""], ["x", "", "1"]])
          await careless.send(frames);
        let since = 0;
        for (const problem of [
          'expected [client, "", body], got 2 frame(s) without the empty delimiter',
          "expected one body frame, got 2",
          'expected [client, "", body], got 2 frame(s) without the empty delimiter',
          'expected [client, "", body], got 4 frame(s) without the empty delimiter',
        ])
          since =
            (
              await log.waitFor(
                new RegExp(
                  `\\[primary\\] W: bad request from \\S+: ${problem.replace(/[[\]()]/g, "\\$&")}; dropped`,
                ),
                { since },
              )
            ).index + 1;
        const flooder = new Request({ linger: 0 });
        sockets.push(flooder);
        const dropped = new Promise<void>((resolve) =>
          flooder.events.on("disconnect", () => resolve()),
        );
        flooder.connect(front!);
        await flooder.send(Buffer.alloc(MAX_FRAME_BYTES + 1));
        await dropped; // libzmq closed that connection; the server's code never saw the frame
        expect(changes(log, "primary")).toEqual([]);

        const client = plainRequest(front!);
        sockets.push(client);
        await client.send("7");
        expect((await client.receive()).toString()).toBe("7");
        expect(changes(log, "primary")).toEqual(["PRIMARY -> ACTIVE"]);
        expect(log.text()).toContain(
          "[primary] state PRIMARY -> ACTIVE: request from client, ready as active",
        );
        expect(await server.stop()).toMatchObject({ state: State.Active, refused: 0 });
      });
    });
  }
});
