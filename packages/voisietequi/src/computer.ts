// Computer: takes its orders from the server (SUB), answers each new command (PUSH), and
// meanwhile computes results and pushes them to the saver (PUSH). Needs only the server's address.
// Talks to: server.ts (PUB :5556, PULL :5557) and saver.ts (PULL :5558), both learnt from the command.
// Run: pnpm --filter voisietequi computer [--connect tcp://localhost:5556] [--name computer-1] [--results 0]
import { setTimeout as sleep } from "node:timers/promises";
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
import { Push, Subscriber } from "zeromq";
import {
  COMMAND_PORT,
  COMMAND_TOPIC,
  COMPUTER_ID,
  CONFIGURE,
  type Configuration,
  ERROR_PREFIX,
  MAX_MESSAGE_BYTES,
  OK,
  POSITIVE_NUMBER,
  type ResultPayload,
  reachableEndpoint,
} from "./protocol.ts";

export const computerDefaults = {
  /** The server's command endpoint: the only address a computer needs. */
  connect: [`tcp://localhost:${COMMAND_PORT}`],
  bind: [] as string[],
  /** Label for log lines and the computer's id on the wire: unique per computer. */
  name: "computer",
  /** Time one result takes to compute. */
  workMs: 1000,
  /** Stop computing after this many results (0 = until stopped); commands are still answered. */
  results: 0,
  /** Results kept while the saver is unreachable (send high-water mark); then computing waits. */
  resultQueue: 1000,
};
export type ComputerOptions = typeof computerDefaults & RoleControl;

const ENDPOINT = /^(tcp|ipc|inproc):\/\/\S+$/;

/** A configure command: its configuration, or a string saying why it cannot be used. */
interface ConfigureCommand {
  id: string;
  answerAt: string;
  configuration: Configuration | string;
}

/** Reads a configure command; a string says why it cannot even be answered. */
export function readConfigure(frames: Buffer[]): ConfigureCommand | string {
  const [, , id, answerAt, body] = frames;
  if (frames.length !== 5 || !id || !answerAt || !body) {
    return `expected 5 frames (topic, name, id, answer endpoint, configuration), got ${frames.length}`;
  }
  if (!POSITIVE_NUMBER.test(`${id}`)) return `command id ${describeFrame(id)} is not a number`;
  if (!ENDPOINT.test(`${answerAt}`)) return `answer endpoint ${describeFrame(answerAt)} is not one`;
  return { id: `${id}`, answerAt: `${answerAt}`, configuration: readConfiguration(body) };
}

/** Reads the configuration JSON; a string says why this computer cannot use it. */
export function readConfiguration(body: Buffer): Configuration | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return `configuration is not JSON: ${describeFrame(body)}`;
  }
  const { saver, power } = (parsed ?? {}) as Partial<Configuration>;
  if (typeof saver !== "string" || !ENDPOINT.test(saver)) {
    return `configuration has no saver endpoint: ${JSON.stringify(parsed)}`;
  }
  if (typeof power !== "number" || !Number.isInteger(power) || power < 1 || power > 10) {
    return `configuration power must be an integer from 1 to 10: ${JSON.stringify(parsed)}`;
  }
  return { saver, power };
}

/** Moves `socket`'s connection from `from` to `to` (nothing to do when they are the same). */
function reconnect(socket: Push, from: string, to: string): string {
  if (from === to) return from;
  // Whatever is still queued for `from` goes with its connection.
  if (from) socket.disconnect(from);
  socket.connect(to); // a PUSH queues what we send until the connection is up
  return to;
}

