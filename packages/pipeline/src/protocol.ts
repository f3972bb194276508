// What travels through the pipeline. The formats are the ZeroMQ Guide's (taskvent, taskwork,
// tasksink, and taskwork2/tasksink2 for the kill signal), so each of our roles works with the
// Guide's in any language.
import { describeFrame } from "@zmq-patterns/helpers";

export const VENTILATOR_PORT = 5557; // ventilator PUSH binds: tasks go out to the workers
export const SINK_PORT = 5558; // sink PULL binds: results (and the start of a batch) come in
export const KILL_PORT = 5559; // sink PUB binds: KILL goes out when the batch is done

/** Ventilator -> sink, once, before the first task: the sink starts its clock. */
export const BATCH_START = "0";
/** Sink -> every worker (PUB/SUB), once the last result is in. */
export const KILL = "KILL";

/** A worker refuses a task that would keep it busy longer (the Guide's take 1 to 100 ms). */
export const MAX_WORKLOAD_MS = 10_000;
/** Tasks and results are a few bytes of text; a longer frame is garbage. */
export const MAX_FRAME_BYTES = 256;
/**
 * libzmq drops a peer that sends a bigger frame before our code sees it (ZMQ_MAXMSGSIZE). Per
 * frame, not per message: a message of many frames this size still arrives (and is refused as
 * not one short frame); libzmq 4.3 has no limit on a whole message.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** A worker's name travels in its results: letters, digits and . _ : - only. */
export const WORKER_NAME = /^[\w.:-]{1,64}$/;

/**
 * A task. On the wire: the workload in ms as a decimal string, `"37"` (the Guide's format), or
 * with the ventilator's --number-tasks, `"37 12"`: workload, space, task number.
 */
export interface Task {
  workloadMs: number;
  number?: number;
}

/** A result. On the wire: `"<worker> <task>"`, e.g. `"worker-2 37 12"`; the Guide's send `""`. */
export interface Result {
  /** Undefined for the Guide's workers, whose results are empty. */
  worker?: string;
  task?: Task;
}

/** What the sink can receive: the start of a batch, a result, or something it must skip. */
export type SinkMessage =
  | { kind: "start" }
  | { kind: "result"; result: Result }
  | { kind: "bad"; problem: string };

export interface Problem {
  problem: string;
}

export const formatTask = (task: Task): string =>
  task.number === undefined ? `${task.workloadMs}` : `${task.workloadMs} ${task.number}`;

export const formatResult = (worker: string, task: Task): string => `${worker} ${formatTask(task)}`;

/** How a log line names a task: "task 12 (37 ms)", or "a 37 ms task" when it has no number. */
export const describeTask = (task: Task): string =>
  task.number === undefined
    ? `a ${task.workloadMs} ms task`
    : `task ${task.number} (${task.workloadMs} ms)`;

/** The message's only frame as text, or why it is not one short text frame. */
function singleTextFrame(frames: Buffer[]): { text: string } | Problem {
  const [frame] = frames;
  if (frames.length !== 1 || !frame) return { problem: `expected 1 frame, got ${frames.length}` };
  if (frame.length > MAX_FRAME_BYTES) {
    return { problem: `frame is ${frame.length} bytes; the limit is ${MAX_FRAME_BYTES}` };
  }
  const text = frame.toString("utf8");
  if (text.includes("\uFFFD")) return { problem: `not UTF-8 text: ${describeFrame(frame)}` };
  return { text };
}

const TASK = /^(\d{1,9})(?: ([1-9]\d{0,8}))?$/;

function readTask(text: string): Task | Problem {
  const match = TASK.exec(text);
  if (!match) return { problem: `not a workload in ms: ${JSON.stringify(text)}` };
  const workloadMs = Number(match[1]);
  if (workloadMs > MAX_WORKLOAD_MS) {
    return { problem: `a workload of ${workloadMs} ms is over the ${MAX_WORKLOAD_MS} ms limit` };
  }
  return match[2] === undefined ? { workloadMs } : { workloadMs, number: Number(match[2]) };
}

/** A task as the worker reads it, or why it cannot be done. */
export function parseTask(frames: Buffer[]): Task | Problem {
  const frame = singleTextFrame(frames);
  return "problem" in frame ? frame : readTask(frame.text);
}

/** A message as the sink reads it. */
export function parseSinkMessage(frames: Buffer[]): SinkMessage {
  const frame = singleTextFrame(frames);
  if ("problem" in frame) return { kind: "bad", ...frame };
  if (frame.text === BATCH_START) return { kind: "start" };
  if (frame.text === "") return { kind: "result", result: {} }; // a Guide worker's result

  const space = frame.text.indexOf(" ");
  const worker = frame.text.slice(0, space);
  if (space < 0 || !WORKER_NAME.test(worker)) {
    return { kind: "bad", problem: `not "<worker> <task>": ${JSON.stringify(frame.text)}` };
  }
  const task = readTask(frame.text.slice(space + 1));
  if ("problem" in task) return { kind: "bad", problem: `result from ${worker}: ${task.problem}` };
  return { kind: "result", result: { worker, task } };
}
