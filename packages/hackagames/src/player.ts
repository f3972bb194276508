// The HackaGames player loop: a REQ socket that joins a game and then answers every message
// the game sends, until "stop". The only thing a player decides is its action; everything else
// ("ready" after yes, wake-up and sleep) is the protocol. bot.ts and human.ts are built on it.
// Talks to: game-server.ts, or an original HackaGames game (ROUTER on port 1400).
import { attach, closeOnAbort, type Logger, type RoleControl } from "@zmq-patterns/helpers";
import { Request } from "zeromq";
import { decodePod, encodePod, type Pod, pod } from "./pod.ts";
import { JOIN, READY, readGameMessage } from "./protocol.ts";

/** What a player knows when it must decide. */
export interface Turn {
  /** The state as this player sees it. */
  state: Pod;
  /** Why the game refused our last action, when it did. */
  error?: string;
  seat: number;
  players: number;
  /** The game's configuration from wake-up; its label names the game. */
  configuration: Pod;
}

export type Decide = (turn: Turn) => Pod | Promise<Pod>;

export interface PlayerOptions extends RoleControl {
  connect: string[];
  bind: string[];
}

export interface PlayerSummary {
  /** One result per game played, from each "sleep". */
  results: number[];
  /** How the session ended: "stop" from the game, "nop" (no seat), or "stopped" by us. */
  ended: "stop" | "nop" | "stopped";
  /** The reason the game gave with its stop ("protocol", "timeout"), if any. */
  error?: string;
}

/** Splits the `error ...` node the game adds to a re-asked perception off the state. */
export function takeError(state: Pod): { state: Pod; error?: string } {
  const last = state.children.at(-1);
  if (!last?.label.startsWith("error ")) return { state };
  return { state: { ...state, children: state.children.slice(0, -1) }, error: last.label.slice(6) };
}

export async function runPlayer(
  options: PlayerOptions,
  log: Logger,
  decide: Decide,
): Promise<PlayerSummary> {
  const socket = new Request({ linger: 0 });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);

  const results: number[] = [];
  let seating = { seat: 0, players: 0, configuration: pod("") }; // until the first wake-up
  let request = JOIN; // the first thing a player says
  try {
    // #region player-loop
    for (;;) {
      await socket.send(request);
      const [reply] = await socket.receive();
      const message = readGameMessage(String(reply));
      switch (message.kind) {
        case "yes":
          log.info("joined the game");
          request = READY;
          break;
        case "nop":
          log.warn("the game has no seat for us (nop)");
          return { results, ended: "nop" };
        case "wake-up":
          seating = {
            seat: message.seat,
            players: message.players,
            configuration: decodePod(message.configuration),
          };
          log.info(
            `woke up: player ${seating.seat} of ${seating.players} at ${seating.configuration.label}`,
          );
          request = READY;
          break;
        case "perception": {
          const { state, error } = takeError(decodePod(message.state));
          if (error) log.warn(`the game refused our last action: ${error}`);
          const action = await decide({ ...seating, state, ...(error ? { error } : {}) });
          log.info(`player ${seating.seat} plays ${action.label}`);
          request = encodePod(action);
          break;
        }
        case "sleep":
          results.push(message.result);
          log.info(`game over: result ${message.result}`);
          request = READY;
          break;
        case "stop": {
          const why = message.error ? ` (error ${message.error})` : "";
          log.info(`session over${why}: results ${results.join(" ") || "none"}`);
          return message.error
            ? { results, ended: "stop", error: message.error }
            : { results, ended: "stop" };
        }
      }
    }
    // #endregion
  } catch (error) {
    if (socket.closed) return { results, ended: "stopped" }; // stopped while waiting
    throw error;
  } finally {
    socket.close();
  }
}
