// Exercise 01: a DEALER client that sends every request at once and sorts out the replies.
// The task is in TASK.md. Check your work: pnpm --filter broker exercise 01
import type { Dealer } from "zeromq";

export interface AsyncClientOptions {
  /** The broker's frontend. */
  connect: string[];
  requests: string[];
}

/** Sends every request, then collects the replies; returns them in the order of the requests. */
export async function runAsyncClient(options: AsyncClientOptions): Promise<string[]> {
  // TODO: a Dealer socket; send ["", tag, body] for each request, then receive ["", tag, result]
  // until every request has its result.
  const socket: Dealer | undefined = undefined;
  void socket;
  throw new Error(`exercise 01 is not done yet (${options.requests.length} requests to send)`);
}
