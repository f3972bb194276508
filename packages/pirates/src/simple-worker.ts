// Simple Pirate worker: a REQ socket that says READY, then echoes each request it is given.
// It can be told to crash or stall, so you can watch the client's retries recover.
// Talks to: simple-queue.ts (ROUTER backend), or the Guide's spqueue in any language.
// Run: pnpm --filter pirates simple-worker [--connect tcp://localhost:5556] [--crash-after 3] [--name worker-1]
import { setTimeout as sleep } from "node:timers/promises";
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  messagesOf,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Request } from "zeromq";
import { misbehave, misbehaviourDefaults } from "./misbehave.ts";
import {
  isDelimiter,
  MAX_FRAME_BYTES,
  READY,
  WORK_MS,
  WORKER_PORT,
  workerIdentity,
} from "./protocol.ts";

export const simpleWorkerDefaults = {
  connect: [`tcp://localhost:${WORKER_PORT}`],
  bind: [] as string[],
  /** "Do some heavy work" for this long on each request. */
  workMs: WORK_MS,
  ...misbehaviourDefaults, // --crash-after, --overload-after, --overload-ms (misbehave.ts)
  /** Label for log lines, and the start of the worker's routing id. */
  name: "worker",
};
export type SimpleWorkerOptions = typeof simpleWorkerDefaults & RoleControl;

export interface SimpleWorkerResult {
  answered: number;
  crashed: boolean;
}

/** Serves requests from the queue until stopped, or until it "crashes". */
export async function runSimpleWorker(options: SimpleWorkerOptions): Promise<SimpleWorkerResult> {
  const log = roleLog(options.name);
  // The routing id makes the worker readable in the queue's log; any unique id would do.
  const identity = workerIdentity(options.name);
  const socket = new Request({ linger: 0, routingId: identity, maxMessageSize: MAX_FRAME_BYTES });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints); // tests learn the real port here

  // A REQ socket must speak first: READY tells the queue there is one more worker.
  await socket.send(READY);
  log.info(`${identity} ready`);

  const result: SimpleWorkerResult = { answered: 0, crashed: false };
  const requests = messagesOf(socket, () => log.warn("dropped a message without a delimiter"));
  for await (const frames of requests) {
    // The REQ socket took the queue's delimiter off: [client, "", request...] is left.
    const [client, delimiter, ...request] = frames as [Buffer, ...Buffer[]];
    if (!isDelimiter(delimiter) || request.length === 0) {
      // REQ must still answer something before it may read again; the queue drops this.
      log.warn(
        `bad request from the queue: ${frames.length} frame(s), expected [client, "", request]`,
      );
      await socket.send('error: expected [client, "", request]');
      continue;
    }
    const number = result.answered + 1;
    if ((await misbehave(number, request, options, log)) === "crash") {
      result.crashed = true;
      break;
    }
    log.info(
      `normal reply to ${request.map(describeFrame).join(" ")} for ${describeFrame(client)}`,
    );
    await sleep(options.workMs); // "do some heavy work"
    if (socket.closed) break;
    await socket.send(frames); // the envelope goes back unchanged, so the queue knows the client
    result.answered = number;
  }

  socket.close();
  log.info(`stopped after answering ${result.answered} requests`);
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(simpleWorkerDefaults);
  const { crashed } = await runSimpleWorker({ ...options, signal: stopOnSignals(options.name) });
  if (crashed) process.exitCode = 1;
}
