// Exercise 01, reference solution: a DEALER client that sends every request at once.
import { Dealer } from "zeromq";

export interface AsyncClientOptions {
  /** The broker's frontend. */
  connect: string[];
  requests: string[];
}

export async function runAsyncClient(options: AsyncClientOptions): Promise<string[]> {
  const socket = new Dealer({ linger: 0 });
  for (const endpoint of options.connect) socket.connect(endpoint);

  // A DEALER may send as often as it likes, but it adds nothing: the delimiter a REQ would put
  // in front is ours to send, and the tag says which request a reply belongs to.
  for (const [index, body] of options.requests.entries()) {
    await socket.send(["", String(index), body]);
  }

  const results: string[] = new Array(options.requests.length);
  for (let received = 0; received < options.requests.length; received++) {
    const [, tag, result] = await socket.receive(); // ["", tag, result], in any order
    results[Number(String(tag))] = String(result);
  }

  socket.close();
  return results;
}
