// A PAIR takes one peer: a second step 1 connects to step 2 without an error, but is refused.
// Talks to: itself: step 2 and two step 1s, three PAIR sockets in one thread on inproc://step2.
// Run: pnpm --filter inproc-pair second-peer
import {
  describeFrame,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
} from "@zmq-patterns/helpers";
import { Pair } from "zeromq";
import { READY, STEP2_ENDPOINT } from "./protocol.ts";

export const secondPeerDefaults = { bind: STEP2_ENDPOINT };
export type SecondPeerOptions = typeof secondPeerDefaults & RoleControl;

/** Returns what step 2 received, in order. */
export async function runSecondPeer(options: SecondPeerOptions): Promise<string[]> {
  const step2 = new Pair({ linger: 0 });
  const first = new Pair({ linger: 0 });
  const second = new Pair({ linger: 0, sendTimeout: 0 }); // never wait to send: fail at once
  const received: string[] = [];
  const receive = async () => {
    const frames = await step2.receive();
    roleLog("step2").info(`received ${frames.map(describeFrame).join(" ")}`);
    received.push(frames.toString());
  };

  await step2.bind(options.bind);
  roleLog("step2").info(`bound to ${options.bind}`);
  first.connect(options.bind);
  await first.send(`${READY} from the first peer`);
  await receive(); // the first peer is paired with step 2 now

  second.connect(options.bind); // no error: connecting happens in the background
  roleLog("second-peer").info(`connected to ${options.bind} (no error)`);
  try {
    await second.send(`${READY} from the second peer`);
    // Taken into a pipe that step 2 refuses: it is dropped when that pipe is torn down.
    roleLog("second-peer").info("sent: the message went into a pipe step 2 refuses");
  } catch (error) {
    if ((error as { code?: string }).code !== "EAGAIN") throw error;
    roleLog("second-peer").info("cannot send: step 2 has already refused the connection");
  }

  await first.send(`${READY} again from the first peer`);
  await receive(); // only the first peer's messages ever arrive
  for (const socket of [step2, first, second]) socket.close();
  return received;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(secondPeerDefaults);
  const received = await runSecondPeer(options);
  const fromSecond = received.filter((message) => message.includes("second peer")).length;
  roleLog("step2").info(`done: ${received.length} messages, ${fromSecond} from the second peer`);
}
