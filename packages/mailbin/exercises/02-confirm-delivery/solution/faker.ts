// Exercise 02, reference solution: a faker that makes sure the bin stored its posts, and sends
// again those it did not. At-least-once delivery from the faker, plus the bin skipping ids it
// already has, gives each post stored exactly once.
import { setTimeout as sleep } from "node:timers/promises";
import { roleLog } from "@zmq-patterns/helpers";
import { Push } from "zeromq";
import { type FakePost, fakePost, seededRandom } from "../../../src/faker.ts";
import { ask } from "../ask.ts";
import type { ConfirmingFakerOptions, ConfirmingFakerResult } from "../faker.ts";

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
