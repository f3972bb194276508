// A spectator: a SUB socket that prints every move and score the game server publishes, and
// draws the board after each move (Connect 4's grid, Tic-tac-toe's, 421's dice).
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
import { drawView } from "./games/index.ts";
import { ViewError } from "./games/view.ts";
import { decodePod, PodError } from "./pod.ts";
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
  let game = ""; // the configuration label from "game N begins", which says how to draw
  for await (const [event] of socket) {
    const [headline = "", ...podLines] = String(event).split("\n");
    seen.push(headline);
    log.info(headline);
    if (podLines.length > 0) {
      try {
        const pod = decodePod(podLines);
        if (/^game \d+ begins:/.test(headline)) game = pod.label;
        else if (/^game \d+ (move \d+|ends):/.test(headline)) {
          const picture = drawView(game, pod) ?? drawView(pod.label, pod);
          for (const line of picture?.split("\n") ?? []) log.info(`  ${line}`);
        }
      } catch (error) {
        // A stream we cannot draw is still worth watching: say why, and go on.
        if (!(error instanceof PodError || error instanceof ViewError)) throw error;
        log.warn(`cannot draw the ${game || "game"} state: ${error.message}`);
      }
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
