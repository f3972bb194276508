// The site in a real browser (headless Chromium through puppeteer-core): every page loads with
// no console error, draws every Mermaid diagram, links only to pages, files and anchors that
// exist, and the local search finds the patterns. Screenshots go to docs/.screenshots/.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docsDir, repoRoot } from "./embed.ts";
import { buildSite, findChromium, mermaidBlocks, serveSite, sitePages } from "./site.ts";

const chromium = findChromium();
if (!chromium.path) console.warn(`[docs] ${chromium.missing}`);
const screenshots = join(docsDir, ".screenshots");

type Visit = { errors: string[]; ids: string[]; links: string[]; svgs: number; failed: number };

describe.skipIf(!chromium.path)("the site, in Chromium", () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serveSite>>;
  const visits = new Map<string, Visit>();

  beforeAll(async () => {
    buildSite();
    site = await serveSite();
    browser = await puppeteer.launch({
      executablePath: chromium.path,
      headless: true,
      args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  /** Loads one page in a fresh tab and reads what the test checks from it. */
  async function visit(url: string, diagrams: number): Promise<Visit> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`page error: ${String(error)}`));
    page.on("response", (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    try {
      await page.goto(site.origin + url, { waitUntil: "networkidle0", timeout: 60_000 });
      await page.waitForFunction(
        (count: number) =>
          document.querySelectorAll(".mermaid-diagram > svg, .mermaid-failed").length >= count,
        { timeout: 60_000 },
        diagrams,
      );
      return { errors, ...(await readPage(page)) };
    } finally {
      await page.close();
    }
  }

  it("loads every page with no console error and every Mermaid diagram drawn", async () => {
    const pages = sitePages();
    expect(pages.map((page) => page.url)).toContain("/docs/reqrep.html");
    // Two tabs at a time: a 2-core machine draws diagrams no faster with more.
    const queue = [...pages];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        visits.set(next.url, await visit(next.url, mermaidBlocks(next.file)));
      }
    };
    await Promise.all([worker(), worker()]);
    for (const { file, url } of pages) {
      const seen = visits.get(url)!;
      expect(seen.errors, `${url}: errors`).toEqual([]);
      expect(seen.failed, `${url}: diagrams Mermaid could not draw`).toBe(0);
      expect(seen.svgs, `${url}: one SVG per \`\`\`mermaid block of ${file}`).toBe(
        mermaidBlocks(file),
      );
    }
  }, 300_000);

  it("links only to pages, files and anchors that exist", async () => {
    expect(visits.size, "the pages were loaded first").toBeGreaterThan(0);
    const broken: string[] = [];
    const checked = new Map<string, number>();
    for (const [from, seen] of visits) {
      for (const link of seen.links) {
        const target = new URL(link, site.origin + from);
        if (target.origin !== site.origin) continue;
        const path = target.pathname === "/index.html" ? "/" : target.pathname;
        const anchor = decodeURIComponent(target.hash.slice(1));
        const page = visits.get(path);
        if (page) {
          if (anchor && !page.ids.includes(anchor)) broken.push(`${from} -> ${link}: no anchor`);
          continue;
        }
        // Not a page: a source file's or a folder's view. It must be there.
        if (!checked.has(path)) checked.set(path, (await fetch(site.origin + path)).status);
        if (checked.get(path) !== 200) broken.push(`${from} -> ${link}: ${checked.get(path)}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked.size, "the pages link to source files").toBeGreaterThan(10);
  }, 120_000);

  it("finds the patterns with the local search box", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${site.origin}/`, { waitUntil: "networkidle0", timeout: 60_000 });
      const wanted = ["Hello World"];
      if (existsSync(join(repoRoot, "docs", "majordomo.md"))) wanted.push("Majordomo");
      for (const words of wanted) {
        await page.click(".VPNavBarSearch button");
        const input = await page.waitForSelector(".VPLocalSearchBox input", { timeout: 30_000 });
        await input!.type(words);
        const found = await page.waitForFunction(
          (text: string) =>
            [...document.querySelectorAll(".VPLocalSearchBox .result")].find((result) =>
              result.textContent?.toLowerCase().includes(text.toLowerCase()),
            )?.textContent,
          { timeout: 30_000 },
          words,
        );
        expect(await found.jsonValue(), `search for ${words}`).toBeTruthy();
        await page.keyboard.press("Escape");
        await page.waitForFunction(() => !document.querySelector(".VPLocalSearchBox"));
      }
    } finally {
      await page.close();
    }
  }, 120_000);

  it("writes screenshots of three pages for a person to look at", async () => {
    mkdirSync(screenshots, { recursive: true });
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 960 });
    try {
      // The home page, the first pattern (its diagrams drawn) and the chart of the figures.
      const shots = [
        { name: "home", url: "/", diagrams: 0 },
        { name: "reqrep", url: "/docs/reqrep.html", diagrams: 1 },
        { name: "performance", url: "/docs/performance.html", diagrams: 0 },
      ];
      for (const { name, url, diagrams } of shots) {
        await page.goto(site.origin + url, { waitUntil: "networkidle0", timeout: 60_000 });
        await page.waitForFunction(
          (count: number) => document.querySelectorAll(".mermaid-diagram > svg").length >= count,
          { timeout: 60_000 },
          diagrams,
        );
        const path = join(screenshots, `${name}.png`);
        await page.screenshot({ path });
        expect(existsSync(path)).toBe(true);
      }
    } finally {
      await page.close();
    }
  }, 120_000);
});

/** The ids (anchors), link targets and diagrams of the page in the tab. */
function readPage(page: Page) {
  return page.evaluate(() => ({
    ids: [...document.querySelectorAll("[id]")].map((element) => element.id),
    links: [...document.querySelectorAll("a[href]")].map(
      (link) => (link as HTMLAnchorElement).href,
    ),
    svgs: document.querySelectorAll(".mermaid-diagram > svg").length,
    failed: document.querySelectorAll(".mermaid-failed").length,
  }));
}
