// Freelance client, model 1: simple retry and failover. Each request goes out on a new REQ
// socket to one server at a time; no reply within the time-out: close that socket, try the next
// server. With one server, it asks that one again (the Lazy Pirate); with several, each once.
// Talks to: server1.ts (REP echo) or the Guide's flserver1, one or more.
// Run: pnpm --filter freelance client1 --connect tcp://localhost:5555,tcp://localhost:5556 [--requests 10]
import {
  describeFrame,
  isMain,
  type Logger,
  Poller,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Request } from "zeromq";
import { pause } from "./pause.ts";
import { MAX_RETRIES, REQUEST_TIMEOUT_MS, SERVER_PORTS } from "./protocol.ts";

export const client1Defaults = {
  connect: [`tcp://localhost:${SERVER_PORTS[0]}`],
  /** Requests to send, one after another (the Guide's client sends one). */
  requests: 10,
  /** How long to wait for each reply. */
  timeoutMs: REQUEST_TIMEOUT_MS,
  /** With one server: how many times to try it. With several, each is tried once per request. */
  retries: MAX_RETRIES,
  /** Wait this long between requests (0: none), so a run can outlast a fault. */
  pauseMs: 0,
  /** Log only warnings, errors and the summary (for the benchmark). */
  quiet: false,
  name: "client",
};
export type Client1Options = typeof client1Defaults & RoleControl;

export interface Client1Result {
  /** For each request answered, in order: the server that answered it. */
  answeredBy: string[];
  /** True when no server answered a request (the client stopped there). */
  failed: boolean;
}

/** Sends `request` to `endpoint` on a new socket; the reply, or undefined after the time-out. */
async function tryRequest(
  endpoint: string,
  request: string,
  options: Client1Options,
  log: Logger,
): Promise<"ok" | "no reply" | "stopped"> {
  const socket = new Request({ linger: 0 }); // linger 0: closing drops an unanswered request
  const stop = () => socket.close(); // a Ctrl-C while waiting ends the wait
  options.signal?.addEventListener("abort", stop, { once: true });
  socket.connect(endpoint);
  try {
    if (options.signal?.aborted) return "stopped";
    await socket.send(request);
    const event = await new Poller({ socket }).next({ timeoutMs: options.timeoutMs });
    if (event.kind === "closed") return "stopped";
    if (event.kind === "timeout") return "no reply";
    if (event.frames.length === 1 && event.frames[0]!.toString() === request) return "ok";
    log.error(`malformed reply from ${endpoint}: ${event.frames.map(describeFrame).join(" ")}`);
    return "no reply";
  } finally {
    options.signal?.removeEventListener("abort", stop);
    if (!socket.closed) socket.close(); // in any case: a REQ that missed its reply cannot send again
  }
}

/** Sends the requests one by one, each to the servers in turn until one answers. */
export async function runClient1(options: Client1Options): Promise<Client1Result> {
  const log = roleLog(options.name);
  const servers = options.connect;
  if (servers.length === 0) throw new Error(`${options.name}: no --connect endpoint given`);
  options.onReady?.(servers);
  // The Guide: one server, try it `retries` times; several, try each once.
  const tries = servers.length === 1 ? options.retries : servers.length;
  const result: Client1Result = { answeredBy: [], failed: false };
  let first = 0; // start with the server that answered last (the Guide starts at the first)

  requests: for (let sequence = 1; sequence <= options.requests; sequence++) {
    const request = String(sequence);
    for (let attempt = 0; attempt < tries; attempt++) {
      const at = (first + attempt) % servers.length;
      const endpoint = servers[at]!;
      if (!options.quiet) log.info(`trying echo service at ${endpoint} (request ${request})`);
      const outcome = await tryRequest(endpoint, request, options, log);
      if (outcome === "stopped") break requests;
      if (outcome === "ok") {
        if (!options.quiet) log.info(`reply ${request} from ${endpoint}`);
        result.answeredBy.push(endpoint);
        first = at;
        await pause(options.pauseMs, options.signal);
        continue requests;
      }
      const more = servers.length === 1 ? `, retrying (${tries - attempt - 1} left)` : "";
      log.warn(`no response from ${endpoint} in ${options.timeoutMs} ms${more}`);
    }
    log.error(`no server answered request ${request}; service is not available`);
    result.failed = true;
    break;
  }
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(client1Defaults);
  const signal = stopOnSignals(options.name);
  const start = performance.now();
  const { answeredBy, failed } = await runClient1({ ...options, signal });
  const outcome = failed ? "gave up" : signal.aborted ? "stopped" : "done";
  roleLog(options.name).info(
    `${outcome}: ${answeredBy.length} of ${options.requests} requests answered`,
  );
  if (answeredBy.length > 0 && options.pauseMs === 0) {
    const usec = Math.round((1000 * (performance.now() - start)) / answeredBy.length);
    roleLog(options.name).info(`average round trip cost: ${usec} usec`); // as the Guide's clients print it
  }
  if (failed) process.exitCode = 1;
}
