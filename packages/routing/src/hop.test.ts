import { EPHEMERAL, handshakes, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Request } from "zeromq";
import { hopDefaults, runHop } from "./hop.ts";
import { MAX_FRAME_BYTES } from "./protocol.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a hop", () => {
  it("drops replies it cannot route (no body, unknown id, an oversized frame's sender is cut off) and keeps serving", async () => {
    const log = watchLog();
    const hop = startRole(runHop, {
      ...hopDefaults,
      frontend: [EPHEMERAL],
      backend: [EPHEMERAL],
      show: false,
    });
    const [front, back] = await hop.ready;
    // A fake server on the backend: it answers garbage first, then the real reply.
    const server = new Dealer({ linger: 0 });
    server.connect(back!);
    const client = new Request({ linger: 0 });
    client.connect(front!);
    await client.send("Hello");
    const [clientId, delimiter, body] = await server.receive();
    expect([String(delimiter), String(body)]).toEqual(["", "Hello"]);

    await server.send([clientId!]); // an id and nothing else
    await log.waitFor(/W: reply of 1 frame\(s\) has no address and body; dropped/);
    await server.send([Buffer.from("nobody-here"), "", "lost"]); // an id the hop never saw
    await log.waitFor(/W: reply for "nobody-here", no client of this hop; dropped/);

    // A client that sends a frame over the limit is disconnected by libzmq; the hop carries on.
    const big = new Dealer({ linger: 0 });
    const cutOff = new Promise((resolve) => big.events.on("disconnect", resolve));
    big.connect(front!);
    await big.send(["", Buffer.alloc(MAX_FRAME_BYTES + 1)]);
    await cutOff;
    big.close();

    await server.send([clientId!, "", "World"]);
    expect(String(await client.receive())).toBe("World");
    // A message without a delimiter is not the hop's business: it passes it on untouched.
    const dealer = new Dealer({ linger: 0 });
    dealer.connect(front!);
    await dealer.send("no delimiter");
    const [dealerId, passed] = await server.receive();
    expect(String(passed)).toBe("no delimiter");
    await server.send([dealerId!, "answered anyway"]);
    expect((await dealer.receive()).map(String)).toEqual(["answered anyway"]);

    for (const socket of [server, client, dealer]) socket.close();
    const counts = await hop.stop();
    expect(counts).toEqual({ requests: 2, replies: 2, dropped: 2 });
  });

  it("whose backend connects (>endpoint): a frame over the limit from there costs it that connection, and it connects again", async () => {
    const log = watchLog();
    const server = new Dealer({ linger: 0 }); // a fake server, bound, for the backend to connect to
    await server.bind(EPHEMERAL);
    const connectedTwice = handshakes(server, 2); // the hop's first connection, then a new one
    const hop = startRole(runHop, {
      ...hopDefaults,
      frontend: [EPHEMERAL],
      backend: [`>${server.lastEndpoint}`],
      show: false,
    });
    const [front] = await hop.ready;
    await server.send(Buffer.alloc(MAX_FRAME_BYTES + 1)); // libzmq drops the connection
    await connectedTwice; // without our reconnect, never: requests would wait in the hop for ever
    const client = new Request({ linger: 0 });
    client.connect(front!);
    await client.send("Hello");
    const [clientId, delimiter, body] = await server.receive();
    expect([String(delimiter), String(body)]).toEqual(["", "Hello"]);
    await server.send([clientId!, "", "World"]);
    expect(String(await client.receive())).toBe("World");
    expect(log.text()).toMatch(
      /\[hop\] W: libzmq dropped the connection to tcp:\/\/\S+ \(a frame over 65536 bytes, or another protocol error\) and will not reconnect it: connecting again/,
    );
    for (const socket of [server, client]) socket.close();
    expect(await hop.stop()).toEqual({ requests: 1, replies: 1, dropped: 0 });
  });
});
