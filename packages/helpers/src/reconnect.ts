// Connecting again where libzmq gave up: a connection it dropped itself, for a protocol error.
//
//   reconnectWhenDropped(socket, log); // before connect(): the monitor hears only what follows
//   socket.connect("tcp://localhost:5557");
//
// When a peer goes away, libzmq reconnects a connecting socket by itself: its monitor says
// "disconnect", then at once "connect:retry". But a connection libzmq drops itself, for a frame
// over maxMessageSize or another protocol error, it never connects again: "disconnect" comes
// alone (measured on libzmq 4.3.5; no "handshake:error:*" either), and the socket stays deaf to
// that endpoint for good. (A socket that binds has nothing to do: the peer's end reconnects.)
import { Dealer, Publisher, Request, type Socket, Subscriber } from "zeromq";
import type { Logger } from "./log.ts";

/** libzmq ignores a second connect() of these to an endpoint they already have (until disconnect). */
const CONNECTS_ONCE = [Subscriber, Publisher, Dealer, Request];

/**
 * Watches the connections `socket` makes: one that ends with a "disconnect" that no
 * "connect:retry" follows within one reconnectInterval gets a W: line on `log`, and its endpoint
 * is connected again. For sockets that reconnect (reconnectInterval > 0, the default 100 ms).
 * Any "connect:retry" counts, so of two drops within 100 ms on one socket, one a peer leaving,
 * the other is missed. A stalled event loop does no harm: libzmq queues "connect:retry" right
 * behind "disconnect", and zeromq.js reads the one waiting next before any timer runs (tested).
 */
export function reconnectWhenDropped(socket: Socket, log: Logger): void {
  const events = socket.events;
  const dialled = new Map<string, boolean>(); // endpoint we connected to -> handshake done
  const failedAttempts = new Set<string>(); // libzmq retries these connect attempts itself
  const checks = new Map<string, NodeJS.Timeout>(); // dropped: no "connect:retry" yet

  events.on("connect", ({ address }) => dialled.set(address, false));
  events.on("handshake", ({ address }) => {
    if (dialled.has(address)) dialled.set(address, true);
  });
  events.on("close", ({ address }) => failedAttempts.add(address)); // its retry comes next
  events.on("connect:retry", ({ address }) => {
    if (failedAttempts.delete(address)) return;
    // A reconnect after a drop: libzmq will manage. Its "connect:retry" may name the endpoint
    // resolved (tcp://127.0.0.1:5557 for tcp://localhost:5557), so no name is matched.
    for (const check of checks.values()) clearTimeout(check);
    checks.clear();
  });
  events.on("disconnect", ({ address }) => {
    // Only a connection we made, and that worked: a failed handshake would fail again.
    if (!dialled.get(address) || socket.closed) return;
    dialled.delete(address);
    const check = setTimeout(() => connectAgain(address), socket.reconnectInterval);
    checks.set(address, check.unref());
  });

  function connectAgain(endpoint: string): void {
    checks.delete(endpoint);
    if (socket.closed) return;
    const limit = socket.maxMessageSize;
    const why =
      limit >= 0 ? `a frame over ${limit} bytes, or another protocol error` : "a protocol error";
    log.warn(
      `libzmq dropped the connection to ${endpoint} (${why}) and will not reconnect it: connecting again`,
    );
    // A socket that connects once must disconnect first, which also throws away what it had
    // received from there and not read yet. The others keep that: they connect a second time.
    if (CONNECTS_ONCE.some((type) => socket instanceof type)) {
      try {
        socket.disconnect(endpoint);
      } catch (error) {
        if ((error as { code?: string }).code !== "ENOENT") throw error; // ENOENT: not connected
      }
    }
    socket.connect(endpoint);
  }
}
