// What the roles need around their sockets: know when peers are there (from the socket's own
// events, not a sleep or a key press), and say which socket a log line is about.
import type { Logger } from "@zmq-patterns/helpers";
import type { Socket } from "zeromq";

/** The role's logger, with lines about one of its sockets: "[worker-1] tasks: connecting to ...". */
export const socketLog = (log: Logger, socket: string): Logger => ({
  ...log,
  info: (message) => log.info(`${socket}: ${message}`),
  warn: (message) => log.warn(`${socket}: ${message}`),
});

/**
 * libzmq reports a "handshake" event once a peer's connection is ready to carry messages.
 * Resolves true once `count` peers have completed the ZeroMQ handshake with `socket`, or false
 * when `signal` aborts first. Call it before bind/connect, so that no handshake is missed.
 */
export function waitForPeers(
  socket: Socket,
  count: number,
  signal: AbortSignal | undefined,
  onPeer: (peers: number) => void = () => {},
): Promise<boolean> {
  return new Promise((resolve) => {
    if (count <= 0) return resolve(true);
    const events = socket.events; // read it now: a closed socket has none
    let peers = 0;
    const finish = (ready: boolean) => {
      events.off("handshake", counted);
      signal?.removeEventListener("abort", aborted);
      resolve(ready);
    };
    const counted = () => {
      peers += 1;
      onPeer(peers);
      if (peers >= count) finish(true);
    };
    const aborted = () => finish(false);
    events.on("handshake", counted);
    if (signal?.aborted) finish(false);
    else signal?.addEventListener("abort", aborted, { once: true });
  });
}
