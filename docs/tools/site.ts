// The built site, for the browser test: build it when a page or the theme is newer than the
// last build, and serve it on an ephemeral port, as a static host would.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, relative, sep } from "node:path";
import { isPage } from "../.vitepress/sources.ts";
import { docsDir, repoRoot } from "./embed.ts";

export const distDir = join(docsDir, ".vitepress", "dist");

const SKIP = new Set([
  "node_modules",
  ".git",
  ".turbo",
  "dist",
  "cache",
  "tmp",
  "data",
  ".screenshots",
]);

/** Every file of the repository the site is made from (pages, theme, linked sources). */
function siteInputs(dir = repoRoot): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name) || name === ".vitest-report.json") return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? siteInputs(path) : [path];
  });
}

/** The site's pages: every Markdown file VitePress renders, as its address on the site. */
export function sitePages(): { file: string; url: string }[] {
  return siteInputs()
    .map((path) => relative(repoRoot, path).split(sep).join("/"))
    .filter(isPage)
    .sort()
    .map((file) => ({
      file,
      url: file === "docs/index.md" ? "/" : `/${file.replace(/\.md$/, ".html")}`,
    }));
}

/** Builds the site unless the last build (turbo's cached one, say) is newer than its inputs. */
export function buildSite(): void {
  const built = join(distDir, "index.html");
  if (existsSync(built)) {
    const builtAt = statSync(built).mtimeMs;
    if (siteInputs().every((path) => statSync(path).mtimeMs <= builtAt)) return;
  }
  execFileSync("pnpm", ["exec", "vitepress", "build"], { cwd: docsDir, stdio: "pipe" });
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

/** Serves the built site on 127.0.0.1 at an ephemeral port; `close` stops it. */
export async function serveSite(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    let file = normalize(join(distDir, path));
    if (!file.startsWith(distDir)) file = join(distDir, "404.html");
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    const found = existsSync(file);
    if (!found) file = join(distDir, "404.html");
    response.writeHead(found ? 200 : 404, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    });
    response.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** Debian's (or another) Chromium, or undefined with how to get one. */
export function findChromium(): { path?: string; missing: string } {
  const candidates = [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ];
  return {
    path: candidates.find((path): path is string => !!path && existsSync(path)),
    missing:
      "no Chromium found: the browser tests are skipped. Install one with " +
      "`apt-get install -y chromium` (Debian/Ubuntu, as root; `.ci/run` does it) " +
      "or point CHROMIUM_PATH at a Chrome or Chromium binary.",
  };
}

/** The number of ```mermaid blocks in a page's Markdown. */
export const mermaidBlocks = (file: string): number =>
  readFileSync(join(repoRoot, file), "utf8").match(/^```mermaid\s*$/gm)?.length ?? 0;
