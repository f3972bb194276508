import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { connect, type Socket as TcpSocket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EPHEMERAL, startRole, watchLog } from "@zmq-patterns/helpers/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { curveKeyPair, Dealer, Request } from "zeromq";
import { askDefaults } from "./ask.ts";
import { readCertificate } from "./certs.ts";
import { ironhouseClientDefaults, runIronhouseClient } from "./ironhouse-client.ts";
import { ironhouseServerDefaults, runIronhouseServer } from "./ironhouse-server.ts";
import { runKeygen } from "./keygen.ts";
import { MAX_FRAME_BYTES } from "./protocol.ts";

// Bad input on the CURVE port of an Ironhouse server: garbage, handshakes cut short, a client
// failing its handshake over and over, oversized and malformed requests. None of it may stop the
// server, and the allowed client must be served all along.
const sockets: { destroy?: () => void; close?: () => void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const socket of sockets.splice(0)) socket.destroy?.() ?? socket.close?.();
});

/** A ZMTP 3.0 greeting asking for the CURVE mechanism, as a client's (RFC 23). */
function curveGreeting(): Buffer {
  const greeting = Buffer.alloc(64);
  greeting[0] = 0xff;
  greeting[9] = 0x7f;
  greeting[10] = 3; // version 3.0
  greeting.write("CURVE", 12, "ascii"); // mechanism, zero-padded to 20 bytes
  return greeting;
}

function rawConnection(endpoint: string): Promise<TcpSocket> {
  const { hostname, port } = new URL(endpoint.replace("tcp://", "http://"));
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.on("error", reject);
    sockets.push(socket);
  });
}

describe("an Ironhouse server under bad input", () => {
  it("stays up and serves the allowed client through garbage, cut handshakes, repeated failures and bad requests", async () => {
    const log = watchLog();
    const keys = mkdtempSync(join(tmpdir(), "security-bad-"));
    runKeygen({ dir: keys, name: ["server"], publicDir: "", force: false, label: "keygen" });
    runKeygen({
      dir: keys,
      name: ["client"],
      publicDir: join(keys, "allowed"),
      force: false,
      label: "keygen",
    });
    const server = startRole(runIronhouseServer, {
      ...ironhouseServerDefaults,
      bind: [EPHEMERAL],
      cert: join(keys, "server.key_secret"),
      allowDir: join(keys, "allowed"),
    });
    const [endpoint] = await server.ready;
    const serverKey = readCertificate(join(keys, "server.key")).publicKey;
    const client = readCertificate(join(keys, "client.key_secret"));
    const ask = () =>
      runIronhouseClient({
        ...ironhouseClientDefaults,
        ...askDefaults,
        timeoutMs: 10_000,
        connect: [endpoint!],
        cert: join(keys, "client.key_secret"),
        serverKey: join(keys, "server.key"),
      });

    // Garbage instead of a greeting (libzmq drops such a connection without a handshake event:
    // measured with 4.3.5, an accept then a disconnect), with and without ZMTP's first byte.
    (await rawConnection(endpoint!)).write(randomBytes(2048));
    (await rawConnection(endpoint!)).write(Buffer.concat([Buffer.from([0xff]), randomBytes(2047)]));
    (await rawConnection(endpoint!)).write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    expect((await ask()).reply).toBe("World");

    // A greeting, then half a HELLO, then silence (left open); and one that stops after the greeting.
    const hanging = await rawConnection(endpoint!);
    hanging.write(Buffer.concat([curveGreeting(), Buffer.from([0x04, 200]), randomBytes(40)]));
    (await rawConnection(endpoint!)).end(curveGreeting());
    expect((await ask()).reply).toBe("World");

    // Clients failing their handshake again and again (a wrong server key: libzmq retries every 100 ms).
    const wrongKey = curveKeyPair();
    for (let i = 0; i < 5; i++) {
      const own = curveKeyPair();
      const impostor = new Request({
        linger: 0,
        curveServerKey: wrongKey.publicKey,
        curvePublicKey: own.publicKey,
        curveSecretKey: own.secretKey,
      });
      sockets.push(impostor);
      impostor.connect(endpoint!);
    }
    const failuresFrom = log.lines.length;
    for (let seen = failuresFrom; seen < failuresFrom + 20; )
      seen =
        (await log.waitFor(/\[ironhouse-server\] W: a handshake failed/, { since: seen })).index +
        1;
    expect((await ask()).reply).toBe("World");

    // An allowed client sending a frame over the limit: libzmq drops that connection only.
    const big = new Request({
      linger: 0,
      curveServerKey: serverKey,
      curvePublicKey: client.publicKey,
      curveSecretKey: client.secretKey!,
    });
    sockets.push(big);
    big.connect(endpoint!);
    await big.send(Buffer.alloc(MAX_FRAME_BYTES + 1));
    // An allowed client sending two frames: it is told what is wrong.
    const dealer = new Dealer({
      linger: 0,
      curveServerKey: serverKey,
      curvePublicKey: client.publicKey,
      curveSecretKey: client.secretKey!,
    });
    sockets.push(dealer);
    dealer.connect(endpoint!);
    await dealer.send(["", "one", "two"]);
    expect((await dealer.receive()).map(String)).toEqual(["", "error: expected 1 frame, got 2"]);
    expect((await ask()).reply).toBe("World");

    expect(await server.stop()).toBe(4);
  });
});
