// Exercise 01, reference solution: a Hello World client that gives up instead of waiting for ever.
import { roleLog } from "@zmq-patterns/helpers";
import { Request } from "zeromq";

export interface TimeoutClientOptions {
  connect: string[];
  requests: number;
  timeoutMs: number;
}

export interface TimeoutClientResult {
  replies: string[];
  gaveUp: boolean;
}

export async function runTimeoutClient(
  options: TimeoutClientOptions,
): Promise<TimeoutClientResult> {
  const log = roleLog("client");
  // receiveTimeout makes receive() reject with EAGAIN instead of waiting for ever;
  // linger 0 lets close() drop a request nobody will ever take.
  const socket = new Request({ linger: 0, receiveTimeout: options.timeoutMs });
  for (const endpoint of options.connect) socket.connect(endpoint);

  const replies: string[] = [];
  let gaveUp = false;
  for (let count = 1; count <= options.requests; count++) {
    await socket.send("Hello");
    try {
      const [reply] = await socket.receive();
      replies.push(String(reply));
    } catch (error) {
      if ((error as { code?: string }).code !== "EAGAIN") throw error;
      // The socket still expects the lost reply; it cannot send again. Give up.
      log.warn(`no reply in ${options.timeoutMs} ms, giving up`);
      gaveUp = true;
      break;
    }
  }

  socket.close();
  return { replies, gaveUp };
}
