// Exercise 02: a Hello World server that numbers its replies.
// The task is in TASK.md. Check your work: pnpm --filter reqrep exercise 02
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

  for await (const _request of socket) {
    // TODO: reply "World <n>" and count the request; answer a request of several frames
    // with "error: expected 1 frame, got <k>" instead, without counting it.
    await socket.send("World");
  }
  return 0; // TODO: how many requests were answered
}
