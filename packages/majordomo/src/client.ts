// Majordomo client: sends requests to a service through the broker, one at a time, with the
// Guide's time-out and retries (client-api.ts, a REQ socket), and counts the replies.
// Talks to: broker.ts (or the Guide's mdbroker in any language).
// Run: pnpm --filter majordomo client [--connect tcp://localhost:5555] [--service echo] [--requests 10] [--timeout-ms 2500] [--retries 3]
import {
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { MajordomoClient } from "./client-api.ts";
import { BROKER_ENDPOINT, ECHO_SERVICE, REQUEST_RETRIES, REQUEST_TIMEOUT_MS } from "./protocol.ts";

export const clientDefaults = {
  connect: [BROKER_ENDPOINT],
  bind: [] as string[],
  service: ECHO_SERVICE,
  /** Requests to send (the Guide's mdclient sends 100 000). */
  requests: 10,
  timeoutMs: REQUEST_TIMEOUT_MS,
  /** How many times to send each request in all before giving up. */
  retries: REQUEST_RETRIES,
  /** The request body is "<prefix> <n>"; an echo worker sends it back unchanged. */
  prefix: "hello",
  /** Log each reply (normally every one would flood the terminal in a benchmark). */
  quiet: false,
  name: "client",
};
export type ClientOptions = typeof clientDefaults & RoleControl;

export interface ClientResult {
  /** The replies, in order, as text. */
  replies: string[];
  gaveUp: boolean;
}

/** Sends the requests one by one; stops early if one gets no reply through all retries. */
export async function runClient(options: ClientOptions): Promise<ClientResult> {
  const log = roleLog(options.name);
  const [broker] = options.connect;
  if (!broker) throw new Error(`${options.name}: no --connect endpoint given`);
  const client = new MajordomoClient({ ...options, broker, log });
  options.onReady?.([broker]);
  const result: ClientResult = { replies: [], gaveUp: false };
  log.info(`sending requests to "${options.service}" at ${broker}, one at a time`);

  for (let n = 1; n <= options.requests && !client.closed; n++) {
    const request = `${options.prefix} ${n}`;
    const reply = await client.request(options.service, request);
    if (reply === null) {
      if (client.closed) break; // stopped while waiting
      log.error(`no reply to "${request}" from "${options.service}"; giving up`);
      result.gaveUp = true;
      break;
    }
    const text = reply.map(String).join(" ");
    if (!options.quiet) log.info(`reply ${n} from "${options.service}": ${text}`);
    result.replies.push(text);
  }

  client.close();
  log.info(`${result.replies.length} of ${options.requests} requests answered`);
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(clientDefaults);
  const { gaveUp } = await runClient({ ...options, signal: stopOnSignals(options.name) });
  if (gaveUp) process.exitCode = 1;
}