/** Waits `ms`; false (at once) when the role is stopped meanwhile. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch (error) {
    if (signal?.aborted) return false;
    throw error;
  }
}

/** Answers commands and computes until stopped; returns how many results it pushed. */
export async function runComputer(options: ComputerOptions): Promise<number> {
  const log = roleLog(options.name);
  if (!COMPUTER_ID.test(options.name))
    throw new Error(`--name "${options.name}" is not a valid computer id`);
  const commands = new Subscriber({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  const answers = new Push({ linger: 0 });
  // linger 0: results still queued when the computer stops are dropped (see the docs' pitfalls).
  const results = new Push({ linger: 0, sendHighWaterMark: options.resultQueue });
  closeOnAbort(options.signal, commands, answers, results);
  commands.subscribe(COMMAND_TOPIC);
  const endpoints = await attach(commands, options, log);
  const serverEndpoint = endpoints[0]!;
  options.onReady?.(endpoints);
  log.info(`waiting for commands on topic "${COMMAND_TOPIC}"`);

  // A command frame over MAX_MESSAGE_BYTES makes libzmq drop the connection before our code sees
  // it, and libzmq 4.3 takes that for a protocol error: it never reconnects by itself. So we do,
  // whatever the reason (for a server that went away, libzmq would have retried anyway).
  commands.events.on("disconnect", ({ address }) => {
    if (commands.closed) return;
    log.warn(
      `lost the server at ${address} (gone, or it sent a frame over the limit); reconnecting`,
    );
    commands.disconnect(address);
    commands.connect(address);
  });

  results.events.on("connect", ({ address }) => log.info(`saver connected at ${address}`));
  results.events.on("disconnect", ({ address }) =>
    log.warn(
      `saver at ${address} is gone; results queue here (up to ${options.resultQueue}) until it is back`,
    ),
  );

  let current: { command: number; configuration: Configuration } | undefined;
  let markConfigured: () => void = () => {};
  const configured = new Promise<void>((resolve) => {
    markConfigured = resolve;
  });
  options.signal?.addEventListener("abort", () => markConfigured(), { once: true });

  // #region commands
  const answerCommands = async () => {
    let lastCommand = ""; // the server repeats a command until its round closes: answer it once
    let answerTo = "";
    let saver = "";
    for await (const frames of commands) {
      const name = frames[1];
      switch (name?.toString()) {
        case CONFIGURE: {
          const command = readConfigure(frames);
          if (typeof command === "string") {
            log.warn(`bad ${CONFIGURE} command: ${command}; ignoring it`);
            break;
          }
          if (command.id === lastCommand) break;
          lastCommand = command.id;
          answerTo = reconnect(
            answers,
            answerTo,
            reachableEndpoint(command.answerAt, serverEndpoint),
          );
          const { id, configuration } = command;
          if (typeof configuration === "string") {
            log.warn(`refusing command ${id}: ${configuration}`);
            await answers.send([options.name, id, `${ERROR_PREFIX}${configuration}`]);
            break;
          }
          saver = reconnect(results, saver, reachableEndpoint(configuration.saver, serverEndpoint));
          current = { command: Number(id), configuration };
          markConfigured();
          await answers.send([options.name, id, OK]);
          log.info(
            `configured by command ${id} (power ${configuration.power}, saver ${saver}); answered "${OK}"`,
          );
          break;
        }
        default:
          log.warn(`unknown command ${name ? describeFrame(name) : "(none)"}; ignoring it`);
      }
    }
  };
  // #endregion

  // #region results
  let pushed = 0;
  const computeResults = async () => {
    await configured; // no saver address and no configuration before the first command
    for (let sequence = 1; options.results === 0 || sequence <= options.results; sequence++) {
      if (!(await pause(options.workMs, options.signal)) || !current) break;
      const { command, configuration } = current;
      const payload: ResultPayload = {
        command,
        input: sequence,
        output: sequence ** configuration.power,
      };
      try {
        await results.send([options.name, String(sequence), JSON.stringify(payload)]); // waits only when the queue is full
      } catch (error) {
        if (results.closed) break;
        throw error;
      }
      pushed += 1;
      log.info(
        `result #${sequence}: ${sequence}^${configuration.power} = ${payload.output} (command ${command})`,
      );
    }
    if (!results.closed) log.info(`computed ${pushed} results; still answering commands`);
  };
  // #endregion

  try {
    await Promise.all([answerCommands(), computeResults()]);
  } catch (error) {
    if (!options.signal?.aborted) throw error; // else: a send cut short by the stop
  }
  for (const socket of [commands, answers, results]) socket.close();
  log.info(`stopped after pushing ${pushed} results`);
  return pushed;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(computerDefaults);
  await runComputer({ ...options, signal: stopOnSignals(options.name) });
}
