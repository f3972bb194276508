// Exercise 02, reference solution: topics that address every computer, or exactly one.
import { COMMAND_TOPIC } from "#src/protocol.ts";

/** The target of a command meant for every computer. */
export const EVERYONE = "*";

// "/" cannot occur in a computer id, so "cmd/computer-1/" is not a prefix of
// "cmd/computer-10/" nor of "cmd/computer-1.5/". Without the closing "/" it would be.
export function commandTopic(target: string): string {
  return `${COMMAND_TOPIC}/${target}/`;
}

export function subscriptionsFor(id: string): string[] {
  return [commandTopic(EVERYONE), commandTopic(id)];
}
