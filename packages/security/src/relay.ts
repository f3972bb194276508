// The eavesdropper: a TCP relay between a client and a server (node:net, no ZeroMQ) that passes
// every byte on and keeps a copy, as anybody on the path could. After each connection it says
// how much went each way and what text it could read in it.
// Run: pnpm --filter security relay [--route 9100=localhost:9000] (connect the client to :9100)
import { connect, createServer, type Server, type Socket } from "node:net";
import {
  isMain,
  type Logger,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { RELAY_PORT, SERVER_PORT } from "./protocol.ts";

export const relayDefaults = {
  /** "<listen port>=<server host>:<server port>", repeatable (port 0: any free port). */
  route: [`${RELAY_PORT}=localhost:${SERVER_PORT}`],
  /** Listen on this address. */
  host: "127.0.0.1",
  /** How many characters of what it read to print per connection. */
  show: 160,
  name: "relay",
};
export type RelayOptions = typeof relayDefaults & RoleControl;

/** What went through one connection. */
export interface Capture {
  toServer: Buffer[];
  toClient: Buffer[];
  /** Settles when both sides have closed. */
  closed: Promise<void>;
}

export interface Relay {
  port: number;
  captures: Capture[];
  /** Everything the clients sent, over every connection so far. */
  sentToServer(): Buffer;
  sentToClients(): Buffer;
  close(): Promise<void>;
}

/**
 * What an eavesdropper reads at a glance: the runs of 4 or more printable characters in the
 * bytes, joined by " · ". ZMTP's greeting and command names are always readable; the rest only
 * when nothing encrypts it.
 */
export function eavesdropperView(bytes: Buffer, maxChars = 160): string {
  const runs = bytes.toString("latin1").match(/[\x20-\x7e]{4,}/g) ?? [];
  const text = runs.join(" · ");
  return text.length > maxChars ? `${text.slice(0, maxChars)}...` : text;
}

/** Listens on `listenPort` and relays each connection to `target` ("host:port"), recording it. */
export async function startRelay(
  listenPort: number,
  target: string,
  options: { host?: string; log?: Logger; show?: number } = {},
): Promise<Relay> {
  const [targetHost, targetPort] = [
    target.slice(0, target.lastIndexOf(":")),
    Number(target.slice(target.lastIndexOf(":") + 1)),
  ];
  const captures: Capture[] = [];
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    const capture: Capture = { toServer: [], toClient: [], closed: Promise.resolve() };
    captures.push(capture);
    const number = captures.length;
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("error", () => socket.destroy()); // a reset on one side: close the other too
    }
    client.on("data", (chunk) => {
      capture.toServer.push(chunk);
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      capture.toClient.push(chunk);
      client.write(chunk);
    });
    const ended = (socket: Socket, other: Socket) =>
      new Promise<void>((resolve) =>
        socket.on("close", () => {
          open.delete(socket);
          other.destroy();
          resolve();
        }),
      );
    capture.closed = Promise.all([ended(client, upstream), ended(upstream, client)]).then(() => {
      const sent = Buffer.concat(capture.toServer);
      const back = Buffer.concat(capture.toClient);
      options.log?.info(
        `connection ${number} to ${target}: ${sent.length} bytes to the server, ${back.length} back; an eavesdropper reads: ${eavesdropperView(sent, options.show)}`,
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listenPort, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : listenPort;
  options.log?.info(`listening on ${options.host ?? "127.0.0.1"}:${port}, relaying to ${target}`);
  return {
    port,
    captures,
    sentToServer: () => Buffer.concat(captures.flatMap((capture) => capture.toServer)),
    sentToClients: () => Buffer.concat(captures.flatMap((capture) => capture.toClient)),
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(captures.map((capture) => capture.closed));
    },
  };
}

/** Runs every route until stopped. */
export async function runRelay(options: RelayOptions): Promise<void> {
  const log = roleLog(options.name);
  const relays: Relay[] = [];
  for (const route of options.route) {
    const [listen, target] = route.split("=");
    if (!listen || !target || !/^\d+$/.test(listen) || !/:\d+$/.test(target))
      throw new Error(`--route ${route}: expected <listen port>=<host>:<port>`);
    relays.push(
      await startRelay(Number(listen), target, { host: options.host, log, show: options.show }),
    );
  }
  options.onReady?.(relays.map((relay) => `tcp://${options.host}:${relay.port}`));
  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  await Promise.all(relays.map((relay) => relay.close()));
  log.info("stopped");
}

if (isMain(import.meta.url)) {
  const options = parseFlags(relayDefaults);
  await runRelay({ ...options, signal: stopOnSignals(options.name) });
}
