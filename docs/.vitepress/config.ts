// The docs as a website (VitePress). The pages are the Markdown files as GitHub shows them:
// the site reads them from the repository root, so every relative link a page has on GitHub
// (`reqrep.md`, `../packages/reqrep/exercises/01-client-timeout/TASK.md`) works here too.
// `pnpm docs:dev` serves it with live reload, `pnpm docs:build` writes docs/.vitepress/dist,
// `pnpm docs:preview` serves that build.
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitepress";
import { courseSidebar } from "./course.ts";
import {
  isPage,
  type Linked,
  linkedFiles,
  renderFilePage,
  renderListing,
  sourceHref,
} from "./sources.ts";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const docsModules = join(repoRoot, "docs", "node_modules");
// Two sockets and a message between them, as the tab's icon.
const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="7" cy="16" r="6" fill="#3451b2"/><circle cx="25" cy="16" r="6" fill="#3451b2"/><path d="M13 16h6" stroke="#3451b2" stroke-width="3"/></svg>',
)}`;

export default defineConfig({
  title: "zmq-patterns",
  description:
    "The ZeroMQ Guide's patterns in TypeScript: small, runnable, tested packages on zeromq.js v6.",
  srcDir: "..",
  // The pages: docs/, the exercise sheets, the helpers' README, CONTRIBUTING and the README.
  srcExclude: [
    "**/CHANGELOG.md",
    ".changeset/**",
    "docs/tools/**",
    "docs/.screenshots/**",
    "tmp/**",
    "packages/*/src/**",
    "packages/*/interop/**",
    "packages/*/data/**",
  ],
  rewrites: { "docs/index.md": "index.md" },
  head: [["link", { rel: "icon", type: "image/svg+xml", href: FAVICON }]],
  // The README names the dev server's address (localhost) for the reader; every other dead
  // link fails the build.
  ignoreDeadLinks: "localhostLinks",
  lastUpdated: false,
  cleanUrls: false,
  themeConfig: {
    nav: [
      { text: "Start", link: "/" },
      { text: "The patterns", link: "/docs/README" },
      { text: "Performance", link: "/docs/performance" },
      { text: "Contributing", link: "/CONTRIBUTING" },
    ],
    sidebar: courseSidebar(join(repoRoot, "docs", "README.md")),
    search: { provider: "local" },
    outline: { level: [2, 3], label: "On this page" },
    docFooter: { prev: "Previous", next: "Next" },
  },
  markdown: {
    config(md) {
      // ```mermaid blocks (GitHub draws them) become <Mermaid> (theme/mermaid.ts draws them here).
      const fence = md.renderer.rules.fence!;
      md.renderer.rules.fence = (tokens, index, options, env, self) => {
        const token = tokens[index]!;
        if (token.info.trim() === "mermaid") {
          return `<Mermaid code="${encodeURIComponent(token.content)}" />\n`;
        }
        return fence(tokens, index, options, env, self);
      };
      // A link to a file that is not a page (a role's source, a package folder) goes to a plain
      // view of that file written beside the site (see buildEnd), outside VitePress's router.
      const linkOpen = md.renderer.rules.link_open!;
      md.renderer.rules.link_open = (tokens, index, options, env, self) => {
        const token = tokens[index]!;
        const href = token.attrGet("href");
        const page = (env as { path?: string }).path;
        if (href && page) {
          const target = sourceHref(repoRoot, page, href);
          if (target) {
            token.attrSet("href", target);
            token.attrSet("target", "_self");
            return self.renderToken(tokens, index, options);
          }
        }
        return linkOpen(tokens, index, options, env, self);
      };
    },
  },
  buildEnd(site) {
    writeSourceViews(site.outDir);
    copyMermaid(join(site.outDir, "mermaid"));
  },
  vite: {
    // Pages outside docs/ (CONTRIBUTING.md, the exercise sheets) import Vue like every page:
    // from the docs package, the only one that depends on it.
    resolve: { alias: [{ find: /^vue($|\/)/, replacement: `${join(docsModules, "vue")}$1` }] },
  },
});

/** Mermaid's own ES build (the entry and its chunks, no source maps), loaded by theme/mermaid.ts. */
function copyMermaid(out: string) {
  const dist = join(docsModules, "mermaid", "dist");
  cpSync(join(dist, "mermaid.esm.min.mjs"), join(out, "mermaid.esm.min.mjs"));
  cpSync(join(dist, "chunks", "mermaid.esm.min"), join(out, "chunks", "mermaid.esm.min"), {
    recursive: true,
    filter: (source) => !source.endsWith(".map"),
  });
}

/** Writes the plain views of every linked source file and folder into the built site. */
function writeSourceViews(outDir: string) {
  const done = new Set<string>();
  const write = (linked: Linked) => {
    if (done.has(linked.path)) return;
    done.add(linked.path);
    const absolute = join(repoRoot, linked.path);
    const out = join(outDir, linked.path);
    if (linked.kind === "dir") {
      const files = walk(absolute).map((file) => relative(repoRoot, file));
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, "index.html"), renderListing(linked.path, files));
      for (const file of files) if (!isPage(file)) write({ kind: "file", path: file });
    } else {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(`${out}.html`, renderFilePage(linked.path, readFileSync(absolute, "utf8")));
    }
  };
  for (const linked of linkedFiles()) write(linked);
}

const SKIP = new Set(["node_modules", ".turbo", "data", "dist", "cache", ".vitest-report.json"]);
function walk(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !SKIP.has(name))
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
}
