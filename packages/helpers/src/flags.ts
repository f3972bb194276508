// Command-line flags for every role, from one object of defaults.
//
//   const options = parseFlags({ bind: ["tcp://*:5555"], connect: [], workMs: 1000 });
//   // accepts: --bind tcp://*:6000 --connect tcp://host:5555 --work-ms 10 --help
//
// The type of each default decides how its flag is read: a number must parse as one, a
// boolean is a switch, a string[] may be repeated or comma-separated. camelCase names become
// kebab-case flags. Endpoints are special in one way: giving any --bind or --connect replaces
// both default lists, so `server --connect tcp://host:5555` does not also bind the default.
import { parseArgs } from "node:util";

export type FlagValue = string | number | boolean | string[];
export type FlagDefaults = Record<string, FlagValue>;

/** A flag the user got wrong; `parseFlags` prints it with the usage and exits 2. */
export class UsageError extends Error {}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** One line per flag with its default, for --help and for usage errors. */
export function usage<T extends FlagDefaults>(defaults: T): string {
  const lines = Object.entries(defaults).map(([name, value]) => {
    const shown = Array.isArray(value) ? value.join(",") || "(none)" : String(value);
    const kind = Array.isArray(value) ? " (repeatable)" : "";
    return `  --${kebab(name)}${typeof value === "boolean" ? "" : " <value>"}  default: ${shown}${kind}`;
  });
  return ["flags:", ...lines, "  --help  print this list"].join("\n");
}

/** Reads flags into a copy of `defaults`; throws UsageError on anything it cannot read. */
export function readFlags<T extends FlagDefaults>(
  defaults: T,
  argv: string[],
): T & { help: boolean } {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {
    help: { type: "boolean" },
  };
  for (const [name, value] of Object.entries(defaults)) {
    options[kebab(name)] = {
      type: typeof value === "boolean" ? "boolean" : "string",
      multiple: Array.isArray(value),
    };
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  // `pnpm <role> -- --flag` passes the "--" along; it separates nothing here.
  const args = argv[0] === "--" ? argv.slice(1) : argv;
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  const endpointsGiven = values.bind !== undefined || values.connect !== undefined;
  const result: Record<string, FlagValue> = { ...defaults, help: values.help === true };
  for (const [name, fallback] of Object.entries(defaults)) {
    const raw = values[kebab(name)];
    if (raw === undefined) {
      if (endpointsGiven && (name === "bind" || name === "connect")) result[name] = [];
      continue;
    }
    if (Array.isArray(fallback)) {
      result[name] = (raw as string[]).flatMap((item) => item.split(",")).filter(Boolean);
    } else if (typeof fallback === "number") {
      const parsed = Number(raw);
      if (raw === "" || !Number.isFinite(parsed)) {
        throw new UsageError(`--${kebab(name)} expects a number, got "${String(raw)}"`);
      }
      result[name] = parsed;
    } else {
      result[name] = raw as string | boolean;
    }
  }
  return result as T & { help: boolean };
}

/** Reads the process's flags; on --help prints the usage and exits 0, on a mistake exits 2. */
export function parseFlags<T extends FlagDefaults>(
  defaults: T,
  argv: string[] = process.argv.slice(2),
): T {
  try {
    const { help, ...flags } = readFlags(defaults, argv);
    if (help) {
      console.log(usage(defaults));
      process.exit(0);
    }
    return flags as unknown as T;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`E: ${error.message}\n${usage(defaults)}`);
    process.exit(2);
  }
}
