// Freelance client, model 3: complex and nasty. The application side of the Freelance client
// API (flcliapi.ts): connect to every server by endpoint, then request after request; the agent
// pings the servers, skips the dead ones and retries elsewhere, so the application only sees
// an answer, or a clear failure after the deadline.
// Talks to: server3.ts (ROUTER, routing id = endpoint), or the Guide's flserver3, one or more.
// Run: pnpm --filter freelance client3 --connect tcp://localhost:5555,tcp://localhost:5556,tcp://localhost:5557 [--requests 10]
import {
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { FreelanceClient, freelanceDefaults } from "./flcliapi.ts";
import { pause } from "./pause.ts";
import { SERVER_PORTS } from "./protocol.ts";

export const client3Defaults = {
  connect: SERVER_PORTS.map((port) => `tcp://localhost:${port}`),
  /** Requests to send, one after another (the Guide's flclient3 sends 10,000 and times them). */
  requests: 10,
  /** Wait this long between requests (0: none), so a run can outlast a fault. */
  pauseMs: 0,
  /** The request body (the Guide's is a name to resolve). */
  body: "random name",
  /** Log only warnings, errors and the summary (for the benchmark). */
  quiet: false,
  ...freelanceDefaults, // --ping-interval-ms, --server-ttl-ms, --request-timeout-ms, --global-timeout-ms
};
export type Client3Options = typeof client3Defaults & RoleControl;

export interface Client3Result {
  /** For each request answered, in order: the server that answered it. */
  answeredBy: string[];
  /** True when a request failed: no server answered it before the deadline. */
  failed: boolean;
  /** Milliseconds from the first request to the last answer. */
  elapsedMs: number;
}

export async function runClient3(options: Client3Options): Promise<Client3Result> {
  const log = roleLog(options.name);
  const client = new FreelanceClient(options);
  for (const endpoint of options.connect) client.connect(endpoint);
  options.onReady?.(options.connect);

  const result: Client3Result = { answeredBy: [], failed: false, elapsedMs: 0 };
  const start = performance.now();
  for (let number = 1; number <= options.requests && !options.signal?.aborted; number++) {
    const answer = await client.request([options.body]);
    if (options.signal?.aborted) break;
    if (!answer) {
      log.error(`request ${number}: name service not available, aborting`);
      result.failed = true;
      break;
    }
    result.answeredBy.push(answer.server);
    if (!options.quiet) log.info(`reply ${number} from ${answer.server}`);
    await pause(options.pauseMs, options.signal);
  }
  result.elapsedMs = performance.now() - start;
  client.close();
  await client.stopped;
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(client3Defaults);
  const signal = stopOnSignals(options.name);
  const { answeredBy, failed, elapsedMs } = await runClient3({ ...options, signal });
  const log = roleLog(options.name);
  const outcome = failed ? "gave up" : signal.aborted ? "stopped" : "done";
  log.info(`${outcome}: ${answeredBy.length} of ${options.requests} requests answered`);
  if (answeredBy.length > 0 && options.pauseMs === 0)
    // the figure the Guide's flclient3 prints
    log.info(`average round trip cost: ${Math.round((1000 * elapsedMs) / answeredBy.length)} usec`);
  if (failed) process.exitCode = 1;
}
