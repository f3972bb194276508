// REQ to ROUTER: an asynchronous server for many REQ clients. A REP holds one request at a time;
// a ROUTER holds them all, knows who sent each, and answers them in any order it likes.
// Talks to: its own REQ clients, in this process over tcp. The Guide's "The REQ to ROUTER Combination".
// Run: pnpm --filter routing req-router [--clients 3]
import {
  closeOnAbort,
  describeFrame,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Request, Router } from "zeromq";
import { isDelimiter, MAX_FRAME_BYTES } from "./protocol.ts";

export const reqRouterDefaults = {
  clients: 3,
  name: "req-router",
};
export type ReqRouterOptions = typeof reqRouterDefaults & RoleControl;

/** Serves every client at once; returns the reply each client got, in client order. */
export async function runReqRouter(options: ReqRouterOptions): Promise<string[]> {
  const log = roleLog(options.name);
  const server = new Router({ linger: 0, mandatory: true, maxMessageSize: MAX_FRAME_BYTES });
  const clients = Array.from({ length: options.clients }, () => new Request({ linger: 0 }));
  closeOnAbort(options.signal, server, ...clients);
  await server.bind("tcp://127.0.0.1:*");
  options.onReady?.([server.lastEndpoint!]);

  const replies = clients.map(async (client, index) => {
    client.connect(server.lastEndpoint!);
    await client.send(`job ${index + 1}`); // a REQ: one request, then it waits for its reply
    const [reply] = await client.receive();
    return String(reply);
  });

  try {
    // #region server
    // The ROUTER takes every request as it comes: [client id, "", body]. It answers none yet.
    const held: { client: Buffer; job: string }[] = [];
    while (held.length < options.clients) {
      const [client, delimiter, job, ...extra] = await server.receive();
      if (!isDelimiter(delimiter) || !job || extra.length > 0) {
        log.warn(`not a REQ's request from ${describeFrame(client!)}; dropped`);
        continue;
      }
      held.push({ client: client!, job: String(job) });
      log.info(`holding "${job}" from ${describeFrame(client!)} (${held.length} held)`);
    }
    // Then it answers them last first: the id picks the client, the delimiter is for its REQ.
    for (const { client, job } of held.reverse()) {
      await server.send([client, "", `${job} done`]);
      log.info(`answered "${job}" to ${describeFrame(client)}`);
    }
    // #endregion
    return await Promise.all(replies);
  } catch (error) {
    if (!server.closed) throw error; // stopped (Ctrl-C)
    return [];
  } finally {
    for (const socket of [server, ...clients]) socket.close();
  }
}

if (isMain(import.meta.url)) {
  const options = parseFlags(reqRouterDefaults);
  await runReqRouter({ ...options, signal: stopOnSignals(options.name) });
}
