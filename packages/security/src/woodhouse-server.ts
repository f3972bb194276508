// Woodhouse server: the PLAIN mechanism. The client sends a user name and password, and the ZAP
// handler checks them. Nothing is encrypted: the password crosses the wire as it is typed.
// Talks to: woodhouse-client.ts. Run: pnpm --filter security woodhouse-server [--bind tcp://*:9000]
// [--users admin:secret,guest:guest]
import {
  attach,
  closeOnAbort,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Reply } from "zeromq";
import { PASSWORD, SERVER_PORT, USERNAME, ZAP_DOMAIN } from "./protocol.ts";
import { logHandshakeFailures, SERVER_SOCKET_OPTIONS, serveRequests } from "./serve.ts";
import { allow, deny, startZapHandler } from "./zap-handler.ts";

export const woodhouseServerDefaults = {
  bind: [`tcp://*:${SERVER_PORT}`],
  connect: [] as string[],
  /** Accounts, each "user:password". */
  users: [`${USERNAME}:${PASSWORD}`],
  name: "woodhouse-server",
};
export type WoodhouseServerOptions = typeof woodhouseServerDefaults & RoleControl;

export async function runWoodhouseServer(options: WoodhouseServerOptions): Promise<number> {
  const log = roleLog(options.name);
  const passwords = new Map(
    options.users.map((account) => [account.split(":")[0]!, account.split(":").slice(1).join(":")]),
  );
  // #region zap
  const zap = await startZapHandler(({ credentials: [user, password] }) => {
    const name = String(user);
    if (!passwords.has(name)) return deny(`no user "${name}"`);
    if (passwords.get(name) !== String(password)) return deny(`user "${name}": wrong password`);
    return allow(`user "${name}": password OK`, name);
  });
  const socket = new Reply({ ...SERVER_SOCKET_OPTIONS, plainServer: true, zapDomain: ZAP_DOMAIN });
  // #endregion zap
  closeOnAbort(options.signal, socket);
  logHandshakeFailures(socket, log);
  try {
    const endpoints = await attach(socket, options, log);
    options.onReady?.(endpoints);
    return await serveRequests(socket, log);
  } finally {
    socket.close(); // (already closed, unless the bind failed)
    await zap.close();
  }
}

if (isMain(import.meta.url)) {
  const options = parseFlags(woodhouseServerDefaults);
  await runWoodhouseServer({ ...options, signal: stopOnSignals(options.name) });
}
