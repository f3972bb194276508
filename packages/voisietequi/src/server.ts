// Command server: publishes a "configure" command to every computer (PUB) and collects their
// answers (PULL) until every known computer has answered or a quiet period passes.
// Talks to: computer.ts (SUB + PUSH), which learns from the command where to answer and where saver.ts is.
// Run: pnpm --filter voisietequi command-server [--bind tcp://*:5556] [--answers tcp://*:5557] [--saver tcp://*:5558] [--rounds 0]
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Publisher, Pull } from "zeromq";
import {
  ANSWER_PORT,
  COMMAND_PORT,
  COMMAND_TOPIC,
  CONFIGURE,
  type Configuration,
  ERROR_PREFIX,
  MAX_MESSAGE_BYTES,
  OK,
  POSITIVE_NUMBER,
  problemWithComputerId,
  SAVER_PORT,
} from "./protocol.ts";

export const serverDefaults = {
  /** Where commands are published (PUB): computers connect their SUB here. */
  bind: [`tcp://*:${COMMAND_PORT}`],
  connect: [] as string[],
  /** Where answers arrive (PULL). Every command carries this address, so computers need only --bind's. */
  answers: `tcp://*:${ANSWER_PORT}`,
  /** Where computers push their results, also carried by the command; `*` = this server's host. */
  saver: `tcp://*:${SAVER_PORT}`,
  /** A new configure command this often (a computer that missed one gets the next). */
  everyMs: 5000,
  /** A round ends when every known computer has answered, or after this long without a new answer. */
  quietMs: 1000,
  /** While a round is open its command goes out again this often, for slow joiners and late starters. */
  repeatMs: 250,
  /** Stop after this many rounds; 0 = run until stopped. */
  rounds: 0,
  name: "server",
};

/** What one round found out. */
export interface RoundReport {
  command: number;
  /** Computers that answered "ok", in the order they answered. */
  answered: string[];
  /** Computers that answered "error: ...". */
  refused: string[];
  /** Known computers that did not answer; they are forgotten until they answer again. */
  missing: string[];
  closedBy: "all answered" | "quiet period";
}

export type ServerOptions = typeof serverDefaults &
  RoleControl & { onRound?: (report: RoundReport) => void };

interface Answer {
  computer: string;
  command: number;
  status: string;
}

/** Reads one answer; a string says what is wrong with it. */
export function readAnswer(frames: Buffer[], lastCommand: number): Answer | string {
  const [computer, command, status] = frames;
  if (frames.length !== 3 || !computer || !command || !status) {
    return `expected 3 frames (computer id, command id, status), got ${frames.length}`;
  }
  const badId = problemWithComputerId(computer);
  if (badId) return badId;
  if (!POSITIVE_NUMBER.test(command.toString())) {
    return `command id ${describeFrame(command)} is not a number`;
  }
  if (Number(command) > lastCommand) {
    return `answer to command ${command}, which was never sent (last: ${lastCommand})`;
  }
  const text = status.toString("utf8");
  if (text !== OK && !text.startsWith(ERROR_PREFIX)) {
    return `status ${describeFrame(status)} is neither "${OK}" nor "${ERROR_PREFIX}..."`;
  }
  return { computer: computer.toString(), command: Number(command), status: text };
}

/** The next message, "timeout" when none came before `deadline`, "stopped" once the socket is closed. */
async function receiveBefore(
  socket: Pull,
  deadline: number,
): Promise<Buffer[] | "timeout" | "stopped"> {
  if (socket.closed) return "stopped";
  socket.receiveTimeout = Math.max(1, deadline - Date.now());
  try {
    return await socket.receive();
  } catch (error) {
    if (socket.closed) return "stopped";
    if ((error as { code?: string }).code !== "EAGAIN") throw error;
    // The time-out is a timer on Node's event loop: after a stall (a busy machine) it can fire
    // before the loop has looked at the socket. An answer already waiting is not a quiet period.
    return socket.readable ? socket.receive() : "timeout";
  }
}

