import { roleLog } from "@zmq-patterns/helpers";
import { watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { curveKeyPair, Reply, Request } from "zeromq";
import { askOnce, watchHandshake } from "./ask.ts";
import { ZAP_DOMAIN, ZAP_ENDPOINT, ZAP_STATUS, type ZapStatus } from "./protocol.ts";
import { parseZapRequest, startZapHandler } from "./zap-handler.ts";

// The ZAP handler on its own, and what libzmq 4.3.5 (zeromq.js 6.8) does with each of its
// answers, and with no handler at all: the facts docs/security.md states.
afterEach(() => {
  vi.restoreAllMocks();
});

const frames = (...parts: string[]) => parts.map((part) => Buffer.from(part));

describe("parseZapRequest", () => {
  it("reads RFC 27's frames and names what is wrong with bad ones", () => {
    const request = parseZapRequest(
      frames("1.0", "7", "global", "127.0.0.1", "", "PLAIN", "admin", "secret"),
    );
    expect(request).toMatchObject({ domain: "global", address: "127.0.0.1", mechanism: "PLAIN" });
    expect(parseZapRequest(frames("1.0", "7"))).toBe("expected at least 6 frames, got 2");
    expect(parseZapRequest(frames("2.0", "7", "", "x", "", "NULL"))).toBe(
      'unknown ZAP version "2.0"',
    );
    expect(parseZapRequest(frames("1.0", "7", "", "x", "", "GSSAPI"))).toBe(
      'unknown mechanism "GSSAPI"',
    );
    expect(parseZapRequest(frames("1.0", "7", "", "x", "", "CURVE"))).toBe(
      "CURVE carries 1 credential frames, got 0",
    );
  });

  it("answers a malformed request with 500 and goes on answering", async () => {
    const log = watchLog();
    const zap = await startZapHandler(() => ({ status: ZAP_STATUS.ok, reason: "fine" }));
    const asker = new Request({ linger: 0 }); // the same (global) context: it can reach inproc
    asker.connect(ZAP_ENDPOINT);
    await asker.send(frames("1.0", "1", "global"));
    expect((await asker.receive()).map(String)).toEqual([
      "1.0",
      "1",
      "500",
      "expected at least 6 frames, got 3",
      "",
      "",
    ]);
    await asker.send(frames("1.0", "2", "global", "10.0.0.1", "", "NULL"));
    expect((await asker.receive()).map(String)).toEqual(["1.0", "2", "200", "fine", "", ""]);
    expect(log.lines).toContain("[zap] W: bad ZAP request: expected at least 6 frames, got 3");
    expect(log.lines).toContain("[zap] allowed 10.0.0.1: fine");
    asker.close();
    await zap.close();
  });
});

/** A CURVE REP server and one client: what the client gets, and what its events said. */
async function curveTrial(timeoutMs: number, before?: (endpoint: string) => Promise<void>) {
  const server = curveKeyPair();
  const socket = new Reply({
    linger: 0,
    curveServer: true,
    curveSecretKey: server.secretKey,
    zapDomain: ZAP_DOMAIN,
  });
  await socket.bind("tcp://127.0.0.1:*");
  await before?.(socket.lastEndpoint!);
  const own = curveKeyPair();
  const client = new Request({
    linger: 0,
    curveServerKey: server.publicKey,
    curvePublicKey: own.publicKey,
    curveSecretKey: own.secretKey,
  });
  const log = roleLog("client");
  const handshake = watchHandshake(client, log);
  client.connect(socket.lastEndpoint!);
  const answering = (async () => {
    for await (const [request] of socket) await socket.send(request!);
  })();
  const result = await askOnce(client, { request: "Hello", timeoutMs }, handshake, log);
  client.close();
  socket.close();
  await answering;
  return result;
}

describe("what libzmq does with each ZAP status (measured)", () => {
  it.each([
    [ZAP_STATUS.temporary, "no reply, and no ERROR for the client", []],
    [
      ZAP_STATUS.internal,
      "no reply; the client hears 'Internal error'",
      ["the server refused us: Internal error"],
    ],
  ] as [ZapStatus, string, string[]][])("%s: %s", async (status, _, problems) => {
    const zap = await startZapHandler(() => ({ status, reason: "test" }));
    const result = await curveTrial(1000);
    await zap.close();
    expect(result.reply).toBeUndefined();
    // What the client hears of the refusal: only an ERROR command says "refused" (400 and 500).
    const refusals = result.problems.filter((problem) =>
      problem.startsWith("the server refused us"),
    );
    expect(refusals, `all the client saw: ${result.problems.join("; ")}`).toEqual(problems);
  });
});

describe("with no ZAP handler bound (the pitfall)", () => {
  it("a CURVE server lets any client key in, and a PLAIN server lets nobody in", async () => {
    expect((await curveTrial(10_000)).reply).toBe("Hello");

    const plain = new Reply({ linger: 0, plainServer: true });
    await plain.bind("tcp://127.0.0.1:*");
    const client = new Request({ linger: 0, plainUsername: "anybody", plainPassword: "anything" });
    const log = roleLog("client");
    const handshake = watchHandshake(client, log);
    client.connect(plain.lastEndpoint!);
    const result = await askOnce(client, { request: "Hello", timeoutMs: 1000 }, handshake, log);
    expect(result.reply).toBeUndefined();
    client.close();
    plain.close();
  });

  it("a client connected before the handler was bound stays in: only new connections are checked", async () => {
    const server = curveKeyPair();
    const socket = new Reply({
      linger: 0,
      curveServer: true,
      curveSecretKey: server.secretKey,
      zapDomain: ZAP_DOMAIN,
    });
    await socket.bind("tcp://127.0.0.1:*");
    const answering = (async () => {
      for await (const [request] of socket) await socket.send(request!);
    })();
    const newClient = (name: string) => {
      const own = curveKeyPair();
      const client = new Request({
        linger: 0,
        curveServerKey: server.publicKey,
        curvePublicKey: own.publicKey,
        curveSecretKey: own.secretKey,
      });
      const log = roleLog(name);
      const handshake = watchHandshake(client, log);
      client.connect(socket.lastEndpoint!);
      const ask = (request: string, timeoutMs: number) =>
        askOnce(client, { request, timeoutMs }, handshake, log);
      return { client, ask };
    };
    const early = newClient("early");
    expect((await early.ask("1", 10_000)).reply).toBe("1");
    const zap = await startZapHandler(() => ({
      status: ZAP_STATUS.denied,
      reason: "nobody gets in",
    }));
    expect((await early.ask("2", 10_000)).reply).toBe("2");
    const late = newClient("late");
    expect((await late.ask("3", 1000)).reply).toBeUndefined();
    for (const { client } of [early, late]) client.close();
    socket.close();
    await answering;
    await zap.close();
  });
});
