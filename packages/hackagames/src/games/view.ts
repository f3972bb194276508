// For players: what to say when a view from the game is not what the game's format promises.
// A player reads a Pod it did not write; when a node is missing or wrong, the error names the
// game, the line of the Pod text (1 is the root) and what was expected there, so the message
// alone tells a student what the server sent wrong.
import { type Pod, podLine } from "../pod.ts";

/** A view (or configuration) that does not follow its game's format. */
export class ViewError extends Error {}

/** The line of `node` in the Pod text of `root` (depth first, the root is line 1). */
export function lineOf(root: Pod, node: Pod): number {
  let line = 0;
  const visit = (current: Pod): boolean => {
    line += 1;
    if (current === node) return true;
    return current.children.some(visit);
  };
  return visit(root) ? line : 0;
}

/** Throws: `<game> view, line <n>: expected <what>, got "<line>"`. */
export function wrongNode(game: string, root: Pod, node: Pod, expected: string): never {
  const got = JSON.stringify(podLine(node).slice(0, 60));
  throw new ViewError(`${game} view, line ${lineOf(root, node)}: expected ${expected}, got ${got}`);
}

/** Throws: `<game> view, line <n>: expected <what>, but the view ends after line <n - 1>`. */
export function missingNode(game: string, root: Pod, after: Pod, expected: string): never {
  const last = lineOf(root, after) + countLines(after) - 1;
  throw new ViewError(
    `${game} view, line ${last + 1}: expected ${expected}, but the view ends after line ${last}`,
  );
}

const countLines = (node: Pod): number =>
  1 + node.children.reduce((sum, child) => sum + countLines(child), 0);

/** True when every integer is a cell value: 0 (empty) or a seat (1, 2). */
export const areCells = (integers: number[]): boolean =>
  integers.every((cell) => cell === 0 || cell === 1 || cell === 2);
