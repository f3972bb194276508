// The echo thread of inproc_lat: a REP socket that connects to the main thread's REQ and answers
// each request with a message of the same size, <roundtrip-count> times, then returns.
// Talks to: inproc_lat.ts (main thread). Started by inproc_lat.ts; not run by hand.
import { parentPort, workerData } from "node:worker_threads";
import { Reply } from "zeromq";

export interface EchoData {
  endpoint: string;
  messageSize: number;
  roundtripCount: number;
}

const { endpoint, messageSize, roundtripCount } = workerData as EchoData;
const socket = new Reply({ linger: 0 });
parentPort?.once("message", () => socket.close()); // "stop": the pending receive ends
parentPort?.unref();
socket.connect(endpoint);
parentPort?.postMessage("connected");

// This thread ends before the main thread, so it must not send a Buffer over 128 bytes: the
// main thread would still point into this thread's memory after it is gone (see threads.ts).
// A string is copied into memory that belongs to no thread: a native memcpy per reply, well
// under the noise of a cross-thread round trip. libzmq's inproc_lat echoes the same message.
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
