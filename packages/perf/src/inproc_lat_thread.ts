// The echo thread of inproc_lat: a REP socket that connects to the main thread's REQ and answers
// each request with a message of the same size, <roundtrip-count> times, then returns.
// Talks to: inproc_lat.ts (main thread). Started by inproc_lat.ts; not run by hand.
import {
  closeOnAbort,
  isWorkerThreadEntry,
  postToParent,
  stopOnParentMessage,
  threadData,
} from "@zmq-patterns/helpers";
import { Reply } from "zeromq";

export interface EchoData {
  endpoint: string;
  messageSize: number;
  roundtripCount: number;
}
/** What the echo thread posts once its socket is connected. */
export const CONNECTED = "connected";

export async function echoAll(data: EchoData, signal: AbortSignal): Promise<void> {
  const { endpoint, messageSize, roundtripCount } = data;
  const socket = new Reply({ linger: 0 });
  socket.connect(endpoint);
  closeOnAbort(signal, socket); // "stop" from the main thread: the pending receive ends
  postToParent(CONNECTED);

  // This thread ends before the main thread, so it must not send a Buffer over 128 bytes: the
  // main thread would still point into this thread's memory after it is gone (see the helpers'
  // threads.ts). A string is copied into memory that belongs to no thread: a native memcpy per
  // reply, well under the noise of a cross-thread round trip. libzmq's inproc_lat echoes the
  // same message.
  const reply = "0".repeat(messageSize);
  try {
    for (let answered = 0; answered !== roundtripCount; answered++) {
      await socket.receive();
      await socket.send(reply);
    }
  } catch (error) {
    if (!socket.closed) throw error;
  }
  socket.close();
}

if (isWorkerThreadEntry(import.meta.url)) {
  await echoAll(threadData<EchoData>(), stopOnParentMessage("inproc_lat"));
}
