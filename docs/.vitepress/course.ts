// The sidebar, in course order: the pattern table of docs/README.md, read at build time, so a
// page added to that table appears on the site with no other change.
import { readFileSync } from "node:fs";

export type CoursePage = { number: string; pattern: string; page: string };

/** The rows of docs/README.md's pattern table: `| 1 | Request-reply | [reqrep](reqrep.md) | ... |`. */
export function coursePages(readme: string): CoursePage[] {
  const rows: CoursePage[] = [];
  for (const line of readme.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const page = cells[3]?.match(/^\[[^\]]+\]\(([\w-]+)\.md\)$/)?.[1];
    if (cells[1] && cells[2] && page) rows.push({ number: cells[1], pattern: cells[2], page });
  }
  return rows;
}

export function courseSidebar(readmePath: string) {
  const pages = coursePages(readFileSync(readmePath, "utf8"));
  return [
    {
      text: "Start here",
      items: [
        { text: "What this is", link: "/" },
        { text: "The patterns, in course order", link: "/docs/README" },
      ],
    },
    {
      text: "The patterns",
      items: pages.map(({ number, pattern, page }) => ({
        text: `${number}. ${pattern}`,
        link: `/docs/${page}`,
      })),
    },
    {
      text: "Measurements",
      items: [{ text: "Performance: the figures", link: "/docs/performance" }],
    },
    {
      text: "Working on the catalog",
      items: [
        { text: "Adding a pattern", link: "/CONTRIBUTING" },
        { text: "The helpers", link: "/packages/helpers/README" },
        { text: "The README", link: "/README" },
      ],
    },
  ];
}
