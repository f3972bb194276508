// DEALER to REP: an asynchronous client in front of several REP servers. It sends every request
// at once, without waiting; the DEALER deals them out in turn, and replies come back as they are ready.
// Talks to: its own REP servers, in this process over tcp. The Guide's "The DEALER to REP Combination".
// Run: pnpm --filter routing dealer-rep [--servers 3] [--requests 6]
import {
  closeOnAbort,
  describeFrame,
  isMain,
  messagesOf,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer, Reply } from "zeromq";
import { isDelimiter } from "./protocol.ts";

export const dealerRepDefaults = {
  servers: 3,
  requests: 6,
  name: "dealer-rep",
};
export type DealerRepOptions = typeof dealerRepDefaults & RoleControl;

/** Runs the servers and the client; returns each reply the client got, in arrival order. */
export async function runDealerRep(options: DealerRepOptions): Promise<string[]> {
  const log = roleLog(options.name);
  const servers = Array.from({ length: options.servers }, () => new Reply({ linger: 0 }));
  const client = new Dealer({ linger: 0 });
  closeOnAbort(options.signal, client, ...servers);
  const endpoints: string[] = [];
  for (const server of servers) {
    await server.bind("tcp://127.0.0.1:*");
    endpoints.push(server.lastEndpoint!);
  }
  options.onReady?.(endpoints);

  // Each REP server: one request at a time, and only requests that carry the empty delimiter.
  const serving = servers.map(async (server, index) => {
    const dropped = () => log.warn(`server-${index + 1} dropped a request without a delimiter`);
    for await (const [request] of messagesOf(server, dropped)) {
      if (server.closed) break;
      await server.send(`${request} answered by server-${index + 1}`);
    }
  });

  const replies: string[] = [];
  try {
    await ask();
  } catch (error) {
    if (!client.closed) throw error; // stopped (Ctrl-C) while it waited
  }
  for (const socket of [client, ...servers]) socket.close();
  await Promise.all(serving);
  return replies;

  async function ask(): Promise<void> {
    // #region client
    for (const endpoint of endpoints) client.connect(endpoint);
    // A DEALER gives no envelope: we write the empty delimiter a REQ would have written, or the
    // REP drops the request. Every send returns at once; none waits for a reply.
    for (let n = 1; n <= options.requests; n++) {
      await client.send(["", `request ${n}`]);
      log.info(`sent "request ${n}"`);
    }
    for await (const [delimiter, reply, ...extra] of client) {
      if (!isDelimiter(delimiter) || !reply || extra.length > 0) {
        log.warn(
          `not a REP's reply: ${[delimiter, reply, ...extra].map((f) => describeFrame(f!)).join(", ")}`,
        );
        continue;
      }
      replies.push(String(reply));
      log.info(`got "${reply}" (${replies.length}/${options.requests})`);
      if (replies.length === options.requests) break;
    }
    // #endregion
  }
}

if (isMain(import.meta.url)) {
  const options = parseFlags(dealerRepDefaults);
  await runDealerRep({ ...options, signal: stopOnSignals(options.name) });
}
