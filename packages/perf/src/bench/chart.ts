// The results as one SVG, written by hand (no charting library): a panel per benchmark, a bar
// per case at its median, and a thin line from the lowest to the highest run.
import type { BenchmarkResult } from "./benchmark.ts";
import { displayUnit, formatValue } from "./format.ts";

const WIDTH = 760;
const LABEL_WIDTH = 190;
const VALUE_WIDTH = 150;
const BAR_HEIGHT = 16;
const ROW_HEIGHT = 24;
const TITLE_HEIGHT = 34;
const PANEL_GAP = 18;
const BAR_AREA = WIDTH - LABEL_WIDTH - VALUE_WIDTH;

/** Text for SVG: the five characters XML reserves, escaped. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const round = (value: number) => Math.round(value * 10) / 10;

function panel(result: BenchmarkResult, top: number): { svg: string[]; height: number } {
  const metric = result.benchmark.metrics[0];
  const unit = displayUnit(metric.unit);
  const summaries = result.cases.map((entry) => entry.metrics[metric.unit]!);
  const scaleMax = Math.max(...summaries.map((summary) => summary.max)) || 1;
  const x = (value: number) => round(LABEL_WIDTH + (value / scaleMax) * BAR_AREA);
  const better = metric.higherIsBetter ? "higher is better" : "lower is better";
  const svg = [
    `<text x="0" y="${top + 20}" class="title">${escapeXml(result.benchmark.title)}</text>`,
    `<text x="${WIDTH}" y="${top + 20}" class="note" text-anchor="end">${escapeXml(`${unit}, ${better}`)}</text>`,
  ];
  result.cases.forEach((entry, index) => {
    const summary = summaries[index]!;
    const rowTop = top + TITLE_HEIGHT + index * ROW_HEIGHT;
    const middle = rowTop + BAR_HEIGHT / 2;
    svg.push(
      `<text x="${LABEL_WIDTH - 8}" y="${middle + 4}" text-anchor="end">${escapeXml(entry.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${rowTop}" width="${round(x(summary.median) - LABEL_WIDTH)}" height="${BAR_HEIGHT}" class="bar"/>`,
      `<line x1="${x(summary.min)}" y1="${middle}" x2="${x(summary.max)}" y2="${middle}" class="spread"/>`,
      `<text x="${WIDTH - VALUE_WIDTH + 8}" y="${middle + 4}">${escapeXml(formatValue(summary.median))}</text>`,
    );
  });
  return { svg, height: TITLE_HEIGHT + result.cases.length * ROW_HEIGHT };
}

/** The whole chart, one panel per benchmark, as an SVG document. */
export function renderChart(results: BenchmarkResult[], caption: string): string {
  const body: string[] = [];
  let top = 0;
  for (const result of results) {
    const drawn = panel(result, top);
    body.push(...drawn.svg);
    top += drawn.height + PANEL_GAP;
  }
  const height = top + 20;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(caption)}</title>`,
    "<style>.title{font-weight:bold;font-size:13px}.note{fill:#555}.bar{fill:#4878a8}.spread{stroke:#222;stroke-width:2}text{fill:#222}</style>",
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...body,
    `<text x="0" y="${height - 4}" class="note">${escapeXml(caption)}</text>`,
    "</svg>",
    "",
  ].join("\n");
}
