// ROUTER to ROUTER: N-to-N, where every node knows every other node's routing id in advance;
// and what a ROUTER does with a message for an id that is not connected, with and without `mandatory`.
// Talks to: its own nodes, in this process over tcp. The Guide's "ROUTER to ROUTER" and "ROUTER Error Handling".
// Run: pnpm --filter routing router-router [--nodes alice,bob,carol] [--stranger dave]
import { setTimeout as delay } from "node:timers/promises";
import {
  closeOnAbort,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Router } from "zeromq";
import { errorCode, MAX_FRAME_BYTES } from "./protocol.ts";

export const routerRouterDefaults = {
  /** Every node is a ROUTER whose routing id is its name, known to all the others. */
  nodes: ["alice", "bob", "carol"],
  /** A name nobody has connected under (yet). */
  stranger: "dave",
  name: "router-router",
};
export type RouterRouterOptions = typeof routerRouterDefaults & RoleControl;

export interface RouterRouterResult {
  /** "bob <- alice: hello bob", one per node and peer. */
  greetings: string[];
  /** Sending to the stranger without mandatory: "sent" (and gone). */
  withoutMandatory: string;
  /** ...and with mandatory: the error code. */
  withMandatory: string;
  /** The first message the stranger gets once it has connected. */
  strangerFirst: string;
}

/** A node that names itself; `mandatory` so that a send to an unknown id fails loudly. */
const node = (name: string) =>
  new Router({
    linger: 0,
    routingId: name,
    mandatory: true,
    sendTimeout: 0,
    maxMessageSize: MAX_FRAME_BYTES,
  });

/** Resolves once `socket` has completed `count` handshakes: only then may it route to those peers. */
const handshakes = (socket: Router, count: number) =>
  new Promise<void>((resolve) => {
    let seen = 0;
    if (count === 0) resolve();
    socket.events.on("handshake", () => {
      if (++seen === count) resolve();
    });
  });

/**
 * Sends to a peer that has just shaken hands. The `handshake` event comes from libzmq's I/O
 * thread; the ROUTER itself learns the new id a moment later, when it next processes commands, so
 * a send at once may still fail with EHOSTUNREACH (measured). Retry that for up to `withinMs`.
 */
export async function sendToNewPeer(
  socket: Router,
  frames: string[],
  withinMs = 2000,
): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await socket.send(frames);
    } catch (error) {
      if (errorCode(error) !== "EHOSTUNREACH" || Date.now() > deadline) throw error;
      await delay(10);
    }
  }
}

export async function runRouterRouter(options: RouterRouterOptions): Promise<RouterRouterResult> {
  const log = roleLog(options.name);
  const names = options.nodes;
  const nodes = names.map(node);
  const stranger = node(options.stranger);
  closeOnAbort(options.signal, ...nodes, stranger);
  const result: RouterRouterResult = {
    greetings: [],
    withoutMandatory: "",
    withMandatory: "",
    strangerFirst: "",
  };
  try {
    // #region mesh
    // Every node binds, and connects to each node before it: one connection per pair. A node may
    // address a peer only once that connection has shaken hands (until then the id is unknown).
    const everyoneConnected = nodes.map((socket) => handshakes(socket, nodes.length - 1));
    const endpoints: string[] = [];
    for (const socket of nodes) {
      await socket.bind("tcp://127.0.0.1:*");
      const bound = socket.lastEndpoint!; // read it now: a connect changes lastEndpoint
      for (const endpoint of endpoints) socket.connect(endpoint);
      endpoints.push(bound);
    }
    options.onReady?.(endpoints);
    await Promise.all(everyoneConnected);
    // Everybody greets everybody, by name: [peer id, body] out, [sender id, body] in.
    for (const [index, socket] of nodes.entries()) {
      for (const peer of names.filter((_, other) => other !== index)) {
        await sendToNewPeer(socket, [peer, `hello ${peer}, from ${names[index]}`]);
      }
    }
    for (const [index, socket] of nodes.entries()) {
      for (let n = 1; n < nodes.length; n++) {
        const [from, body] = await socket.receive();
        result.greetings.push(`${names[index]} <- ${from}: ${body}`);
        log.info(`${names[index]} got "${body}" from "${from}"`);
      }
    }
    // #endregion

    // #region mandatory
    // A message for an id that is not connected. Without mandatory, the ROUTER drops it, and the
    // send succeeds as if all were well.
    const [first] = nodes;
    first!.mandatory = false;
    await first!.send([options.stranger, "are you there? (sent without mandatory)"]);
    result.withoutMandatory = "sent";
    log.info(`${names[0]} -> "${options.stranger}" without mandatory: sent, and dropped`);
    // With mandatory, the same send fails with EHOSTUNREACH: now the sender knows.
    first!.mandatory = true;
    try {
      await first!.send([options.stranger, "are you there? (sent with mandatory)"]);
      result.withMandatory = "sent";
    } catch (error) {
      result.withMandatory = errorCode(error) ?? String(error);
      log.warn(`${names[0]} -> "${options.stranger}" with mandatory: ${result.withMandatory}`);
    }
    // The stranger arrives. What it gets first proves the earlier message was dropped, not queued.
    const strangerHere = handshakes(first!, 1);
    stranger.connect(endpoints[0]!);
    await strangerHere;
    await sendToNewPeer(first!, [options.stranger, `welcome, ${options.stranger}`]);
    const [from, body] = await stranger.receive();
    result.strangerFirst = String(body);
    log.info(`"${options.stranger}" connected; its first message: "${body}" from "${from}"`);
    // #endregion
  } catch (error) {
    if (!stranger.closed) throw error; // stopped (Ctrl-C)
  } finally {
    for (const socket of [...nodes, stranger]) socket.close();
  }
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(routerRouterDefaults);
  await runRouterRouter({ ...options, signal: stopOnSignals(options.name) });
}
