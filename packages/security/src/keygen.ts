// keygen: makes CURVE key pairs and writes them as certificates, `<name>.key` (public) and
// `<name>.key_secret` (secret, mode 0600), in the format czmq and pyzmq use, so their tools
// read ours and ours read theirs. It never overwrites a key without --force.
// Run: pnpm --filter security keygen [--dir certificates] [--name server,client] [--public-dir certificates/allowed]
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { isMain, parseFlags, roleLog } from "@zmq-patterns/helpers";
import { curveKeyPair } from "zeromq";
import { SECRET_SUFFIX, writeCertificate } from "./certs.ts";
import { CERTIFICATE_DIR } from "./protocol.ts";

export const keygenDefaults = {
  /** Where both files of each identity go. */
  dir: CERTIFICATE_DIR,
  /** One identity per name. */
  name: ["server", "client"],
  /** Also copy each public certificate here ("" = don't): e.g. an Ironhouse server's allow list. */
  publicDir: "",
  /** Replace certificates that exist already. */
  force: false,
  label: "keygen",
};
export type KeygenOptions = typeof keygenDefaults;

/** Writes the certificates; returns each name's public key. */
export function runKeygen(options: KeygenOptions): Record<string, string> {
  const log = roleLog(options.label);
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  if (options.publicDir) mkdirSync(options.publicDir, { recursive: true });
  const keys: Record<string, string> = {};
  for (const name of options.name) {
    if (existsSync(join(options.dir, `${name}${SECRET_SUFFIX}`)) && !options.force)
      throw new Error(`${join(options.dir, name)}${SECRET_SUFFIX} exists; --force to replace it`);
    const pair = curveKeyPair();
    const { publicFile, secretFile } = writeCertificate(options.dir, name, pair, { name });
    log.info(`${name}: public key ${pair.publicKey} in ${publicFile}, secret in ${secretFile}`);
    if (options.publicDir) {
      copyFileSync(publicFile, join(options.publicDir, basename(publicFile)));
      log.info(`${name}: public certificate copied to ${options.publicDir}`);
    }
    keys[name] = pair.publicKey;
  }
  return keys;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(keygenDefaults);
  try {
    runKeygen(options);
  } catch (error) {
    roleLog(options.label).error((error as Error).message);
    process.exitCode = 1;
  }
}
