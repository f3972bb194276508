// Given for exercise 02: one question to the mail bin's stats socket, on a fresh REQ socket.
import { Request } from "zeromq";

/** Sends `command` and returns the answer, or undefined when none comes within `timeoutMs`. */
export async function ask(
  endpoint: string,
  command: string,
  timeoutMs: number,
): Promise<string | undefined> {
  // A fresh socket for every question: a REQ socket that timed out is stuck waiting for the
  // lost reply (see the reqrep exercises), so we never reuse one.
  const socket = new Request({ linger: 0, receiveTimeout: timeoutMs });
  socket.connect(endpoint);
  try {
    await socket.send(command);
    const [answer] = await socket.receive();
    return answer?.toString();
  } catch (error) {
    if ((error as { code?: string }).code === "EAGAIN") return undefined; // no answer in time
    throw error;
  } finally {
    socket.close();
  }
}
