// Exercise 02: topics that let the server address every computer, or exactly one.
// The task is in TASK.md. Check your work: pnpm --filter voisietequi exercise 02

/** The target of a command meant for every computer. */
export const EVERYONE = "*";

/** The topic frame of a command for `target`: a computer id, or EVERYONE. */
export function commandTopic(target: string): string {
  // TODO: a topic that no other computer's subscriptions match.
  throw new Error(`exercise 02 is not done yet (no topic for ${target})`);
}

/** What computer `id` subscribes to: commands for everyone and for itself, nothing else. */
export function subscriptionsFor(id: string): string[] {
  // TODO: every subscription is a prefix of the topics it accepts.
  throw new Error(`exercise 02 is not done yet (no subscriptions for ${id})`);
}
