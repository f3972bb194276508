// Positional arguments as libzmq's perf tools read them: exactly the listed ones, else the usage
// line and exit code 1 (0 for `--help`). Sizes and counts must be whole numbers (libzmq's atoi reads "1e3" as 1;
// we refuse it rather than measure the wrong thing).
import { type ToolName, USAGE } from "./protocol.ts";

export interface ToolArgs {
  /** <bind-to> or <connect-to>; empty for the inproc tools, whose endpoint is fixed. */
  endpoint: string;
  messageSize: number;
  /** <message-count> or <roundtrip-count> */
  count: number;
}

const wholeNumber = (arg: string | undefined) => (arg && /^\d+$/.test(arg) ? Number(arg) : -1);

/** The tool's arguments, or undefined after printing libzmq's usage line (exit with code 1). */
export function readToolArgs(tool: ToolName, argv: string[]): ToolArgs | undefined {
  const hasEndpoint = !tool.startsWith("inproc_");
  const [endpoint, size, count] = hasEndpoint ? argv : ["", ...argv];
  const args = {
    endpoint: endpoint ?? "",
    messageSize: wholeNumber(size),
    count: wholeNumber(count),
  };
  if (argv.length !== (hasEndpoint ? 3 : 2) || args.messageSize < 0 || args.count < 1) {
    console.log(USAGE[tool]);
    return undefined;
  }
  return args;
}

/** After the usage line: 0 when it was asked for (`--help`), else libzmq's 1 for wrong arguments. */
export const usageExitCode = (argv: string[]): number => (argv.includes("--help") ? 0 : 1);

/**
 * Our own lines (where a tool bound, what it ignored) go to stderr, so stdout carries exactly
 * libzmq's lines and compares cleanly with theirs.
 */
export function toolLog(name: string) {
  return {
    note: (message: string) => console.error(`[${name}] ${message}`),
    warn: (message: string) => console.error(`[${name}] W: ${message}`),
  };
}
