// Exercise 01, reference solution: an envelope subscriber that takes key "B" only.
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
  // The publisher still filters on the prefix, so keys like "A" never cross the network;
  // only the few keys that merely start with options.key reach us and are dropped here.
  socket.subscribe(options.key);
  const endpoints = await attach(socket, { bind: [], connect: options.connect }, log);
  options.onReady?.(endpoints);

  const received: KeyedMessage[] = [];
  for await (const [key, contents] of socket) {
    if (String(key) !== options.key) {
      log.warn(`key "${key}" is not "${options.key}", skipped`);
      continue;
    }
    received.push({ key: String(key), contents: String(contents) });
    if (received.length === options.messages) break;
  }
  socket.close();
  return received;
}
