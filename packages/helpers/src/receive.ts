// A receive loop that survives a message libzmq drops under our feet.
//
//   for await (const request of messagesOf(socket, () => log.warn("dropped a malformed request"))) {
//     ...
//   }
//
// A REP (or REQ) socket silently discards an incoming message that has no empty delimiter frame,
// e.g. from a DEALER that forgot it. zeromq.js has already seen the socket readable by then, so
// the pending receive rejects with EAGAIN, and a plain `for await (... of socket)` loop ends with
// that error: one bad peer would stop a server. This loop skips such a message (and tells
// `onDropped`), and ends normally when the socket is closed. Only for sockets without a
// receiveTimeout, where EAGAIN means a time-out instead.
import type { Readable, Socket } from "zeromq";

export async function* messagesOf(
  socket: Socket & Readable,
  onDropped: () => void,
): AsyncGenerator<Buffer[]> {
  while (!socket.closed) {
    let message: Buffer[];
    try {
      message = await socket.receive();
    } catch (error) {
      if (socket.closed) return; // closed while waiting: the loop ends
      if ((error as { code?: string }).code !== "EAGAIN") throw error;
      onDropped(); // readable a moment ago, then libzmq dropped what was there
      continue;
    }
    yield message;
  }
}
