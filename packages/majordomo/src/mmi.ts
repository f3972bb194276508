// Majordomo Management Interface query: asks the broker whether a service has a worker
// (`mmi.service`, RFC 8) and prints its answer: 200 yes, 404 no, 501 for an mmi.* it lacks.
// Talks to: broker.ts (or the Guide's mdbroker in any language). The Guide's mmiecho.
// Run: pnpm --filter majordomo mmi [--connect tcp://localhost:5555] [--service echo] [--query mmi.service]
import {
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { MajordomoClient } from "./client-api.ts";
import {
  BROKER_ENDPOINT,
  ECHO_SERVICE,
  MMI_SERVICE,
  REQUEST_RETRIES,
  REQUEST_TIMEOUT_MS,
} from "./protocol.ts";

export const mmiDefaults = {
  connect: [BROKER_ENDPOINT],
  bind: [] as string[],
  /** The service to ask about. */
  service: ECHO_SERVICE,
  /** The MMI name to ask (the broker answers 501 for one it does not implement). */
  query: MMI_SERVICE,
  timeoutMs: REQUEST_TIMEOUT_MS,
  retries: REQUEST_RETRIES,
  name: "mmi",
};
export type MmiOptions = typeof mmiDefaults & RoleControl;

/** Asks once (with the client's retries); returns the status frame as text, or null with no answer. */
export async function runMmi(options: MmiOptions): Promise<string | null> {
  const log = roleLog(options.name);
  const [broker] = options.connect;
  if (!broker) throw new Error(`${options.name}: no --connect endpoint given`);
  const client = new MajordomoClient({ ...options, broker, log });
  options.onReady?.([broker]);
  const reply = await client.request(options.query, options.service);
  client.close();
  const status = reply?.[0]?.toString() ?? null;
  if (status === null) log.error(`no answer from the broker to ${options.query}`);
  else log.info(`lookup "${options.service}" service (${options.query}): ${status}`);
  return status;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(mmiDefaults);
  const status = await runMmi({ ...options, signal: stopOnSignals(options.name) });
  if (status === null) process.exitCode = 1;
}
