// Exercise 02: a publisher that starts only when N subscribers have subscribed, with no REQ/REP.
// The task is in TASK.md. Check your work: pnpm --filter pubsub exercise 02
import { attach, closeOnAbort, type RoleControl, roleLog } from "@zmq-patterns/helpers";
import { XPublisher } from "zeromq";

export interface SubscriptionSyncOptions extends RoleControl {
  bind: string[];
  subscribers: number;
  updates: number;
}

export async function runSubscriptionSyncPublisher(
  options: SubscriptionSyncOptions,
): Promise<number> {
  const log = roleLog("publisher");
  const socket = new XPublisher({ linger: 1000 });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, { bind: options.bind, connect: [] }, log);
  options.onReady?.(endpoints);

  // TODO: wait until the socket has received options.subscribers subscription messages
  // (first byte 1). Return 0 if the socket closes while you wait.

  for (let update = 1; update <= options.updates; update++) await socket.send(String(update));
  await socket.send("END");
  socket.close();
  return options.updates;
}
