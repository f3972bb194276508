// What every house's server does once its socket is set up: answer each request with "World",
// and say when a handshake fails. The houses differ only in how they set up the socket; this
// part is the same for all five, so it is written once.
import { describeFrame, type Logger, messagesOf } from "@zmq-patterns/helpers";
import type { Reply, Socket } from "zeromq";
import { HANDSHAKE_TIMEOUT_MS, MAX_FRAME_BYTES, REPLY } from "./protocol.ts";

/** Options every server socket gets, whatever its house. */
export const SERVER_SOCKET_OPTIONS = {
  linger: 0,
  maxMessageSize: MAX_FRAME_BYTES, // libzmq drops a peer that sends a larger frame
  handshakeInterval: HANDSHAKE_TIMEOUT_MS, // and one that never finishes its handshake
};

/**
 * Logs each failed handshake. libzmq handles them: the connection is closed and the socket goes
 * on. A ZAP refusal is logged by the ZAP handler too, with its reason.
 */
export function logHandshakeFailures(socket: Socket, log: Logger): void {
  socket.events.on("handshake:error:auth", ({ error }) =>
    log.warn(`refused a client: ${error.message}`),
  );
  socket.events.on("handshake:error:protocol", ({ error }) =>
    log.warn(`a handshake failed: ${error.message} (${error.code})`),
  );
  socket.events.on("handshake:error:other", ({ error }) =>
    log.warn(`a handshake failed: ${error.message} (${error.code})`),
  );
}

/** Why a request cannot be answered, or undefined for a good one. */
export function checkRequest(frames: Buffer[]): string | undefined {
  if (frames.length !== 1) return `expected 1 frame, got ${frames.length}`;
  if (frames[0]!.length === 0) return "empty request";
  return undefined;
}

/** Answers requests until the socket is closed; returns how many it answered. */
export async function serveRequests(socket: Reply, log: Logger): Promise<number> {
  let served = 0;
  const requests = messagesOf(socket, () =>
    log.warn("dropped a request without the empty delimiter frame"),
  );
  for await (const frames of requests) {
    const problem = checkRequest(frames);
    if (problem) {
      log.warn(`bad request: ${problem}`);
      await socket.send(`error: ${problem}`); // REP must answer before it reads the next one
      continue;
    }
    log.info(`received ${describeFrame(frames[0]!)}, replying "${REPLY}"`);
    await socket.send(REPLY);
    served += 1;
  }
  log.info(`stopped after answering ${served} requests`);
  return served;
}
