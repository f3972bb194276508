import { describe, expect, it } from "vitest";
import { Dealer, Reply } from "zeromq";
import { messagesOf } from "../src/receive.ts";
import { EPHEMERAL } from "../src/testing.ts";

describe("messagesOf", () => {
  it("keeps a REP server serving after libzmq drops a request without a delimiter", async () => {
    const server = new Reply({ linger: 0 });
    await server.bind(EPHEMERAL);
    let droppedOne = () => {};
    const dropped = new Promise<void>((resolve) => {
      droppedOne = resolve;
    });
    const serving = (async () => {
      let answered = 0;
      for await (const [request] of messagesOf(server, () => droppedOne())) {
        answered += 1;
        await server.send(`answer to ${request}`);
      }
      return answered;
    })();

    const client = new Dealer({ linger: 0 }); // a DEALER may forget the REQ's delimiter
    client.connect(server.lastEndpoint!);
    await client.send(["", "one"]);
    expect((await client.receive()).map(String)).toEqual(["", "answer to one"]);
    await client.send("no delimiter"); // reaches the REP alone, while its receive is pending
    await dropped;
    await client.send(["", "two"]);
    expect((await client.receive()).map(String)).toEqual(["", "answer to two"]);

    client.close();
    server.close();
    await expect(serving).resolves.toBe(2); // the loop ended normally on close
  });
});
