// Ending a burst without losing its tail. libzmq's remote_thr sends and closes; the context then
// waits (linger) until every queued message is out. Over ipc:// that is not enough: when the
// receiver's high-water mark is reached, libzmq can drop what is still in flight once the sender
// closes, linger or not (libzmq issue #4660; our tests saw ~10% of a burst lost). So a sender
// waits for the receiver to leave (it closes after its last message) before it closes itself.
import type { Socket } from "zeromq";

/**
 * Watch for the peer disconnecting. Call before sending (so no disconnect is missed); await the
 * result after the last send. Resolves true when the peer left, false after `limitMs` or when
 * the socket is closed first.
 */
export function watchPeerLeaving(socket: Socket, limitMs: number): () => Promise<boolean> {
  const left = new Promise<boolean>((resolve) => {
    socket.events.on("disconnect", () => resolve(true));
    socket.events.on("end", () => resolve(false));
  });
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), limitMs);
    });
    const result = await Promise.race([left, limit]);
    clearTimeout(timer);
    return result;
  };
}
