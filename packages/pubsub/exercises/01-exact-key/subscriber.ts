// Exercise 01: an envelope subscriber that takes key "B" only, not "BB" or "Bravo".
// The task is in TASK.md. Check your work: pnpm --filter pubsub exercise 01
import { attach, closeOnAbort, type RoleControl, roleLog } from "@zmq-patterns/helpers";
import { Subscriber } from "zeromq";

export interface ExactKeySubscriberOptions extends RoleControl {
  connect: string[];
  key: string;
  messages: number;
}

export interface KeyedMessage {
  key: string;
  contents: string;
}

export async function runExactKeySubscriber(
  options: ExactKeySubscriberOptions,
): Promise<KeyedMessage[]> {
  const log = roleLog("subscriber");
  const socket = new Subscriber({ linger: 0 });
  closeOnAbort(options.signal, socket);
  socket.subscribe(options.key);
  const endpoints = await attach(socket, { bind: [], connect: options.connect }, log);
  options.onReady?.(endpoints);

  const received: KeyedMessage[] = [];
  for await (const [key, contents] of socket) {
    // TODO: the subscription is a prefix. Skip (with a warning) every message whose key is not
    // exactly options.key, and count only the others.
    received.push({ key: String(key), contents: String(contents) });
    if (received.length === options.messages) break;
  }
  socket.close();
  return received;
}
