// Exercise 02, reference solution: libzmq's throughput test for PUB/SUB.
import type { RoleControl } from "@zmq-patterns/helpers";
import { Subscriber, XPublisher } from "zeromq";
import { watchPeerLeaving } from "#src/drain.ts";
import { countLine, microsecondsSince, sizeLine, throughputLines } from "#src/output.ts";
import { FLUSH_LINGER_MS } from "#src/protocol.ts";

export interface LocalSubThrOptions extends RoleControl {
  bind: string;
  messageSize: number;
  messageCount: number;
}

export interface RemotePubThrOptions {
  connect: string;
  messageSize: number;
  messageCount: number;
}

const SUBSCRIBE = 1; // first byte of a subscription message on an XPUB

export async function runLocalSubThr(options: LocalSubThrOptions): Promise<string[]> {
  const { messageSize, messageCount } = options;
  // No receive limit: a PUB drops whatever a full subscriber queue cannot take.
  const socket = new Subscriber({ linger: 0, receiveHighWaterMark: 0 });
  options.signal?.addEventListener("abort", () => socket.close(), { once: true });
  socket.subscribe(); // everything
  await socket.bind(options.bind);
  options.onReady?.([socket.lastEndpoint ?? options.bind]);

  let received = 0;
  let start = 0n;
  try {
    while (received < messageCount) {
      const frames = await socket.receive();
      if (frames.length !== 1 || frames[0]!.length !== messageSize) continue; // not ours
      if (received === 0) start = process.hrtime.bigint();
      received += 1;
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

export async function runRemotePubThr(options: RemotePubThrOptions): Promise<void> {
  // A PUB never waits: at the high-water mark it drops. A measurement must lose nothing, so
  // lift the limit on both sides (the queue may grow to the whole burst: fine for a test).
  const socket = new XPublisher({ linger: FLUSH_LINGER_MS, sendHighWaterMark: 0 });
  const peerLeft = watchPeerLeaving(socket, FLUSH_LINGER_MS);
  socket.connect(options.connect);

  // The slow joiner: nothing sent before the subscription arrives would be delivered.
  for (;;) {
    const [subscription] = await socket.receive();
    if (subscription?.[0] === SUBSCRIBE) break;
  }
  const message = Buffer.alloc(options.messageSize);
  for (let sent = 0; sent !== options.messageCount; sent++) await socket.send(message);
  await peerLeft(); // the subscriber closes once it has every message
  socket.close();
}
