// The receiving thread of inproc_thr: a PULL socket that connects to the main thread's PUSH,
// takes the messages and posts back how long they took, counted from the first one.
// Talks to: inproc_thr.ts (main thread). Started by inproc_thr.ts; not run by hand.
import {
  closeOnAbort,
  isWorkerThreadEntry,
  postToParent,
  stopOnParentMessage,
  threadData,
} from "@zmq-patterns/helpers";
import { Pull } from "zeromq";
import { microsecondsSince } from "./output.ts";
import { WRONG_SIZE } from "./protocol.ts";

export interface ReceiverData {
  endpoint: string;
  messageSize: number;
  messageCount: number;
}
/** elapsedUs is 0 when the thread was stopped before the last message. */
export interface ReceiverResult {
  elapsedUs: number;
}

export async function receiveAll(data: ReceiverData, signal: AbortSignal): Promise<ReceiverResult> {
  const { endpoint, messageSize, messageCount } = data;
  const socket = new Pull({ linger: 0 });
  socket.connect(endpoint);
  closeOnAbort(signal, socket); // "stop" from the main thread: the pending receive ends

  let received = 0;
  let start = 0n;
  try {
    while (received < messageCount) {
      const frames = await socket.receive();
      if (frames.length !== 1 || frames[0]!.length !== messageSize) {
        throw new Error(`${WRONG_SIZE}: ${frames.length} frame(s), ${frames[0]?.length} B`);
      }
      if (received === 0) start = process.hrtime.bigint();
      received += 1;
    }
  } catch (error) {
    if (!socket.closed) throw error;
  }
  const elapsedUs = received === messageCount ? microsecondsSince(start) : 0;
  socket.close();
  return { elapsedUs };
}

if (isWorkerThreadEntry(import.meta.url)) {
  const result = await receiveAll(threadData<ReceiverData>(), stopOnParentMessage("inproc_thr"));
  postToParent(result);
}
