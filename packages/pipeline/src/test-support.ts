// For the tests only: stand-ins for the roles' peers.
import { EPHEMERAL } from "@zmq-patterns/helpers/testing";
import { Pull, Push, XPublisher } from "zeromq";

/** A PULL socket bound on a free port: a stand-in sink or worker. */
export async function boundPull(): Promise<Pull> {
  const socket = new Pull({ linger: 0 });
  await socket.bind(EPHEMERAL);
  return socket;
}

/** Receives `total` messages over all `sockets` together, then closes them; returns each one's. */
export async function collect(sockets: Pull[], total: number): Promise<string[][]> {
  const received = sockets.map((): string[] => []);
  let count = 0;
  await Promise.all(
    sockets.map(async (socket, index) => {
      for await (const frames of socket) {
        received[index]!.push(frames.map(String).join("|"));
        count += 1;
        if (count === total) for (const each of sockets) each.close();
      }
    }),
  );
  return received;
}

/** What a worker talks to, played by the test: the ventilator's PUSH, the sink's PULL and PUB. */
export async function fakeVentilatorAndSink() {
  const tasks = new Push({ linger: 0 });
  await tasks.bind(EPHEMERAL);
  const results = await boundPull();
  // An XPUB sees each subscription arrive: the test knows when the worker can hear KILL.
  const kill = new XPublisher({ linger: 0 });
  await kill.bind(EPHEMERAL);
  return {
    tasks,
    results,
    kill,
    endpoints: {
      ventilator: [tasks.lastEndpoint!],
      sink: [results.lastEndpoint!],
      kill: [kill.lastEndpoint!],
    },
    close() {
      for (const socket of [tasks, results, kill]) socket.close();
    },
  };
}
