// What every house's client does once its socket is set up: send one request and wait for the
// reply, a bounded time. A client the server refuses gets nothing at all, no reply and no
// error from the socket: only its monitor events say why (a ZAP ERROR, a failed CURVE
// handshake), and the client reports them.
import { describeFrame, type Logger, Poller } from "@zmq-patterns/helpers";
import type { Request } from "zeromq";
import { REPLY_TIMEOUT_MS, REQUEST } from "./protocol.ts";

/** Flags every house's client has. */
export const askDefaults = {
  request: REQUEST,
  /** How long to wait for the reply; none by then means "refused". */
  timeoutMs: REPLY_TIMEOUT_MS,
  /** Connect from this local address (e.g. 127.0.0.2, a second loopback address); "" = any. */
  from: "",
  /** What the run should end with, for the exit code: "served" or "refused" (a demo of refusal). */
  expect: "served",
};

export interface AskResult {
  /** The reply, when there was one. */
  reply?: string;
  /** No reply within the time-out. */
  refused: boolean;
  /** What the socket's events said went wrong, if anything. */
  problems: string[];
}

/** `tcp://host:port` as libzmq's "connect from this source address" form, `tcp://from:0;host:port`. */
export function fromAddress(endpoint: string, from: string): string {
  return from ? endpoint.replace(/^tcp:\/\//, `tcp://${from}:0;`) : endpoint;
}

/** What a client's monitor has said of its handshakes so far. */
export interface HandshakeWatch {
  /** What went wrong, in the client's words. */
  problems: string[];
  /** Resolves when the server's ZAP handler said no (status 400 or 500). */
  denied: Promise<"denied">;
}

/**
 * Listens to the socket's handshake events. Call it before connecting: the monitor hears only
 * what happens after it starts, and a refusal can come before the first send (a server in
 * another process answers in milliseconds, and a busy client starts late).
 */
export function watchHandshake(socket: Request, log: Logger): HandshakeWatch {
  const problems: string[] = [];
  const note = (problem: string) => {
    if (!problems.includes(problem)) log.warn(problem);
    problems.push(problem);
  };
  // A ZAP "no" (status 400) is final: libzmq will not try again, so nothing can come any more.
  let deniedByServer = () => {};
  const denied = new Promise<"denied">((resolve) => {
    deniedByServer = () => resolve("denied");
  });
  socket.events.on("handshake:error:auth", ({ error }) => {
    note(`the server refused us: ${error.message}`);
    deniedByServer();
  });
  socket.events.on("handshake:error:protocol", ({ error }) =>
    note(`handshake failed: ${error.message}`),
  );
  socket.events.on("handshake:error:other", ({ error }) =>
    note(`handshake failed: ${error.message} (wrong server key, or a server that refuses us?)`),
  );
  return { problems, denied };
}

/** Sends `request` once and waits up to `timeoutMs` for the reply, or for the server's "no". */
export async function askOnce(
  socket: Request,
  options: { request: string; timeoutMs: number },
  handshake: HandshakeWatch,
  log: Logger,
): Promise<AskResult> {
  const { problems, denied } = handshake;
  // A connecting REQ queues the request at once, unless the server refused us already: libzmq
  // then drops the connection for good, and a send would wait for ever. sendTimeout 0: it fails.
  socket.sendTimeout = 0;
  try {
    await socket.send(options.request);
  } catch (error) {
    if ((error as { code?: string }).code !== "EAGAIN") throw error;
    log.warn("could not send: the server dropped the connection: refused");
    return { refused: true, problems };
  }
  log.info(`sent "${options.request}"`);
  const event = await Promise.race([
    new Poller({ socket }).next({ timeoutMs: options.timeoutMs }),
    denied,
  ]);
  if (event === "denied") return { refused: true, problems };
  if (event.kind === "message") {
    const reply = event.frames.map(describeFrame).join(" ");
    log.info(`reply ${reply}`);
    return { reply: event.frames.map(String).join(","), refused: false, problems };
  }
  if (event.kind === "timeout") log.warn(`no reply in ${options.timeoutMs} ms: refused`);
  return { refused: event.kind === "timeout", problems };
}

/** A client's exit code: 0 when it got what `expect` says (or was stopped), 1 otherwise. */
export function exitCodeFor(result: AskResult, expect: string, log: Logger): number {
  const outcome = result.reply !== undefined ? "served" : result.refused ? "refused" : "stopped";
  if (outcome === "stopped" || outcome === expect) {
    log.info(`done: ${outcome}${outcome === expect ? ", as expected" : ""}`);
    return 0;
  }
  log.error(`${outcome}, but expected to be ${expect}`);
  return 1;
}
