// Keeps the code in the docs identical to the code in the packages.
//
// A page asks for a source file (or one region of it) with a marker pair:
//
//   <!-- embed: packages/reqrep/src/server.ts -->
//   <!-- /embed -->
//   <!-- embed: packages/reqrep/src/server.ts#check-request -->   (between `// #region check-request`
//   <!-- /embed -->                                                and `// #endregion` in the file)
//
// `pnpm docs:sync` fills every pair with the file's current text; the docs test fails when a page
// is out of date, so a page can never show code that is not what runs.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const docsDir = fileURLToPath(new URL("..", import.meta.url));
export const repoRoot = join(docsDir, "..");

const EMBED = /<!-- embed: ([^\s#]+)(?:#([\w-]+))? -->\n[\s\S]*?<!-- \/embed -->/g;
const LANGUAGES: Record<string, string> = {
  ".ts": "ts",
  ".json": "json",
  ".sh": "sh",
  ".md": "md",
};

/** The lines of `text` between `// #region name` and the next `// #endregion`, unindented. */
export function extractRegion(text: string, region: string, where: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.trim() === `// #region ${region}`);
  const end = lines.findIndex(
    (line, index) => index > start && line.trim().startsWith("// #endregion"),
  );
  if (start < 0 || end < 0) throw new Error(`${where}: no region "${region}"`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((line) => line.trim()).map((line) => line.search(/\S/)));
  return body.map((line) => line.slice(indent)).join("\n");
}

/** Drops region markers from a whole-file embed: they are for the tool, not the reader. */
const withoutMarkers = (text: string) =>
  text
    .split("\n")
    .filter((line) => !/^\s*\/\/ #(end)?region\b/.test(line))
    .join("\n");

/** The page with every embed filled from the current sources. */
export function renderPage(markdown: string, pageName: string): string {
  return markdown.replace(EMBED, (_block, path: string, region: string | undefined) => {
    const where = `${pageName}: embed ${path}${region ? `#${region}` : ""}`;
    let source: string;
    try {
      source = readFileSync(join(repoRoot, path), "utf8");
    } catch {
      throw new Error(`${where}: no such file`);
    }
    const code = (region ? extractRegion(source, region, where) : withoutMarkers(source)).trimEnd();
    const link = relative(docsDir, join(repoRoot, path));
    const language = LANGUAGES[extname(path)] ?? "";
    const marker = `<!-- embed: ${path}${region ? `#${region}` : ""} -->`;
    return `${marker}\n\`\`\`${language}\n${code}\n\`\`\`\n<sub>From [${path}](${link}).</sub>\n<!-- /embed -->`;
  });
}

export const pages = (): string[] => readdirSync(docsDir).filter((name) => name.endsWith(".md"));

/** Pages whose embedded code differs from the sources. */
export function stalePages(): string[] {
  return pages().filter((name) => {
    const text = readFileSync(join(docsDir, name), "utf8");
    return renderPage(text, name) !== text;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const name of pages()) {
    const path = join(docsDir, name);
    const text = readFileSync(path, "utf8");
    const rendered = renderPage(text, name);
    if (rendered !== text) {
      writeFileSync(path, rendered);
      console.log(`[docs] updated ${name}`);
    }
  }
}
