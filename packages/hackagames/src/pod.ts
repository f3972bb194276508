// The HackaGames "Pod": a tree of nodes, each a label, some integers, some float values and
// children, written as text one node per line, depth first (HackaGames 0.5):
//
//   <label length> <n integers> <n values> <n children> : <label> <integers...> <values...>
//
//   8 0 0 2 : 421-Solo           the root, with 2 children (the next lines)
//   7 1 0 0 : Horizon 2          label "Horizon", one integer: 2
//   5 3 1 0 : Dices 6 4 1 800.0  label "Dices", three integers and one value
//
// The label length comes first so that a label may hold spaces ("Hello player" in
// `12 1 0 0 : Hello player 1`). Values are floats and are written with a decimal point (800.0).

export interface Pod {
  label: string;
  integers: number[];
  values: number[];
  children: Pod[];
}

export const pod = (
  label: string,
  integers: number[] = [],
  values: number[] = [],
  children: Pod[] = [],
): Pod => ({ label, integers, values, children });

/** Text that is not a Pod; the message names the line and what was wrong with it. */
export class PodError extends Error {}

const HEADER = /^(\d+) (\d+) (\d+) (\d+) : /;
const INTEGER = /^-?\d+$/;
const FLOAT = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
/** A Pod is small: this bounds the work a hostile message can cause. */
const MAX_NODES = 1000;

/** A float as HackaGames writes it: always with a decimal point (800 -> "800.0"). */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) throw new PodError(`value ${value} is not a finite number`);
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** The Pod as text, one line per node, depth first, no trailing newline. */
export function encodePod(node: Pod): string {
  return encodeLines(node).join("\n");
}

function encodeLines(node: Pod): string[] {
  return [podLine(node), ...node.children.flatMap(encodeLines)];
}

/** The node's own line (its children, if any, follow on the next lines). */
export function podLine(node: Pod): string {
  if (/[\r\n]/.test(node.label))
    throw new PodError(`label ${JSON.stringify(node.label)} has a newline`);
  for (const integer of node.integers) {
    if (!Number.isSafeInteger(integer)) throw new PodError(`${integer} is not an integer`);
  }
  const length = [...node.label].length; // characters, as HackaGames counts them
  const head = `${length} ${node.integers.length} ${node.values.length} ${node.children.length} : ${node.label}`;
  const numbers = [...node.integers.map(String), ...node.values.map(formatValue)];
  return [head, ...numbers].join(" ");
}

/**
 * Reads a Pod from its text (or its lines). Strict: every line must be well formed, every
 * announced child must be there, and nothing but empty lines may follow the Pod.
 */
export function decodePod(text: string | string[]): Pod {
  const lines = typeof text === "string" ? text.split("\n") : text;
  const reader = { lines, next: 0, nodes: 0 };
  const root = readNode(reader);
  const extra = lines.slice(reader.next).findIndex((line) => line.trim() !== "");
  if (extra >= 0) {
    const number = reader.next + extra + 1;
    throw new PodError(`line ${number}: unexpected text after the Pod: ${show(lines[number - 1])}`);
  }
  return root;
}

interface Reader {
  lines: string[];
  next: number;
  nodes: number;
}

function readNode(reader: Reader): Pod {
  const number = reader.next + 1;
  const line = reader.lines[reader.next];
  if (line === undefined) throw new PodError(`line ${number}: missing (a node was announced)`);
  reader.next += 1;
  reader.nodes += 1;
  if (reader.nodes > MAX_NODES) throw new PodError(`more than ${MAX_NODES} nodes`);

  const header = HEADER.exec(line);
  if (!header) {
    throw new PodError(
      `line ${number}: expected "<label length> <integers> <values> <children> : <label> ...", got ${show(line)}`,
    );
  }
  const [labelLength, integerCount, valueCount, childCount] = header.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const afterHeader = [...line.slice(header[0].length)];
  if (afterHeader.length < labelLength) {
    throw new PodError(`line ${number}: label of ${labelLength} characters runs past the end`);
  }
  const label = afterHeader.slice(0, labelLength).join("");
  const rest = afterHeader.slice(labelLength).join("");
  const numbers = rest === "" ? [] : rest.startsWith(" ") ? rest.slice(1).split(" ") : null;
  if (numbers === null) {
    throw new PodError(`line ${number}: label ${JSON.stringify(label)} is not followed by a space`);
  }
  if (numbers.length !== integerCount + valueCount) {
    throw new PodError(
      `line ${number}: expected ${integerCount} integers and ${valueCount} values, got ${show(rest.trim())}`,
    );
  }
  const integers = numbers.slice(0, integerCount).map((word) => {
    if (!INTEGER.test(word)) throw new PodError(`line ${number}: ${show(word)} is not an integer`);
    return Number(word);
  });
  const values = numbers.slice(integerCount).map((word) => {
    if (!FLOAT.test(word)) throw new PodError(`line ${number}: ${show(word)} is not a number`);
    return Number(word);
  });
  const children: Pod[] = [];
  for (let child = 0; child < childCount; child++) children.push(readNode(reader));
  return { label, integers, values, children };
}

const show = (text: string | undefined): string => JSON.stringify((text ?? "").slice(0, 60));

/** The first child with this label, if any (states name their parts: Horizon, Dices...). */
export const childNamed = (node: Pod, label: string): Pod | undefined =>
  node.children.find((child) => child.label === label);
