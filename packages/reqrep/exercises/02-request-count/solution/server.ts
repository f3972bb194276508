// Exercise 02, reference solution: a Hello World server that numbers its replies.
import { attach, closeOnAbort, type RoleControl, roleLog } from "@zmq-patterns/helpers";
import { Reply } from "zeromq";

export interface CountingServerOptions extends RoleControl {
  bind: string[];
}

export async function runCountingServer(options: CountingServerOptions): Promise<number> {
  const log = roleLog("counting-server");
  const socket = new Reply({ linger: 0 });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, { bind: options.bind, connect: [] }, log);
  options.onReady?.(endpoints);

  // REP hands over one request at a time, so a plain variable is enough: no two requests are
  // ever in this loop at once.
  let count = 0;
  for await (const frames of socket) {
    if (frames.length !== 1) {
      await socket.send(`error: expected 1 frame, got ${frames.length}`);
      continue;
    }
    count += 1;
    await socket.send(`World ${count}`);
  }
  return count;
}
