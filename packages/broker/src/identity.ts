// Identities and envelopes: what a ROUTER receives from a REQ, a DEALER and a peer with its own routing id.
// Talks to: itself; the ROUTER and its peers all live in this one process (inproc). The Guide's identity.
// Run: pnpm --filter broker identity [--endpoint inproc://example]
import {
  closeOnAbort,
  formatFrames,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer, Request, Router } from "zeromq";
import { IDENTITY_ENDPOINT } from "./protocol.ts";

export const identityDefaults = {
  endpoint: IDENTITY_ENDPOINT,
  /** The routing id the named peer gives itself (the Guide's "PEER2"). */
  peerId: "PEER2",
  name: "identity",
};
export type IdentityOptions = typeof identityDefaults & RoleControl;

/** Sends one message from each kind of peer; returns each message as the ROUTER received it. */
export async function runIdentity(options: IdentityOptions): Promise<Buffer[][]> {
  const log = roleLog(options.name);
  const sink = new Router({ linger: 0 });
  await sink.bind(options.endpoint);
  options.onReady?.([options.endpoint]);

  const anonymous = new Request({ linger: 0 });
  const named = new Request({ linger: 0, routingId: options.peerId });
  const dealer = new Dealer({ linger: 0 });
  const peers = [anonymous, named, dealer];
  for (const peer of peers) peer.connect(options.endpoint);
  closeOnAbort(options.signal, sink, ...peers);

  const received: Buffer[][] = [];
  const show = async (what: string) => {
    const frames = await sink.receive();
    received.push(frames);
    log.info(`${what}:\n${formatFrames(frames)}`);
  };

  try {
    // #region peers
    // A REQ with no routing id: the ROUTER makes one up (5 bytes, the first one 0), then comes
    // the empty delimiter that every REQ puts in front of its message.
    await anonymous.send("ROUTER uses a generated 5 byte identity");
    await show("from an anonymous REQ");

    // A REQ that set its routing id before connecting: the ROUTER uses it as it is.
    await named.send("ROUTER uses REQ's socket identity");
    await show(`from a REQ with routing id "${options.peerId}"`);

    // A DEALER adds nothing: no delimiter, just a generated id and the frames it sent.
    await dealer.send(["a DEALER adds no delimiter", "and may send several frames"]);
    await show("from an anonymous DEALER");

    // The way back: the first frame picks the peer, the ROUTER takes it off, the REQ wants the
    // delimiter and hands only the body to its code.
    await sink.send([options.peerId, "", `hello ${options.peerId}, by name`]);
    const [reply] = await named.receive();
    log.info(`the REQ "${options.peerId}" got back ${JSON.stringify(String(reply))}`);
    // #endregion
  } catch (error) {
    if (!sink.closed) throw error;
  } finally {
    for (const socket of [...peers, sink]) socket.close();
  }
  return received;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(identityDefaults);
  await runIdentity({ ...options, signal: stopOnSignals(options.name) });
}
