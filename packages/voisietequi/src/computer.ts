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

/** Reads a configure command's configuration; a string says what is wrong with it. */
export function readConfiguration(body: Buffer | undefined): Configuration | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body?.toString("utf8") ?? "");
  } catch {
    return `configuration is not JSON: ${body ? describeFrame(body) : "no frame"}`;
  }
  const { saver, power } = (parsed ?? {}) as Partial<Configuration>;
  if (typeof saver !== "string" || !/^(tcp|ipc|inproc):\/\/\S+$/.test(saver)) {
    return `configuration has no saver endpoint: ${JSON.stringify(parsed)}`;
  }
  if (!Number.isInteger(power) || power! < 1 || power! > 10) {
    return `configuration power must be an integer from 1 to 10: ${JSON.stringify(parsed)}`;
  }
  return { saver, power: power! };
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
  const commands = new Subscriber({ linger: 0 });
  const answers = new Push({ linger: 0 });
  // linger 0: results still queued when the computer stops are dropped (see the docs' pitfalls).
  const results = new Push({ linger: 0, sendHighWaterMark: options.resultQueue });
  closeOnAbort(options.signal, commands, answers, results);
  commands.subscribe(COMMAND_TOPIC);
  const endpoints = await attach(commands, options, log);
  const serverEndpoint = endpoints[0]!;
  options.onReady?.(endpoints);
  log.info(`waiting for commands on topic "${COMMAND_TOPIC}"`);

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
    let lastCommand = ""; // the server repeats each command until the round closes: answer it once
    let answerTo = "";
    let saver = "";
    for await (const [, name, commandId, answerAt, body, ...extra] of commands) {
      switch (name?.toString()) {
        case CONFIGURE: {
          const id = commandId?.toString() ?? "";
          const endpoint = answerAt?.toString() ?? "";
          if (
            !POSITIVE_NUMBER.test(id) ||
            !/^(tcp|ipc|inproc):\/\/\S+$/.test(endpoint) ||
            extra.length > 0
          ) {
            log.warn(
              `bad ${CONFIGURE} command (id ${JSON.stringify(id)}, answer to ${JSON.stringify(endpoint)}); ignoring it`,
            );
            break;
          }
          if (id === lastCommand) break;
          lastCommand = id;

          const reachable = reachableEndpoint(endpoint, serverEndpoint);
          if (reachable !== answerTo) {
            if (answerTo) answers.disconnect(answerTo);
            answers.connect(reachable); // PUSH queues the answer until this connection is up
            answerTo = reachable;
          }
          const configuration = readConfiguration(body);
          if (typeof configuration === "string") {
            log.warn(`refusing command ${id}: ${configuration}`);
            await answers.send([options.name, id, `${ERROR_PREFIX}${configuration}`]);
            break;
          }
          const saverEndpoint = reachableEndpoint(configuration.saver, serverEndpoint);
          if (saverEndpoint !== saver) {
            if (saver) results.disconnect(saver); // results still queued for the old saver are dropped
            results.connect(saverEndpoint);
            saver = saverEndpoint;
          }
          current = { command: Number(id), configuration };
          markConfigured();
          await answers.send([options.name, id, OK]);
          log.info(
            `configured by command ${id} (power ${configuration.power}, saver ${saverEndpoint}); answered "${OK}"`,
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
    if (!commands.closed && !answers.closed) throw error;
  }
  for (const socket of [commands, answers, results]) socket.close();
  log.info(`stopped after pushing ${pushed} results`);
  return pushed;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(computerDefaults);
  await runComputer({ ...options, signal: stopOnSignals(options.name) });
}
