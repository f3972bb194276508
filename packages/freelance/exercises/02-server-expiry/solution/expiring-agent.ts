// Exercise 02, reference solution: the Freelance client agent (the lesson's src/flcliapi.ts)
// with its server expiry: a server silent for the TTL, or whose connection closed, is marked
// dead, gets no request until it answers again, and its connection is started over.
import { FreelanceClient as LessonAgent } from "#src/flcliapi.ts";

export { freelanceDefaults } from "#src/flcliapi.ts";

/** The lesson's agent with this expiry step: the agent calls it on each tick. */
export class FreelanceClient extends LessonAgent {
  protected override expireSilentServers(now: number): void {
    for (const server of this.serverByEndpoint.values()) {
      if (!server.alive || now < server.expiresAt) continue;
      server.alive = false; // dispatch skips it until it answers a ping again
      const why = server.closed ? "connection closed" : `silent for ${this.options.serverTtlMs} ms`;
      this.log.warn(`server ${server.endpoint} ${why}; marked dead`);
      // libzmq never reconnects a connection it dropped itself (a frame over maxMessageSize).
      this.reconnect(server.endpoint);
    }
  }
}
