// Every command the docs show works as typed: its package, script, scenario and exercise exist,
// every role it names prints its flags for `--help` (one role of each package through pnpm), and no
// script of any package is named after one of pnpm's own commands (pnpm would run its own).
import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  allCommands,
  checkCommand,
  commandsIn,
  NOT_ROLES,
  PNPM_BUILT_INS,
  workspace,
} from "./commands.ts";
import { repoRoot } from "./embed.ts";

const run = promisify(execFile);
const tsxLoader = createRequire(import.meta.url).resolve("tsx");
const packages = workspace();
const rootScripts: Record<string, string> = JSON.parse(
  readFileSync(join(repoRoot, "package.json"), "utf8"),
).scripts;
const commands = allCommands();

describe("the commands in README.md and docs/*.md", () => {
  it("are found on the pages (code blocks, inline code, the roles' Run: lines)", () => {
    expect(commands.length).toBeGreaterThan(100);
    const example = commandsIn(
      "x.md",
      "Run `pnpm test`.\n```sh\nnpm i -g pnpm@10 && pnpm install   # set up\n```\n```ts\n// Run: pnpm --filter reqrep client [--connect x]\n```",
    );
    expect(example.map((command) => command.line)).toEqual([
      "pnpm test",
      "pnpm install",
      "pnpm --filter reqrep client [--connect x]",
    ]);
  });

  it("name packages, scripts, scenarios and exercises that exist", () => {
    const problems = commands.flatMap((command) => {
      const { problem } = checkCommand(command, packages, rootScripts);
      return problem ? [`${command.where}: \`${command.line}\`: ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it("run every role they name: each prints its flags for `--help`, through pnpm for one role of each package", async () => {
    const roles = new Map<string, { pkg: string; script: string }>();
    for (const command of commands) {
      const { role } = checkCommand(command, packages, rootScripts);
      if (role) roles.set(`${role.pkg} ${role.script}`, role);
    }
    expect(roles.size).toBeGreaterThan(20);
    // pnpm adds a second of CPU to each of some 90 roles. The first role of each package goes
    // through `pnpm --filter <pattern> <role> --help`, as a student types it; the others run
    // their script's own command (`tsx src/<role>.ts ...`, as node --import tsx), which is what
    // pnpm would run: no script is named after a pnpm command (the test below), so pnpm runs ours.
    const throughPnpm = new Set<string>();
    const failures: string[] = [];
    const queue = [...roles.values()];
    const runRole = (pkg: string, script: string) => {
      const { dir, scripts } = packages.get(pkg)!;
      const [tool, ...words] = scripts[script]!.split(/\s+/);
      if (throughPnpm.has(dir) && tool === "tsx") {
        return run(process.execPath, ["--import", tsxLoader, ...words, "--help"], {
          cwd: dir,
          timeout: 60_000,
        });
      }
      throughPnpm.add(dir);
      return run("pnpm", ["--filter", pkg, script, "--help"], { cwd: repoRoot, timeout: 60_000 });
    };
    // Three at a time: each is a role starting, mostly waiting on the disk.
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { pkg, script } = next;
        const typed = `pnpm --filter ${pkg} ${script} --help`;
        try {
          const { stdout } = await runRole(pkg, script);
          // parseFlags prints "flags:"; the perf tools print libzmq's "usage:" line.
          if (!/^(flags|usage):/m.test(stdout)) failures.push(`${typed}: no usage:\n${stdout}`);
        } catch (error) {
          const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
          failures.push(`${typed}: failed:\n${stdout}${stderr}`);
        }
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    expect(failures).toEqual([]);
    expect(throughPnpm.size, "packages with a role run through pnpm").toBeGreaterThan(10);
  }, 600_000);
});

describe("the packages' scripts", () => {
  it("are never named after a command of pnpm's own (pnpm would run that instead)", () => {
    // pnpm's list, from pnpm itself, checked against ours, so a new built-in cannot slip by.
    const help = execFileSync("pnpm", ["help", "--all"], { cwd: repoRoot, encoding: "utf8" });
    const listed = [...help.matchAll(/^ {2,6}(?:([a-z]+), )?([a-z][a-z-]+) {2,}\S/gm)].flatMap(
      ([, short, long]) => [short, long].filter((name): name is string => !!name),
    );
    expect(listed).toContain("bin");
    const builtIns = new Set([...PNPM_BUILT_INS, ...listed]);
    const colliding: string[] = [];
    for (const [name, { scripts }] of packages) {
      if (!name.startsWith("@")) continue;
      for (const script of Object.keys(scripts)) {
        if (NOT_ROLES.has(script) || script === "run") continue;
        if (builtIns.has(script)) colliding.push(`${name}: "${script}"`);
      }
    }
    expect(colliding).toEqual([]);
  });
});
