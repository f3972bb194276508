import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docsDir, extractRegion, pages, renderPage, repoRoot, stalePages } from "./embed.ts";

const patternPackages = readdirSync(join(repoRoot, "packages")).filter(
  (name) => name !== "helpers" && existsSync(join(repoRoot, "packages", name, "package.json")),
);

describe("the docs", () => {
  it("show exactly the code in the source files (run `pnpm docs:sync` after changing a role)", () => {
    expect(stalePages()).toEqual([]);
  });

  it("give every pattern package its own page, listed in docs/README.md and the README", () => {
    const index = readFileSync(join(docsDir, "README.md"), "utf8");
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    for (const name of patternPackages) {
      expect(pages(), `docs/${name}.md`).toContain(`${name}.md`);
      expect(index, `docs/README.md links ${name}`).toContain(`(${name}.md)`);
      expect(readme, `README.md links docs/${name}.md`).toContain(`(docs/${name}.md)`);
    }
  });

  it("link only to files that exist", () => {
    for (const name of pages()) {
      const text = readFileSync(join(docsDir, name), "utf8");
      for (const [, target] of text.matchAll(/\]\(((?:\.\.\/|\.\/)?[\w./-]+)(?:#[\w-]+)?\)/g)) {
        if (!target || target.startsWith("http")) continue;
        expect(existsSync(join(docsDir, target)), `${name} links ${target}`).toBe(true);
      }
    }
  });
});

describe("the embed tool", () => {
  it("takes one region of a file, unindented", () => {
    const source = "a\n  // #region loop\n  for (;;) {\n    x();\n  }\n  // #endregion\nb";
    expect(extractRegion(source, "loop", "test")).toBe("for (;;) {\n  x();\n}");
  });

  it("names the page and the file when an embed points nowhere", () => {
    expect(() => renderPage("<!-- embed: packages/nope.ts -->\n<!-- /embed -->", "x.md")).toThrow(
      "x.md: embed packages/nope.ts: no such file",
    );
  });
});
