import { describe, expect, it } from "vitest";
import { dealerDealerDefaults, runDealerDealer } from "./dealer-dealer.ts";
import { dealerRepDefaults, runDealerRep } from "./dealer-rep.ts";
import { reqRouterDefaults, runReqRouter } from "./req-router.ts";
import { routerRouterDefaults, runRouterRouter } from "./router-router.ts";

// The one-screen examples of the valid request-reply pairs, each a promise of its pattern.
describe("when to use each request-reply pair", () => {
  it("DEALER-REP: one client keeps requests at several REP servers at once, and every one is answered", async () => {
    const replies = await runDealerRep({ ...dealerRepDefaults, servers: 3, requests: 6 });
    expect(replies.map((reply) => reply.replace(/ answered.*/, "")).sort()).toEqual([
      "request 1",
      "request 2",
      "request 3",
      "request 4",
      "request 5",
      "request 6",
    ]);
    // The DEALER dealt them out in turn: every server answered two.
    for (const server of ["server-1", "server-2", "server-3"]) {
      expect(replies.filter((reply) => reply.endsWith(server))).toHaveLength(2);
    }
  });

  it("REQ-ROUTER: the server holds every client's request at once and answers in its own order", async () => {
    expect(await runReqRouter({ ...reqRouterDefaults, clients: 4 })).toEqual([
      "job 1 done",
      "job 2 done",
      "job 3 done",
      "job 4 done",
    ]);
  });

  it("DEALER-DEALER: a worker sends any number of replies to one request", async () => {
    const received = await runDealerDealer({ ...dealerDealerDefaults, counts: ["3", "0", "x"] });
    expect(received).toEqual([
      "1 of 3 (count to 3)",
      "2 of 3 (count to 3)",
      "3 of 3 (count to 3)",
      "done (count to 3)",
      "done (count to 0)",
      "error (count to x)",
    ]);
  });

  it("ROUTER-ROUTER: every node reaches every other by name; an unknown id is dropped silently, or EHOSTUNREACH with mandatory", async () => {
    const result = await runRouterRouter({
      ...routerRouterDefaults,
      nodes: ["n1", "n2", "n3", "n4"],
    });
    expect(result.greetings).toHaveLength(12);
    expect(result.greetings).toContain("n3 <- n1: hello n3, from n1");
    expect(result.greetings).toContain("n1 <- n4: hello n1, from n4");
    expect(result.withoutMandatory).toBe("sent"); // no error, and...
    expect(result.withMandatory).toBe("EHOSTUNREACH");
    // ...nothing was queued for later: the stranger's first message is the one sent after it came.
    expect(result.strangerFirst).toBe("welcome, dave");
  });
});
