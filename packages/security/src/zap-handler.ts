// The ZAP handler (ZeroMQ RFC 27): libzmq asks it, for every new connection to a server socket
// with security, whether to let the peer in. It is a REP socket bound to inproc://zeromq.zap.01
// in the same context as the server sockets: zeromq.js's global context, which every socket
// uses unless given another. One per process. Bind it BEFORE the server socket binds: until it
// is there, libzmq lets NULL and CURVE clients in unchecked (see docs/security.md, pitfalls).
//
//   const zap = await startZapHandler((request) =>
//     request.address === "127.0.0.1" ? allow("on the allow list") : deny("not on the allow list"));
//   ...
//   await zap.close();
import { type Logger, messagesOf, roleLog } from "@zmq-patterns/helpers";
import { Reply } from "zeromq";
import { ZAP_ENDPOINT, ZAP_STATUS, ZAP_VERSION, type ZapStatus } from "./protocol.ts";

/** What libzmq asks: one request per handshake. */
export interface ZapRequest {
  requestId: Buffer;
  /** The server socket's zapDomain ("" when none is set). */
  domain: string;
  /** The client's IP address, without the port. */
  address: string;
  /** The client socket's routing id (usually empty). */
  identity: Buffer;
  mechanism: string;
  /** NULL: none. PLAIN: user name, password. CURVE: the client's 32-byte long-term public key. */
  credentials: Buffer[];
}

/** What the handler answers. */
export interface ZapDecision {
  status: ZapStatus;
  /** Logged, and sent as the reply's status text. */
  reason: string;
  /** The user id libzmq attaches to the connection (the reply's user id frame). */
  userId?: string;
}
export type ZapPolicy = (request: ZapRequest) => ZapDecision;

export const allow = (reason: string, userId = ""): ZapDecision => ({
  status: ZAP_STATUS.ok,
  reason,
  userId,
});
export const deny = (reason: string): ZapDecision => ({ status: ZAP_STATUS.denied, reason });

/** A ZAP request from its frames, or why they are not one. */
export function parseZapRequest(frames: Buffer[]): ZapRequest | string {
  if (frames.length < 6) return `expected at least 6 frames, got ${frames.length}`;
  const [version, requestId, domain, address, identity, mechanism, ...credentials] = frames as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    ...Buffer[],
  ];
  if (version.toString() !== ZAP_VERSION) return `unknown ZAP version "${version}"`;
  const request = {
    requestId,
    domain: domain.toString(),
    address: address.toString(),
    identity,
    mechanism: mechanism.toString(),
    credentials,
  };
  const expected = { NULL: 0, PLAIN: 2, CURVE: 1 }[request.mechanism];
  if (expected === undefined) return `unknown mechanism "${request.mechanism}"`;
  if (credentials.length !== expected)
    return `${request.mechanism} carries ${expected} credential frames, got ${credentials.length}`;
  return request;
}

/** The policy's decision; a policy that throws is a bug, answered 500 (internal error) and logged. */
function decide(policy: ZapPolicy, request: ZapRequest, log: Logger): ZapDecision {
  try {
    return policy(request);
  } catch (error) {
    log.error(`the policy failed on ${request.address}: ${(error as Error).message}`);
    return { status: ZAP_STATUS.internal, reason: "internal error" };
  }
}

export interface ZapHandler {
  /**
   * Stops answering (new connections are then let in unchecked, or refused for PLAIN).
   * libzmq frees the endpoint a moment later, in its own thread; the next startZapHandler
   * waits for that.
   */
  close(): Promise<void>;
}

/** How long a new handler waits for the endpoint a closed one leaves. */
const ZAP_ENDPOINT_FREED_WITHIN_MS = 2000;

/**
 * Binds the ZAP endpoint, waiting (bounded) while a handler closed a moment ago still holds it:
 * a closed socket frees its inproc name only later, in libzmq's reaper thread. Unbinding before
 * closing would free it at once, but libzmq 4.3.5 then sometimes aborts the process
 * (`Assertion failed ... pipe.cpp:355`: measured, about one run in five of src/houses.test.ts,
 * when a server's connections close at the same time).
 */
async function bindZapEndpoint(socket: Reply): Promise<void> {
  const giveUpAt = Date.now() + ZAP_ENDPOINT_FREED_WITHIN_MS;
  for (;;) {
    try {
      return await socket.bind(ZAP_ENDPOINT);
    } catch (error) {
      // Still taken after the wait: another handler runs in this process (one per context).
      if ((error as { code?: string }).code !== "EADDRINUSE" || Date.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** Binds the ZAP endpoint and answers every request with `policy`'s decision, logging it. */
export async function startZapHandler(policy: ZapPolicy, label = "zap"): Promise<ZapHandler> {
  const log = roleLog(label);
  const socket = new Reply({ linger: 0 });
  await bindZapEndpoint(socket);
  log.info(`ZAP handler ready on ${ZAP_ENDPOINT}`);

  const answer = async () => {
    // #region loop
    for await (const frames of messagesOf(socket, () => log.warn("dropped a malformed request"))) {
      const request = parseZapRequest(frames);
      if (typeof request === "string") {
        log.warn(`bad ZAP request: ${request}`);
        await socket.send([ZAP_VERSION, frames[1] ?? "", ZAP_STATUS.internal, request, "", ""]);
        continue;
      }
      const decision = decide(policy, request, log);
      const verb = decision.status === ZAP_STATUS.ok ? "allowed" : "denied";
      log.info(`${verb} ${request.address}: ${decision.reason}`);
      // Reply: version, request id, status code, status text, user id, metadata (none).
      await socket.send([
        ZAP_VERSION,
        request.requestId,
        decision.status,
        decision.reason,
        decision.userId ?? "",
        "",
      ]);
    }
    // #endregion loop
  };
  const done = answer();
  return {
    close: async () => {
      socket.close(); // no unbind first: see bindZapEndpoint
      await done;
    },
  };
}
