// What travels between a HackaGames game (ROUTER) and its players (REQ): one UTF-8 text frame
// each way, lines separated by "\n". These match HackaGames 0.5, so its Python players can join
// our games unchanged (see docs/hackagames.md for the whole conversation).

export const GAME_PORT = 1400;
/** Our addition: the game publishes every move and score here (PUB), for spectators. */
export const SPECTATOR_PORT = 1401;

/** Player -> game. */
export const JOIN = "player";
export const READY = "ready";

/** Game -> player. */
export const YES = "yes";
export const NOP = "nop";
export const WAKE_UP = "wake-up";
export const PERCEPTION = "perception";
export const SLEEP = "sleep";
export const STOP = "stop";

/** Longest request the game reads; a longer one is refused with an error, the game goes on. */
export const MAX_REQUEST_BYTES = 4096;
/**
 * libzmq drops a peer that sends a frame larger than this (ZMQ_MAXMSGSIZE): our code never sees
 * it. Per frame, not per message: many frames this size in one message still arrive (and are
 * refused as malformed); libzmq 4.3 has no limit on a whole message.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** `wake-up\nplayer <seat> on <players>\n<configuration Pod>` */
export const wakeUpMessage = (seat: number, players: number, configuration: string): string =>
  `${WAKE_UP}\nplayer ${seat} on ${players}\n${configuration}`;

/** `perception\n<state Pod>`: the player's next request is its action. */
export const perceptionMessage = (state: string): string => `${PERCEPTION}\n${state}`;

/** `sleep\nresult <score>\n<state Pod>`: the game is over for this player. */
export const sleepMessage = (result: number, state: string): string =>
  `${SLEEP}\nresult ${result}\n${state}`;

/**
 * `stop`, or `stop\nerror <why>` for a player sent away: `stop\nerror protocol` answers a
 * player that speaks out of turn (as in HackaGames); we add `stop\nerror timeout`, and the
 * reason a game server or a hub gives when it stops (`the game server is stopping`).
 */
export const stopMessage = (error?: string): string => (error ? `${STOP}\nerror ${error}` : STOP);

/** What a player hears from the game, read from one reply. */
export type GameMessage =
  | { kind: "yes" }
  | { kind: "nop" }
  | { kind: "wake-up"; seat: number; players: number; configuration: string[] }
  | { kind: "perception"; state: string[] }
  | { kind: "sleep"; result: number; state: string[] }
  | { kind: "stop"; error?: string };

/** A reply from the game that is not one of the messages above. */
export class GameMessageError extends Error {}

/** Reads a reply from the game; throws a GameMessageError when it is not one we know. */
export function readGameMessage(text: string): GameMessage {
  const [command, ...rest] = text.split("\n");
  switch (command) {
    case YES:
      return { kind: "yes" };
    case NOP:
      return { kind: "nop" };
    case WAKE_UP: {
      const match = /^player (\d+) on (\d+)$/.exec(rest[0] ?? "");
      if (!match) {
        throw new GameMessageError(
          `wake-up, line 2: expected "player <i> on <N>", got ${JSON.stringify((rest[0] ?? "").slice(0, 60))}`,
        );
      }
      return {
        kind: "wake-up",
        seat: Number(match[1]),
        players: Number(match[2]),
        configuration: rest.slice(1),
      };
    }
    case PERCEPTION:
      return { kind: "perception", state: rest };
    case SLEEP: {
      const match = /^result (\S+)$/.exec(rest[0] ?? "");
      const result = Number(match?.[1]);
      if (!match || !Number.isFinite(result)) {
        throw new GameMessageError(
          `sleep, line 2: expected "result <score>", got ${JSON.stringify((rest[0] ?? "").slice(0, 60))}`,
        );
      }
      return { kind: "sleep", result, state: rest.slice(1) };
    }
    case STOP: {
      const error = /^error (.+)$/.exec(rest[0] ?? "")?.[1];
      return error ? { kind: "stop", error } : { kind: "stop" };
    }
    default:
      throw new GameMessageError(
        `line 1: expected yes, nop, wake-up, perception, sleep or stop, got ${JSON.stringify((command ?? "").slice(0, 60))}`,
      );
  }
}

// #region hub
// Step 3, the hub: players connect to the hub's ROUTER on GAME_PORT exactly as they would to a
// game (nothing above changes for them); tables (game servers started with --hub) connect a
// DEALER to the hub's second ROUTER on TABLE_PORT. Every hub<->table message starts with the
// protocol frame and a command frame; see docs/hackagames.md, "The hub<->table frames".

/** Where tables connect to the hub. */
export const TABLE_PORT = 1402;
/** First frame of every hub<->table message: the protocol and its version. */
export const TABLE_PROTOCOL = "HGT01";

/** Table -> hub: `HELLO <game> <seats> <name>`, the table's first message. */
export const HELLO = "HELLO";
/** Table -> hub: `SEATS <free>`: how many seats the table can fill now (0 while it plays). */
export const SEATS = "SEATS";
/** Table -> hub: `REPLY <player id> <text>`: the answer to that player's last request. */
export const REPLY = "REPLY";
/** Table -> hub: `BYE`: the table is stopping; the hub stops its players and forgets it. */
export const BYE = "BYE";
/** Hub -> table: `WELCOME`, the answer to HELLO: the table is in the hub's list. */
export const WELCOME = "WELCOME";
/** Hub -> table: `REQUEST <player id> <empty> <text>`: a player's request, as a ROUTER gives it. */
export const REQUEST = "REQUEST";
/** Hub -> table: `GONE <player id>`: the hub could not deliver a reply; the player has gone. */
export const GONE = "GONE";
/** Hub -> table: `DISCONNECT <reason>`: the hub does not know this table (any more): HELLO again. */
export const DISCONNECT = "DISCONNECT";
/** Both ways: `HEARTBEAT`, sent every heartbeat interval; any message counts as one. */
export const HEARTBEAT = "HEARTBEAT";

/** Guide-style defaults (the Paranoid Pirate's): a beat a second, silence of 3 beats is death. */
export const HEARTBEAT_MS = 1000;
export const HEARTBEAT_LIVENESS = 3;
/** The most seats a table may claim: more is refused as a lie (no game of ours has more than 2). */
export const MAX_SEATS = 16;
/** Longest game name a table may announce. */
export const MAX_GAME_NAME = 40;

/** What a player hears when the table it sits at is lost: `stop\nerror table lost: <why>`. */
export const tableLostMessage = (why: string): string =>
  stopMessage(`table lost: ${why.replace(/\s+/g, " ")}`);
// #endregion
