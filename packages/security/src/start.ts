// `pnpm --filter security start`: the five houses in order, Grasslands to Ironhouse. Each house
// has a server, a client allowed in (through the eavesdropping relay, which prints what it could
// read on the wire) and one the house must refuse (a stranger from 127.0.0.2, a wrong password,
// a wrong server key, a key not on the list). Keys are made for the run in a temporary folder.
// Ends by itself with exit code 0.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { guidePorts, type RoleProcess, startScenario } from "@zmq-patterns/helpers";
import { runKeygen } from "./keygen.ts";
import { RELAY_PORT, SERVER_PORT } from "./protocol.ts";

const houses = ["grasslands", "strawhouse", "woodhouse", "stonehouse", "ironhouse"] as const;
const ports = await guidePorts([
  ...houses.map((_, i) => SERVER_PORT + i),
  ...houses.map((_, i) => RELAY_PORT + i),
]);
const serverPort = (i: number) => ports[i]!;
const relayPort = (i: number) => ports[houses.length + i]!;

// Keys for this run only, never in the repository: the server, an allowed client and a stranger.
const keys = mkdtempSync(join(tmpdir(), "security-start-"));
runKeygen({
  dir: keys,
  name: ["server", "stranger"],
  publicDir: "",
  force: false,
  label: "keygen",
});
runKeygen({
  dir: keys,
  name: ["client"],
  publicDir: join(keys, "allowed"), // the Ironhouse server's allow list holds the client only
  force: false,
  label: "keygen",
});
const serverCert = ["--cert", join(keys, "server.key_secret")];
const serverKey = (file: string) => ["--server-key", join(keys, file)];

/** What the refused client of each house gets wrong. */
const refusedArgs: Record<(typeof houses)[number], string[]> = {
  grasslands: ["--from", "127.0.0.2", "--expect", "served"], // Grasslands refuses nobody
  strawhouse: ["--from", "127.0.0.2", "--expect", "refused"],
  woodhouse: ["--password", "guess", "--expect", "refused"],
  stonehouse: [...serverKey("stranger.key"), "--expect", "refused"], // not the server's key
  ironhouse: [
    "--cert",
    join(keys, "stranger.key_secret"),
    ...serverKey("server.key"),
    "--expect",
    "refused",
  ],
};
const serverArgs: Record<(typeof houses)[number], string[]> = {
  grasslands: [],
  strawhouse: ["--allow", "127.0.0.1"],
  woodhouse: ["--users", "admin:secret"],
  stonehouse: serverCert,
  ironhouse: [...serverCert, "--allow-dir", join(keys, "allowed")],
};
const allowedArgs: Record<(typeof houses)[number], string[]> = {
  grasslands: [],
  strawhouse: [],
  woodhouse: ["--user", "admin", "--password", "secret"],
  stonehouse: serverKey("server.key"),
  ironhouse: ["--cert", join(keys, "client.key_secret"), ...serverKey("server.key")],
};

const relay: RoleProcess = {
  name: "eavesdropper",
  script: "src/relay.ts",
  args: [
    "--name",
    "eavesdropper",
    ...houses.flatMap((_, i) => ["--route", `${relayPort(i)}=127.0.0.1:${serverPort(i)}`]),
  ],
  // no readyWhen: it starts beside the first server; a client connecting early is retried by libzmq
};
const roles: RoleProcess[] = [relay];
houses.forEach((house, i) => {
  const served = ["--timeout-ms", "10000"]; // a reply comes well before, unless the house is broken
  const refused = ["--timeout-ms", "1000"]; // what it waits for never comes
  roles.push(
    {
      name: `${house}-server`,
      script: `src/${house}-server.ts`,
      args: ["--bind", `tcp://127.0.0.1:${serverPort(i)}`, ...serverArgs[house]],
      readyWhen: /-server\] bound to tcp/,
    },
    {
      name: `${house}-client`,
      script: `src/${house}-client.ts`,
      args: ["--connect", `tcp://127.0.0.1:${relayPort(i)}`, ...allowedArgs[house], ...served],
      finishes: true, // the refused client starts beside it; the next house waits for both
    },
    {
      name: `${house}-refused`,
      script: `src/${house}-client.ts`,
      args: [
        "--connect",
        `tcp://127.0.0.1:${serverPort(i)}`,
        "--name",
        `${house}-refused`,
        ...refusedArgs[house],
        ...(house === "grasslands" ? served : refused),
      ],
      finishes: true,
      readyWhen: /done: |E: /, // its wait for a reply that never comes outlasts the allowed client's run
    },
  );
});

await startScenario({
  houses: {
    title:
      "The five houses, Grasslands to Ironhouse: for each, a client let in (through the eavesdropper) and one refused",
    roles,
    timeoutMs: 90_000,
  },
});
