// The HackaGames player loop: a REQ socket that joins a game and then answers every message
// the game sends, until "stop". The only thing a player decides is its action; everything else
// ("ready" after yes, wake-up and sleep) is the protocol. bot.ts and human.ts are built on it.
// A message, configuration or view it cannot read ends its session with one error line (which
// game, which line, what was expected): it closes its socket, and its role exits non-zero.
// Talks to: game-server.ts, or an original HackaGames game (ROUTER on port 1400).
import { attach, closeOnAbort, type Logger, type RoleControl } from "@zmq-patterns/helpers";
import { Request } from "zeromq";
import { ViewError } from "./games/view.ts";
import { decodePod, encodePod, type Pod, PodError, pod } from "./pod.ts";
import { GameMessageError, JOIN, READY, readGameMessage } from "./protocol.ts";

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

/** Where we are in the session: the seat and the game (from the last wake-up). */
export type Seating = Omit<Turn, "state" | "error">;

/** Optional moments a player may act on besides its decision. */
export interface PlayerHooks {
  /** At wake-up: throw a ViewError for a game or configuration this player cannot play. */
  wakeUp?(seating: Seating): void;
  /** At the end of each game, with the final view and our result. */
  sleep?(seating: Seating, result: number, state: Pod): void;
}

export interface PlayerOptions extends RoleControl {
  connect: string[];
  bind: string[];
}

export interface PlayerSummary {
  /** One result per game played, from each "sleep". */
  results: number[];
  /**
   * How the session ended: "stop" from the game, "nop" (no seat), "stopped" by us, or
   * "unreadable": the game sent something we could not read, and we left.
   */
  ended: "stop" | "nop" | "stopped" | "unreadable";
  /** The reason the game gave with its stop ("protocol", "timeout"), or what we could not read. */
  error?: string;
}

/** Splits the `error ...` node the game adds to a re-asked perception off the state. */
export function takeError(state: Pod): { state: Pod; error?: string } {
  const last = state.children.at(-1);
  if (!last?.label.startsWith("error ")) return { state };
  return { state: { ...state, children: state.children.slice(0, -1) }, error: last.label.slice(6) };
}

/** Errors that say the game sent something this player cannot read (never a bug of ours). */
const isUnreadable = (error: unknown): error is Error =>
  error instanceof PodError || error instanceof ViewError || error instanceof GameMessageError;

export async function runPlayer(
  options: PlayerOptions,
  log: Logger,
  decide: Decide,
  hooks: PlayerHooks = {},
): Promise<PlayerSummary> {
  const socket = new Request({ linger: 0 });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);

  const results: number[] = [];
  let seating: Seating = { seat: 0, players: 0, configuration: pod("") }; // until a wake-up
  let request = JOIN; // the first thing a player says
  let reading = "the game's reply"; // what we are reading, for an error line
  const naming = (kind: string) =>
    seating.configuration.label
      ? `the ${seating.configuration.label} ${kind}`
      : `the game's ${kind}`;
  try {
    // #region player-loop
    for (;;) {
      await socket.send(request);
      const [reply] = await socket.receive();
      reading = naming("reply");
      const message = readGameMessage(String(reply));
      reading = naming(message.kind);
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
          reading = naming("configuration");
          hooks.wakeUp?.(seating);
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
          if (hooks.sleep) hooks.sleep(seating, message.result, decodePod(message.state));
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
    if (!isUnreadable(error)) throw error; // a bug of ours: let it show
    // The game broke its format: one line says what, and we leave (closing the socket).
    const detail = error instanceof PodError ? `not a Pod: ${error.message}` : error.message;
    log.error(`cannot read ${reading}: ${detail}; leaving the game`);
    return { results, ended: "unreadable", error: `${reading}: ${detail}` };
  } finally {
    socket.close();
  }
}
