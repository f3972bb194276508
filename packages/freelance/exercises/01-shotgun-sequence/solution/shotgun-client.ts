// Exercise 01, reference solution: the shotgun client (model 2) that takes, for each request,
// only a well-formed reply carrying the current sequence number, discards every other reply,
// and gives up after its deadline.
// Talks to: server2.ts (REP) or the Guide's flserver2, one or more.
// Run: pnpm exec tsx exercises/01-shotgun-sequence/solution/shotgun-client.ts --connect tcp://localhost:5555,tcp://localhost:5556
import {
  closeOnAbort,
  describeFrame,
  isMain,
  Poller,
  parseFlags,
  type RoleControl,
  reconnectWhenDropped,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer } from "zeromq";
import {
  MAX_FRAME_BYTES,
  OK,
  parseSequence,
  SERVER_PORTS,
  SHOTGUN_TIMEOUT_MS,
} from "#src/protocol.ts";

export const shotgunClientDefaults = {
  connect: [`tcp://localhost:${SERVER_PORTS[0]}`],
  requests: 10,
  /** If no server replies within this time, give up. */
  timeoutMs: SHOTGUN_TIMEOUT_MS,
  body: "random name",
  name: "client",
};
export type ShotgunClientOptions = typeof shotgunClientDefaults & RoleControl;

export interface ShotgunClientResult {
  /** Requests answered, in order. */
  answered: number;
  /** Well-formed replies thrown away because they carried another request's sequence. */
  discarded: number;
  /** True when no server answered a request in time. */
  failed: boolean;
}

export async function runShotgunClient(
  options: ShotgunClientOptions,
): Promise<ShotgunClientResult> {
  const log = roleLog(options.name);
  const socket = new Dealer({ linger: 0, sendTimeout: 0, maxMessageSize: MAX_FRAME_BYTES });
  closeOnAbort(options.signal, socket);
  // libzmq drops a connection that brings a frame over MAX_FRAME_BYTES, and never connects it
  // again: that server would get no more requests from us, for the whole run. So we do.
  reconnectWhenDropped(socket, log);
  for (const endpoint of options.connect) socket.connect(endpoint);
  options.onReady?.(options.connect);
  const poller = new Poller({ socket });
  const result: ShotgunClientResult = { answered: 0, discarded: 0, failed: false };

  requests: for (let sequence = 1; sequence <= options.requests; sequence++) {
    for (let copy = 0; copy < options.connect.length; copy++) {
      await socket.send(["", String(sequence), options.body]).catch((error: unknown) => {
        if ((error as { code?: string }).code !== "EAGAIN") throw error;
      });
    }
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const event = await poller.next({ timeoutMs: deadline - Date.now() });
      if (event.kind === "closed") break requests;
      if (event.kind === "timeout") {
        log.error(
          `no reply to request ${sequence} in ${options.timeoutMs} ms: name service not available`,
        );
        result.failed = true;
        break requests;
      }
      const [empty, number, ok, ...more] = event.frames;
      const replied = parseSequence(number);
      if (
        empty?.length !== 0 ||
        replied === undefined ||
        ok?.toString() !== OK ||
        more.length > 0
      ) {
        log.warn(`invalid reply, ignored: ${event.frames.map(describeFrame).join(" ")}`);
        continue;
      }
      if (replied !== sequence) {
        result.discarded += 1;
        continue;
      }
      log.info(`reply ${sequence} OK`);
      result.answered += 1;
      continue requests;
    }
  }

  socket.close();
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(shotgunClientDefaults);
  const result = await runShotgunClient({ ...options, signal: stopOnSignals(options.name) });
  roleLog(options.name).info(
    `${result.answered} of ${options.requests} requests answered, ${result.discarded} discarded`,
  );
  if (result.failed) process.exitCode = 1;
}
