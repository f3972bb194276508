// Binary Star echo server on the reactor (the Guide's bstarsrv2): the application is one
// handler, echoing each request; bstar.ts does the pairing, the heartbeat and the failover.
// Talks to: its peer (another bstar-server.ts, server.ts, or the Guide's bstarsrv/bstarsrv2) and client.ts.
// Run: pnpm --filter binary-star bstar-primary   and   pnpm --filter binary-star bstar-backup
//      [--frontend tcp://*:5001] [--state-pub tcp://*:5003] [--state-sub tcp://localhost:5004]
import { isMain, parseFlags, type RoleControl, stopOnSignals } from "@zmq-patterns/helpers";
import { Router } from "zeromq";
import { BinaryStar, type BinaryStarResult } from "./bstar.ts";
import { stateName } from "./fsm.ts";
import {
  checkRequest,
  FRONTEND_OPTIONS,
  guideEndpoints,
  HEARTBEAT_MS,
  PEER_EXPIRY_MS,
  type Role,
  roleOf,
} from "./protocol.ts";

export const bstarServerDefaultsFor = (role: Role) => ({
  role: role as string,
  ...guideEndpoints(role), // frontend, statePub, stateSub
  heartbeatMs: HEARTBEAT_MS,
  peerExpiryMs: PEER_EXPIRY_MS,
  /** Log each state message sent (normally only changes are logged). */
  showState: false,
  name: role as string,
});
export const bstarServerDefaults = bstarServerDefaultsFor("primary");
export type BstarServerOptions = typeof bstarServerDefaults & RoleControl;

export async function runBstarServer(options: BstarServerOptions): Promise<BinaryStarResult> {
  const role: Role = options.role === "backup" ? "backup" : "primary";
  const bstar = new BinaryStar({ ...options, role });
  bstar.check = checkRequest; // [client, "", body]: anything else is no vote
  // The whole application: echo the request to the client that sent it.
  const front = await bstar.voter(
    new Router(FRONTEND_OPTIONS),
    options.frontend,
    (frames, socket) =>
      socket
        .send(frames)
        .catch((error: unknown) => bstar.log.warn(`reply not sent: ${String(error)}`)),
  );
  bstar.onActive = () => bstar.log.info("active: echoing client requests");
  bstar.onPassive = () =>
    bstar.log.info("passive: client requests are refused while the peer lives");
  const endpoints = [...front, ...(await bstar.connectPeer())];
  options.onReady?.(endpoints);
  const result = await bstar.start();
  const ending = result.fatal ? "stopped (fatal)" : "stopped";
  bstar.log.info(
    `${ending} in ${stateName(result.state)}: ${result.served} served, ${result.refused} refused`,
  );
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(bstarServerDefaultsFor(roleOf(process.argv)));
  const { fatal } = await runBstarServer({ ...options, signal: stopOnSignals(options.name) });
  if (fatal) process.exitCode = 1;
}