/** Runs rounds until stopped (or `rounds` are done); returns every round's report. */
export async function runServer(options: ServerOptions): Promise<RoundReport[]> {
  const log = roleLog(options.name);
  const commands = new Publisher({ linger: 0 });
  const answers = new Pull({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  closeOnAbort(options.signal, commands, answers);
  const commandEndpoints = await attach(commands, options, log);
  await answers.bind(options.answers);
  const answerEndpoint = answers.lastEndpoint ?? options.answers;
  log.info(`answers come back to ${answerEndpoint}`);
  options.onReady?.([...commandEndpoints, answerEndpoint]); // tests learn the real ports here

  const known = new Set<string>(); // every computer that has answered and not gone missing since
  const reports: RoundReport[] = [];
  let command = 0;

  /** Handles one answer; true when it is a first answer to the current command. */
  const take = (frames: Buffer[], round: RoundReport | undefined): boolean => {
    const answer = readAnswer(frames, command);
    if (typeof answer === "string") {
      log.warn(`bad answer: ${answer}`); // bad input never kills the server
      return false;
    }
    const { computer, status } = answer;
    const late = !round || answer.command !== round.command; // its round is over: count it next time
    if (!known.has(computer)) {
      log.info(
        `discovered ${computer}${late ? ` (late answer to command ${answer.command})` : ""}`,
      );
    }
    known.add(computer);
    if (late || round.answered.includes(computer) || round.refused.includes(computer)) return false;
    switch (status) {
      case OK:
        round.answered.push(computer);
        log.info(`${computer} answered "${OK}" to command ${round.command}`);
        break;
      default:
        round.refused.push(computer);
        log.warn(`${computer} refused command ${round.command}: ${status}`);
    }
    return true;
  };

  while (options.rounds === 0 || command < options.rounds) {
    command += 1;
    const startedAt = Date.now();
    // #region round
    const expected = [...known];
    // The computation is a stand-in: squares after odd commands, cubes after even ones.
    const configuration: Configuration = { saver: options.saver, power: 2 + ((command + 1) % 2) };
    const frames = [
      COMMAND_TOPIC,
      CONFIGURE,
      String(command),
      answerEndpoint,
      JSON.stringify(configuration),
    ];
    const round: RoundReport = {
      command,
      answered: [],
      refused: [],
      missing: [],
      closedBy: "quiet period",
    };
    log.info(`command ${command}: ${CONFIGURE} ${frames[4]} (${expected.length} known computers)`);
    await commands.send(frames); // a PUB drops it for every SUB not connected yet: we repeat it below

    let quietUntil = Date.now() + options.quietMs;
    let repeatAt = Date.now() + options.repeatMs;
    const everyoneAnswered = () =>
      expected.length > 0 &&
      expected.every((id) => round.answered.includes(id) || round.refused.includes(id));
    while (!everyoneAnswered()) {
      const received = await receiveBefore(answers, Math.min(quietUntil, repeatAt));
      if (received === "stopped") break;
      if (received !== "timeout") {
        if (take(received, round)) quietUntil = Date.now() + options.quietMs;
      } else if (Date.now() >= quietUntil) {
        break;
      } else {
        await commands.send(frames); // same command id: computers that already answered ignore it
        repeatAt = Date.now() + options.repeatMs;
      }
    }
    if (answers.closed) break; // stopped mid-round: no report
    if (everyoneAnswered()) round.closedBy = "all answered";
    round.missing = expected.filter(
      (id) => !round.answered.includes(id) && !round.refused.includes(id),
    );
    for (const id of round.missing) known.delete(id);
    // #endregion
    log.info(
      `round ${command} closed (${round.closedBy}): answered by ${round.answered.join(", ") || "nobody"}` +
        (round.refused.length ? `; refused by ${round.refused.join(", ")}` : "") +
        (round.missing.length ? `; missing ${round.missing.join(", ")}` : ""),
    );
    reports.push(round);
    options.onRound?.(round);
    if (options.rounds !== 0 && command >= options.rounds) break;

    // Until the next command is due, keep reading: late answers make their computers known.
    while (Date.now() < startedAt + options.everyMs) {
      const received = await receiveBefore(answers, startedAt + options.everyMs);
      if (received === "stopped") break;
      if (received !== "timeout") take(received, undefined);
    }
    if (answers.closed) break;
  }

  commands.close();
  answers.close();
  log.info(
    `stopped after ${reports.length} rounds; known computers: ${[...known].join(", ") || "none"}`,
  );
  return reports;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(serverDefaults);
  await runServer({ ...options, signal: stopOnSignals(options.name) });
}
