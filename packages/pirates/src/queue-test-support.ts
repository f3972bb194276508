// For the queues' tests: what no REQ client would send to a frontend, sent by hand.
import type { LogWatch } from "@zmq-patterns/helpers/testing";
import { Dealer, Request } from "zeromq";
import { MAX_FRAME_BYTES } from "./protocol.ts";

/**
 * Sends the queue at `frontend` a request with no delimiter, one with no body, and a frame over
 * the limit; resolves once the queue has logged dropping the first two and libzmq has dropped the
 * connection that sent the third. Returns the sockets, for the test to close.
 */
export async function sendBadClientRequests(
  frontend: string,
  log: LogWatch,
): Promise<{ close(): void }[]> {
  const dropped = /request from 0x[0-9a-f]+ without an empty delimiter and a body; dropped/;
  const careless = new Dealer({ linger: 0 }); // a DEALER may forget what a REQ adds itself
  careless.connect(frontend);
  await careless.send("no delimiter");
  const first = await log.waitFor(dropped);
  await careless.send([""]);
  await log.waitFor(dropped, { since: first.index + 1 });

  const flooder = new Request({ linger: 0 });
  const disconnected = new Promise<void>((resolve) =>
    flooder.events.on("disconnect", () => resolve()),
  );
  flooder.connect(frontend);
  await flooder.send(Buffer.alloc(MAX_FRAME_BYTES + 1));
  await disconnected; // libzmq closed that connection; the queue's code never saw the frame
  return [careless, flooder];
}
