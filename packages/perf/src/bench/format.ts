// Numbers as the results page shows them: thousands separated, three significant digits for
// small values ("18.6 µs", "1,234,567 msg/s").

export function formatValue(value: number): string {
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en");
  return Number(value.toPrecision(3)).toLocaleString("en", { maximumFractionDigits: 3 });
}

/** "us" is what libzmq prints; pages show "µs". */
export const displayUnit = (unit: string): string => (unit === "us" ? "µs" : unit);
