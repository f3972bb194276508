// What travels between the command server, the computers and the saver. The ports are the
// seed's (commands PUB :5556, answers PULL :5557, saver PULL :5558); the frames are ours.
//
//   command (server PUB -> computer SUB):  ["cmd", "configure", <command id>, <answer endpoint>, <configuration JSON>]
//   answer  (computer PUSH -> server PULL): [<computer id>, <command id>, "ok" | "error: <why>"]
//   result  (computer PUSH -> saver PULL):  [<computer id>, <sequence>, <payload JSON>]

export const COMMAND_PORT = 5556;
export const ANSWER_PORT = 5557;
export const SAVER_PORT = 5558;

/** First frame of every command: computers subscribe to it. */
export const COMMAND_TOPIC = "cmd";
/** The one command the server sends: "here is how to work, and where to answer". */
export const CONFIGURE = "configure";
export const OK = "ok";
/** A refused command is answered "error: <why>". */
export const ERROR_PREFIX = "error: ";

/** What a configure command tells a computer, as JSON in the command's last frame. */
export interface Configuration {
  /** Where to push results; a `*` (or 0.0.0.0) host means "the host you reached the server on". */
  saver: string;
  /** The computation: each result is `input ** power`. */
  power: number;
}

/** What a computer pushes to the saver, as JSON in the result's last frame. */
export interface ResultPayload {
  /** The command whose configuration computed it. */
  command: number;
  input: number;
  output: number;
}

/** Computer ids: short, printable, and never containing the `#` of a result id (`computer-1#7`). */
export const COMPUTER_ID = /^[\w.@:-]{1,64}$/;
/** Command ids and result sequences: positive decimal integers. */
export const POSITIVE_NUMBER = /^[1-9]\d{0,14}$/;

/** Longest payload the saver stores; a longer one is refused with a W: line. */
export const MAX_PAYLOAD_BYTES = 4096;
/**
 * libzmq drops a peer that sends a frame larger than this, before our code sees it
 * (ZMQ_MAXMSGSIZE, set on every socket that receives). Per frame, not per message: a message of
 * many frames this size still arrives (and is refused by our checks); libzmq 4.3 has no limit
 * on a whole message.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** Why `frame` is not a computer id, or undefined when it is one. */
export function problemWithComputerId(frame: Buffer | undefined): string | undefined {
  const text = frame?.toString("utf8") ?? "";
  if (!COMPUTER_ID.test(text)) {
    const shown = frame ? JSON.stringify(text.slice(0, 70)) : "nothing";
    return `computer id ${shown} is not 1-64 of the characters A-Z a-z 0-9 _ . @ : -`;
  }
  return undefined;
}

const TCP_ENDPOINT = /^tcp:\/\/(\[[^\]]*\]|[^:/\s]+):(\d+)$/;
const ANY_HOST = new Set(["*", "0.0.0.0", "[::]", "[*]"]);

/**
 * An endpoint the server advertised, made connectable: the server binds `tcp://*:5557` and
 * cannot know its own public name, so a wildcard host is replaced by the host the computer
 * used to reach the server (`via`, e.g. tcp://192.168.1.10:5556). Other endpoints pass as they are.
 */
export function reachableEndpoint(advertised: string, via: string): string {
  const endpoint = TCP_ENDPOINT.exec(advertised);
  const server = TCP_ENDPOINT.exec(via);
  if (!endpoint || !server || !ANY_HOST.has(endpoint[1]!)) return advertised;
  return `tcp://${server[1]}:${endpoint[2]}`;
}
