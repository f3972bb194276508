import { describe, expect, it } from "vitest";
import { Context, Pair } from "zeromq";

describe("inproc needs one shared context", () => {
  it("a socket in another context never reaches an inproc endpoint; one in the same context does", async () => {
    const step2 = new Pair({ linger: 0 });
    await step2.bind("inproc://context-test");
    // Connected first: had it reached step 2, the PAIR would have paired with it and refused
    // the second peer below. It waits instead for a bind in its own context that never comes.
    const elsewhere = new Pair({ linger: 0, context: new Context() });
    elsewhere.connect("inproc://context-test");
    await elsewhere.send("from another context");
    const sameContext = new Pair({ linger: 0 }); // zeromq.js's global context, as every role uses
    sameContext.connect("inproc://context-test");
    await sameContext.send("from the global context");
    expect(String(await step2.receive())).toBe("from the global context");
    for (const socket of [step2, elsewhere, sameContext]) socket.close();
  });
});
