// Exercise 01, reference solution: a batched throughput test, many records per frame.

import type { RoleControl } from "@zmq-patterns/helpers";
import { Pull, Push } from "zeromq";
import { watchPeerLeaving } from "#src/drain.ts";
import { countLine, microsecondsSince, sizeLine, throughputLines } from "#src/output.ts";
import { FLUSH_LINGER_MS } from "#src/protocol.ts";

export interface BatchedLocalOptions extends RoleControl {
  bind: string;
  messageSize: number;
  messageCount: number;
}

export interface BatchedRemoteOptions {
  connect: string;
  messageSize: number;
  messageCount: number;
  /** Records per frame. */
  batch: number;
}

export async function runBatchedRemoteThr(options: BatchedRemoteOptions): Promise<number> {
  const { messageSize, messageCount, batch } = options;
  const socket = new Push({ linger: FLUSH_LINGER_MS });
  const peerLeft = watchPeerLeaving(socket, FLUSH_LINGER_MS);
  socket.connect(options.connect);

  const full = Buffer.alloc(messageSize * batch); // reused for every full frame
  let frames = 0;
  let sent = 0;
  for (; sent + batch <= messageCount; sent += batch, frames++) await socket.send(full);
  if (sent < messageCount) {
    await socket.send(full.subarray(0, (messageCount - sent) * messageSize)); // the short tail
    frames++;
  }
  await peerLeft(); // the receiver closes once it has every record
  socket.close();
  return frames;
}

export async function runBatchedLocalThr(options: BatchedLocalOptions): Promise<string[]> {
  const { messageSize, messageCount } = options;
  const socket = new Pull({ linger: 0 });
  options.signal?.addEventListener("abort", () => socket.close(), { once: true });
  await socket.bind(options.bind);
  options.onReady?.([socket.lastEndpoint ?? options.bind]);

  let received = 0;
  let start = 0n;
  try {
    while (received < messageCount) {
      const [frame, ...more] = await socket.receive();
      const records = frame && more.length === 0 ? frame.length / messageSize : 0;
      if (!Number.isInteger(records) || records === 0) {
        console.error(`[batched_local_thr] W: frame of ${frame?.length} B is not whole records`);
        continue;
      }
      if (received === 0) start = process.hrtime.bigint();
      received += records;
    }
  } catch (error) {
    if (socket.closed) return [];
    throw error;
  }
  const elapsedUs = microsecondsSince(start);
  socket.close();
  return [
    sizeLine(messageSize),
    countLine(messageCount),
    ...throughputLines(messageSize, messageCount, elapsedUs),
  ];
}
