// Exercise 02, reference solution: a DEALER that keeps each request's whole envelope, holds `hold`
// requests, then answers them last first. Talks to: a hop's DEALER backend. See ../TASK.md.
// Run: only through the exercise's test (`pnpm --filter routing exercise 02`).
import type { RoleControl } from "@zmq-patterns/helpers";
import { closeOnAbort, describeFrame, roleLog } from "@zmq-patterns/helpers";
import { Dealer } from "zeromq";
import { MAX_FRAME_BYTES } from "#src/protocol.ts";

export const keeperDefaults = {
  connect: [] as string[],
  /** How many requests to hold before answering them, last first. */
  hold: 3,
  name: "keeper",
};
export type KeeperOptions = typeof keeperDefaults & RoleControl;

export interface KeeperResult {
  received: string[];
  answered: string[];
}

export async function runKeeper(options: KeeperOptions): Promise<KeeperResult> {
  const log = roleLog(options.name);
  const server = new Dealer({ linger: 0, maxMessageSize: MAX_FRAME_BYTES });
  closeOnAbort(options.signal, server);
  for (const endpoint of options.connect) server.connect(endpoint);
  const result: KeeperResult = { received: [], answered: [] };
  const held: { envelope: Buffer[]; body: string }[] = [];
  try {
    for await (const frames of server) {
      // The envelope is everything up to and including the first empty frame; one body after it.
      const delimiter = frames.findIndex((frame) => frame.length === 0);
      if (delimiter < 0 || frames.length !== delimiter + 2) {
        log.warn(`not [addresses..., "", body]: ${frames.map(describeFrame).join(", ")}; dropped`);
        continue;
      }
      const body = String(frames[delimiter + 1]);
      held.push({ envelope: frames.slice(0, delimiter + 1), body });
      result.received.push(body);
      log.info(`holding "${body}" (${held.length}/${options.hold}), ${delimiter} address frame(s)`);
      if (held.length < options.hold) continue;
      while (held.length > 0) {
        const { envelope, body: request } = held.pop()!; // last first
        await server.send([...envelope, `${request} done`]);
        result.answered.push(request);
      }
    }
  } catch (error) {
    if (!server.closed) throw error; // stopped
  }
  return result;
}
