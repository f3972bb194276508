// Every `pnpm ...` command the README and the pages show, as a reader would type it, so a test
// can prove that each one names a package and a script that exist, and that each role runs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { docsDir, repoRoot } from "./embed.ts";

export type Command = { where: string; line: string; words: string[] };

/** The pages whose commands are checked: the README and every page in docs/. */
export const commandPages = (): string[] => [
  "README.md",
  ...readdirSync(docsDir)
    .filter((name) => name.endsWith(".md") && name !== "CHANGELOG.md")
    .map((name) => `docs/${name}`),
];

/** The commands in one page: in code blocks, in `inline code` and in embedded `// Run:` lines. */
export function commandsIn(where: string, text: string): Command[] {
  const found: string[] = [];
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const opens = line.match(/^\s*```(\w*)/);
    if (opens) {
      fence = fence === undefined ? (opens[1] ?? "") : undefined;
      continue;
    }
    if (fence !== undefined) {
      const code = fence === "ts" ? line.match(/^\s*\/\/ Run: (pnpm .*)$/)?.[1] : line;
      if (code) found.push(...shellCommands(code));
      continue;
    }
    for (const [, code, html] of line.matchAll(
      /`(pnpm [^`]+)`|<code>((?:npm|pnpm) [^<]+)<\/code>/g,
    )) {
      found.push(...shellCommands(code ?? html ?? ""));
    }
  }
  return found.map((line) => ({ where, line, words: line.split(/\s+/) }));
}

/** The `pnpm` commands of one shell line: comments dropped, `&&` and `;` lists split. */
function shellCommands(line: string): string[] {
  return line
    .replace(/\s#.*$/, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .split(/&&|;|\|/)
    .map((part) => part.trim())
    .filter((part) => part.startsWith("pnpm "));
}

export const allCommands = (): Command[] =>
  commandPages().flatMap((page) => commandsIn(page, readFileSync(join(repoRoot, page), "utf8")));

export type Workspace = Map<string, { dir: string; scripts: Record<string, string> }>;

/** Every workspace package by the names `--filter` takes: `reqrep` and `@zmq-patterns/reqrep`. */
export function workspace(): Workspace {
  const packages: Workspace = new Map();
  const dirs = [
    docsDir,
    ...readdirSync(join(repoRoot, "packages")).map((name) => join(repoRoot, "packages", name)),
  ];
  for (const dir of dirs) {
    const file = join(dir, "package.json");
    if (!existsSync(file)) continue;
    const { name, scripts = {} } = JSON.parse(readFileSync(file, "utf8"));
    packages.set(name, { dir, scripts });
    packages.set(name.replace(/^@[^/]+\//, ""), { dir, scripts });
  }
  return packages;
}

/** Scripts every package has, or that run the whole scenario: the rest are roles. */
export const NOT_ROLES = new Set(["start", "test", "exercise", "typecheck", "lint", "bench"]);

/** Built-in commands pnpm would run instead of a script of the same name (pnpm 10). */
// biome-ignore format: a list
export const PNPM_BUILT_INS = [
  "add", "approve-builds", "audit", "bin", "c", "cache", "cat-file", "cat-index", "config",
  "create", "dedupe", "deploy", "dlx", "docs", "doctor", "env", "exec", "fetch", "find-hash",
  "get", "help", "home", "i", "ignored-builds", "import", "info", "init", "install",
  "install-test", "it", "licenses", "link", "list", "ln", "ls", "outdated", "owner", "pack",
  "patch", "patch-commit", "patch-remove", "prune", "publish", "rb", "rebuild", "recursive",
  "remove", "restart", "rm", "root", "search", "self-update", "server", "set", "setup", "stop",
  "store", "unlink", "up", "update", "view", "why",
];

/**
 * What is wrong with one command (undefined when nothing): the package, the script, the
 * scenario or the exercise it names must exist. Returns the role to run with `--help`, if any.
 */
export function checkCommand(
  command: Command,
  packages: Workspace,
  rootScripts: Record<string, string>,
): { problem?: string; role?: { pkg: string; script: string } } {
  const words = command.words.slice(1).filter((word) => word !== "--silent");
  if (words[0] !== "--filter") {
    const [script] = words;
    if (!script) return { problem: "no command after pnpm" };
    if (["install", "i", "add", "exec", "dlx"].includes(script)) return {};
    return script in rootScripts ? {} : { problem: `no root script "${script}"` };
  }
  const [, pkg, ...rest] = words;
  if (!pkg || /^[<[]/.test(pkg)) return {}; // `pnpm --filter <pattern> ...`: a template
  const found = packages.get(pkg);
  if (!found) return { problem: `no package "${pkg}"` };
  const [first, ...args] = rest;
  const script = first === "run" ? args.shift() : first;
  if (!script || /^[<[]/.test(script)) return {};
  if (!(script in found.scripts)) return { problem: `${pkg} has no script "${script}"` };
  const argument = args.find((arg) => !arg.startsWith("-") && !arg.startsWith("["));
  if (script === "start" && argument && !(`start:${argument}` in found.scripts)) {
    return { problem: `${pkg} has no scenario "${argument}" (no script start:${argument})` };
  }
  if (script === "exercise" && argument) {
    const exercises = existsSync(join(found.dir, "exercises"))
      ? readdirSync(join(found.dir, "exercises"))
      : [];
    if (!exercises.some((name) => name.startsWith(argument))) {
      return { problem: `${pkg} has no exercise "${argument}"` };
    }
  }
  if (NOT_ROLES.has(script) || script.startsWith("start:")) return {};
  return { role: { pkg, script } };
}
