import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { Dealer } from "zeromq";
import { proxyDefaults, runProxyBroker } from "./src/proxy.ts";
import { runWorker, workerDefaults } from "./src/worker.ts";

const first = process.argv[2] === "twice";
for (let round = 0; round < (first ? 2 : 1); round++) {
  const proxy = startRole(runProxyBroker, {
    ...proxyDefaults,
    frontend: [EPHEMERAL],
    backend: [EPHEMERAL],
  });
  const [frontend, backend] = await proxy.ready;
  const worker = startRole(runWorker, { ...workerDefaults, connect: [backend!], workMs: 0 });
  const dealer = new Dealer({ linger: 0 });
  dealer.connect(frontend!);
  await dealer.send("Hello");
  await dealer.send(["", "Hello"]);
  console.log("round", round, (await dealer.receive()).map(String));
  dealer.close();
  await worker.stop();
  await proxy.stop();
}
