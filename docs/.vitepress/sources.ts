// Links from a page to something that is not a page (a role's source file, a package folder):
// on GitHub they open the file; on the site they open a plain view of it, written at build time.
import { existsSync, statSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";

export type Linked = { kind: "file" | "dir"; path: string };

const linked = new Map<string, Linked>();

/** Every file and folder a page linked to, so far. */
export const linkedFiles = (): Linked[] => [...linked.values()];

/** Markdown files that are pages of the site (the rest are shown as files). */
export function isPage(path: string): boolean {
  return (
    path.endsWith(".md") &&
    !path.endsWith("CHANGELOG.md") &&
    !/^(\.changeset|docs\/tools|packages\/[^/]+\/(src|interop|data))\//.test(path)
  );
}

/**
 * The site's address for a link `href` on the page at `page` when it points at a file or folder
 * of the repository that is not a page; undefined for pages, anchors and other sites.
 */
export function sourceHref(repoRoot: string, page: string, href: string): string | undefined {
  if (/^([a-z][a-z+.-]*:|\/\/|#)/i.test(href)) return undefined;
  const [path = "", hash] = href.split("#");
  if (!path) return undefined;
  const absolute = path.startsWith("/")
    ? resolve(repoRoot, `.${path}`)
    : resolve(dirname(page), path);
  const inRepo = relative(repoRoot, absolute);
  if (inRepo.startsWith("..") || !existsSync(absolute)) return undefined;
  const rel = inRepo.split(sep).join("/");
  const anchor = hash ? `#${hash}` : "";
  if (statSync(absolute).isDirectory()) {
    linked.set(rel, { kind: "dir", path: rel });
    return `/${rel}/${anchor}`;
  }
  if (isPage(rel)) return undefined;
  linked.set(rel, { kind: "file", path: rel });
  return `/${rel}.html${anchor}`;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const STYLE = `
  body { font: 16px/1.6 system-ui, sans-serif; margin: 0; color: #213547; background: #fff; }
  header { padding: 12px 24px; border-bottom: 1px solid #e2e2e3; display: flex; gap: 16px; align-items: baseline; }
  header a { color: #3451b2; text-decoration: none; font-weight: 600; }
  h1 { font-size: 18px; margin: 0; font-family: ui-monospace, monospace; }
  main { padding: 16px 24px; }
  pre { background: #f6f6f7; padding: 16px; border-radius: 8px; overflow-x: auto; font: 14px/1.5 ui-monospace, monospace; }
  li { font-family: ui-monospace, monospace; }
  li a { color: #3451b2; }
  @media (prefers-color-scheme: dark) {
    body { color: #dfdfd6; background: #1b1b1f; } pre { background: #202127; }
    header { border-color: #2e2e32; } header a, li a { color: #a8b1ff; }
  }`;

const frame = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} | zmq-patterns</title><style>${STYLE}</style></head>
<body><header><a href="/">zmq-patterns</a><h1>${escapeHtml(title)}</h1></header><main>${body}</main></body></html>
`;

/** A source file as a page: its text, as it is in the repository. */
export const renderFilePage = (path: string, text: string): string =>
  frame(path, `<pre><code>${escapeHtml(text)}</code></pre>`);

/** A folder as a page: its files, each linked to its own view. */
export const renderListing = (path: string, files: string[]): string =>
  frame(
    `${path}/`,
    `<ul>${files
      .map((file) => {
        const href = isPage(file) ? `/${file.replace(/\.md$/, ".html")}` : `/${file}.html`;
        return `<li><a href="${href}">${escapeHtml(file.slice(path.length + 1))}</a></li>`;
      })
      .join("")}</ul>`,
  );
