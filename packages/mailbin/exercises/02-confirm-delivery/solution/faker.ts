// Exercise 02, reference solution: a faker that makes sure the bin stored its posts, and sends
// again those it did not. At-least-once delivery from the faker, plus the bin skipping ids it
// already has, gives each post stored exactly once.
import { setTimeout as sleep } from "node:timers/promises";
import { roleLog } from "@zmq-patterns/helpers";
import { Push } from "zeromq";
import { ask } from "#exercises/02-confirm-delivery/ask.ts";
import { type FakePost, fakePost, seededRandom } from "#src/faker.ts";

export interface ConfirmingFakerOptions {
  /** The mail bin's PULL endpoint(s), as for src/faker.ts. */
  connect: string[];
  /** The mail bin's stats endpoint, where `has <id>` is answered yes or no. */
  statsConnect: string;
  posts: number;
  /** Names the posts (`<name>-1`...) and seeds the fake data, as in src/faker.ts. */
  name: string;
  /** How long to wait for each answer from the stats socket. */
  timeoutMs: number;
  /** How long to let posts travel before asking whether they arrived. */
  pauseMs: number;
  /** Check-and-resend rounds before giving up. */
  rounds: number;
}

export interface ConfirmingFakerResult {
  /** Every send, resends included. */
  sent: number;
  resent: number;
  /** True once the bin has said yes to every post. */
  confirmed: boolean;
}

export async function runConfirmingFaker(
  options: ConfirmingFakerOptions,
): Promise<ConfirmingFakerResult> {
  const log = roleLog(options.name);
  const random = seededRandom(options.name);
  const posts = Array.from({ length: options.posts }, (_, n) =>
    fakePost(random, `${options.name}-${n + 1}`, 0),
  );
  const socket = new Push({ linger: 1000 });
  for (const endpoint of options.connect) socket.connect(endpoint);
  for (const post of posts) await socket.send(post.body);

  /** The posts the bin does not have (yet), or undefined when the bin does not answer. */
  const notStored = async (candidates: FakePost[]): Promise<FakePost[] | undefined> => {
    const missing: FakePost[] = [];
    for (const post of candidates) {
      const answer = await ask(options.statsConnect, `has ${post.id}`, options.timeoutMs);
      if (answer === undefined) return undefined;
      if (answer !== "yes") missing.push(post);
    }
    return missing;
  };

  let unconfirmed = posts;
  let resent = 0;
  for (let round = 1; round <= options.rounds && unconfirmed.length > 0; round++) {
    await sleep(options.pauseMs); // asking too early only costs a resend the bin will skip
    const missing = await notStored(unconfirmed);
    if (!missing) {
      log.warn(`no answer from the stats socket in ${options.timeoutMs} ms; giving up`);
      break;
    }
    if (missing.length > 0) {
      log.info(`round ${round}: ${missing.length} posts not stored; sending them again`);
      for (const post of missing) await socket.send(post.body);
      resent += missing.length;
    }
    unconfirmed = missing;
  }

  socket.close();
  const confirmed = unconfirmed.length === 0;
  log.info(`${confirmed ? "confirmed" : "NOT confirmed"}: ${posts.length} posts, ${resent} resent`);
  return { sent: posts.length + resent, resent, confirmed };
}
