// Result saver: receives every computer's results (PULL) and appends each to a file on disk
// before taking the next, so what it stored survives a crash or a restart.
// Talks to: computer.ts (PUSH), which finds the saver's address in the server's configure command.
// Run: pnpm --filter voisietequi saver [--bind tcp://*:5558] [--store data/results.jsonl] [--stop-after 0]
import { fileURLToPath } from "node:url";
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  openJsonLinesStore,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Pull } from "zeromq";
import {
  MAX_MESSAGE_BYTES,
  MAX_PAYLOAD_BYTES,
  POSITIVE_NUMBER,
  problemWithComputerId,
  SAVER_PORT,
} from "./protocol.ts";

export const saverDefaults = {
  bind: [`tcp://*:${SAVER_PORT}`],
  connect: [] as string[],
  /** The results file (JSON lines); kept across runs. */
  store: fileURLToPath(new URL("../data/results.jsonl", import.meta.url)),
  /** Stop after storing this many results in this run (0 = run until stopped). */
  stopAfter: 0,
  name: "saver",
};
export type SaverOptions = typeof saverDefaults & RoleControl;

/** One line of the results file. */
export interface StoredResult {
  computer: string;
  sequence: number;
  payload: Record<string, unknown>;
}

/** Reads one result; a string says what is wrong with it. */
export function readResult(frames: Buffer[]): StoredResult | string {
  const [computer, sequence, payload] = frames;
  if (frames.length !== 3 || !computer || !sequence || !payload) {
    return `expected 3 frames (computer id, sequence, payload), got ${frames.length}`;
  }
  const badId = problemWithComputerId(computer);
  if (badId) return badId;
  if (!POSITIVE_NUMBER.test(sequence.toString())) {
    return `sequence ${describeFrame(sequence)} is not a number`;
  }
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return `payload is ${payload.length} bytes; the limit is ${MAX_PAYLOAD_BYTES}`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString("utf8"));
  } catch {
    return `payload is not JSON: ${describeFrame(payload)}`;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return `payload is not a JSON object: ${describeFrame(payload)}`;
  }
  return {
    computer: computer.toString(),
    sequence: Number(sequence),
    payload: parsed as Record<string, unknown>,
  };
}

/** Stores results until stopped (or `stopAfter` is reached); returns how many it stored. */
export async function runSaver(options: SaverOptions): Promise<number> {
  const log = roleLog(options.name);
  const store = await openJsonLinesStore<StoredResult>(options.store, log);
  log.info(`${store.records.length} results already in ${options.store}`);
  const socket = new Pull({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints); // tests learn the real port here

  let stored = 0;
  for await (const frames of socket) {
    const result = readResult(frames);
    if (typeof result === "string") {
      log.warn(`bad result: ${result}`); // bad input never kills the saver
      continue;
    }
    // On disk (fsync) before the next receive: a result we logged as stored survives a crash.
    await store.append(result);
    stored += 1;
    const { computer, sequence, payload } = result;
    log.info(
      `stored ${computer}#${sequence} ${JSON.stringify(payload)} (${stored} this run, ${store.records.length} in store)`,
    );
    if (options.stopAfter > 0 && stored >= options.stopAfter) break;
  }

  socket.close();
  await store.close();
  log.info(`stopped after storing ${stored} results`);
  return stored;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(saverDefaults);
  await runSaver({ ...options, signal: stopOnSignals(options.name) });
}
