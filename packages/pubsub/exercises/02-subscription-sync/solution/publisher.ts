// Exercise 02, reference solution: start publishing once N subscriptions have arrived.
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
  const socket = new XPublisher({
    linger: 1000, // let the last updates and "END" leave after close
    verbosity: "allSubs", // hand over every subscription, even a second one to ""
    sendHighWaterMark: options.updates + 1, // queue every update for a slow subscriber
  });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, { bind: options.bind, connect: [] }, log);
  options.onReady?.(endpoints);

  let subscriptions = 0;
  if (options.subscribers > 0) {
    for await (const [message] of socket) {
      if (message?.[0] !== 1) continue; // an unsubscription, or not a subscription at all
      subscriptions += 1;
      log.info(`subscription ${subscriptions} of ${options.subscribers}`);
      if (subscriptions === options.subscribers) break;
    }
  }
  if (socket.closed) return 0; // stopped while waiting

  for (let update = 1; update <= options.updates; update++) await socket.send(String(update));
  await socket.send("END");
  socket.close();
  return options.updates;
}
