// A spectator: a SUB socket that prints every move and score the game server publishes.
// Talks to: game-server.ts (its XPUB, port 1401). Watching changes nothing in the game.
// Run: pnpm --filter hackagames spectator [--connect tcp://localhost:1401] [--sessions 0]
import {
  attach,
  closeOnAbort,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Subscriber } from "zeromq";
import { renderState } from "./games/index.ts";
import { decodePod } from "./pod.ts";
import { SPECTATOR_PORT } from "./protocol.ts";

export const spectatorDefaults = {
  connect: [`tcp://localhost:${SPECTATOR_PORT}`],
  bind: [] as string[],
  /** Sessions to watch before leaving; 0 watches for ever. */
  sessions: 0,
  name: "spectator",
};
export type SpectatorOptions = typeof spectatorDefaults & RoleControl;

/** Prints events until stopped (or the sessions are over); returns their first lines. */
export async function runSpectator(options: SpectatorOptions): Promise<string[]> {
  const log = roleLog(options.name);
  const socket = new Subscriber({ linger: 0 });
  closeOnAbort(options.signal, socket);
  socket.subscribe(); // everything
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);

  const seen: string[] = [];
  let sessionsOver = 0;
  for await (const [event] of socket) {
    const [headline = "", ...podLines] = String(event).split("\n");
    seen.push(headline);
    // Moves and ends carry the state: a 421 state fits on the line, a grid is drawn at the end.
    const hasState = /^game \d+ (move \d+|ends):/.test(headline) && podLines.length > 0;
    const picture = hasState ? renderState(decodePod(podLines)) : undefined;
    if (picture && !picture.includes("\n")) log.info(`${headline} -> ${picture}`);
    else log.info(headline);
    if (picture?.includes("\n") && headline.includes(" ends: ")) {
      for (const line of picture.split("\n")) log.info(`  ${line}`);
    }
    if (/^session \d+ ends/.test(headline)) sessionsOver += 1;
    if (options.sessions > 0 && sessionsOver >= options.sessions) break;
  }

  socket.close();
  return seen;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(spectatorDefaults);
  await runSpectator({ ...options, signal: stopOnSignals(options.name) });
}
