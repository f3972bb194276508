// Lazy Pirate server: a REP socket that echoes each request, and can be told to crash or stall.
// Talks to: lazy-client.ts (REQ), or the Guide's lpclient in any language.
// Run: pnpm --filter pirates lazy-server [--bind tcp://*:5555] [--crash-after 5] [--overload-after 3]
import { setTimeout as sleep } from "node:timers/promises";
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  messagesOf,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Reply } from "zeromq";
import { misbehave, misbehaviourDefaults } from "./misbehave.ts";
import { CLIENT_PORT, MAX_FRAME_BYTES, WORK_MS } from "./protocol.ts";

export const lazyServerDefaults = {
  bind: [`tcp://*:${CLIENT_PORT}`],
  connect: [] as string[],
  /** "Do some heavy work" for this long on each request, as the Guide's server sleeps 1 s. */
  workMs: WORK_MS,
  ...misbehaviourDefaults, // --crash-after, --overload-after, --overload-ms (misbehave.ts)
  name: "server",
};
export type LazyServerOptions = typeof lazyServerDefaults & RoleControl;

export interface LazyServerResult {
  /** Requests answered (error replies to bad requests not counted). */
  answered: number;
  /** True when it stopped because --crash-after told it to. */
  crashed: boolean;
}

/** Why a request cannot be echoed, or undefined for a good one. */
export function checkRequest(frames: Buffer[]): string | undefined {
  if (frames.length !== 1) return `expected 1 frame, got ${frames.length}`;
  if (frames[0]!.length === 0) return "empty request";
  return undefined;
}

/** Echoes requests until stopped, or until it "crashes". */
export async function runLazyServer(options: LazyServerOptions): Promise<LazyServerResult> {
  const log = roleLog(options.name);
  // maxMessageSize: libzmq drops the connection of a peer that sends a larger frame.
  const socket = new Reply({ linger: 0, maxMessageSize: MAX_FRAME_BYTES });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints); // tests learn the real port here

  const result: LazyServerResult = { answered: 0, crashed: false };
  const requests = messagesOf(socket, () =>
    log.warn("dropped a request without the empty delimiter frame (a DEALER that left it out?)"),
  );
  for await (const frames of requests) {
    const problem = checkRequest(frames);
    if (problem) {
      log.warn(`bad request: ${problem}`);
      await socket.send(`error: ${problem}`); // REP must answer before it can read the next one
      continue;
    }
    const [request] = frames as [Buffer];
    const number = result.answered + 1;

    if ((await misbehave(number, [request], options, log)) === "crash") {
      result.crashed = true;
      break;
    }
    log.info(`normal request ${describeFrame(request)}`);
    await sleep(options.workMs); // "do some heavy work"
    if (socket.closed) break; // stopped while working

    // Echo the request unchanged: the client checks that the reply is the number it sent.
    await socket.send(request);
    result.answered = number;
  }

  socket.close();
  log.info(`stopped after answering ${result.answered} requests`);
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(lazyServerDefaults);
  const { crashed } = await runLazyServer({ ...options, signal: stopOnSignals(options.name) });
  if (crashed) process.exitCode = 1; // a crash is a failure, even a simulated one
}
