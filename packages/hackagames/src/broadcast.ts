// The game server's spectator stream: an XPUB socket on which every move and score is
// published, one text frame per event ("game 1 move 3: ..." and, on the next lines, the state
// as a Pod). An XPUB is a PUB that also hands us the subscriptions, so the server can wait for
// its spectators before a game starts instead of losing the first moves to the slow joiner.
// Talks to: spectator.ts (SUB), or any SUB socket.
import type { Logger } from "@zmq-patterns/helpers";
import type { XPublisher } from "zeromq";

export class Broadcast {
  private subscriptions = 0;
  private readonly waiting: { count: number; resolve: () => void }[] = [];
  private sending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly publisher: XPublisher,
    private readonly log: Logger,
  ) {}

  /** Reads subscriptions until the socket closes (first byte 1 = subscribe, 0 = unsubscribe). */
  async watch(): Promise<void> {
    for await (const [subscription] of this.publisher) {
      if (subscription?.[0] !== 1) continue;
      this.subscriptions += 1;
      this.log.info(`a spectator subscribed (${this.subscriptions} so far)`);
      for (const waiter of this.waiting.filter((w) => w.count <= this.subscriptions)) {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    for (const waiter of this.waiting.splice(0)) waiter.resolve(); // closed: stop waiting
  }

  /** Resolves once `count` subscriptions have come in (at once for 0). */
  waitFor(count: number): Promise<void> {
    if (count <= this.subscriptions || this.publisher.closed) return Promise.resolve();
    this.log.info(`waiting for ${count} spectator(s) to subscribe`);
    return new Promise((resolve) => this.waiting.push({ count, resolve }));
  }

  /** Publishes one event, after those before it (one send in flight at a time). */
  publish(event: string): void {
    this.sending = this.sending.then(async () => {
      if (this.publisher.closed) return;
      try {
        await this.publisher.send(event);
      } catch (error) {
        if (!this.publisher.closed) throw error;
      }
    });
  }
}
