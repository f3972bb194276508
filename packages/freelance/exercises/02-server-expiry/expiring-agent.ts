// Exercise 02: the Freelance client agent (the lesson's src/flcliapi.ts) with its server expiry
// taken out: a server that has answered once counts as alive for ever, so requests keep going
// to a hung or cut-off server. Put the expiry back (TASK.md): look for TODO.
import { FreelanceClient as LessonAgent } from "#src/flcliapi.ts";

export { freelanceDefaults } from "#src/flcliapi.ts";

/** The lesson's agent, but its timer's expiry step is yours: the agent calls it on each tick. */
export class FreelanceClient extends LessonAgent {
  protected override expireSilentServers(_now: number): void {
    // TODO: every alive server whose expiresAt has passed (rename _now to now) is dead: mark it,
    //       log why, and start its connection over (TASK.md says which lines and why). You have
    //       this.serverByEndpoint (the servers), this.options, this.log and this.reconnect().
  }
}
