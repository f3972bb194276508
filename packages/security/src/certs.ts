// CURVE certificates as czmq (zcert) and pyzmq (zmq.auth) write them: ZPL text files (ZeroMQ
// RFC 4), a `metadata` section and a `curve` section holding `public-key = "<Z85>"`. Each
// identity has two files: `<name>.key` (public, give it away) and `<name>.key_secret` (the same
// plus `secret-key`, never give it away, never commit it). pyzmq's load_certificate reads
// ours, and readCertificate reads theirs.
import { chmodSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isZ85Key } from "./z85.ts";

export interface KeyPair {
  publicKey: string;
  secretKey: string;
}
export interface Certificate {
  publicKey: string;
  /** Only in a `_secret` file. */
  secretKey?: string;
  metadata: Record<string, string>;
}

export const PUBLIC_SUFFIX = ".key";
export const SECRET_SUFFIX = ".key_secret";

function certificateText(banner: string, keys: Partial<KeyPair>, metadata: Record<string, string>) {
  const lines = [
    `#   ****  Generated on ${new Date().toISOString()} by zmq-patterns security keygen  ****`,
    `#   ZeroMQ CURVE ${banner}`,
    "",
    "metadata",
    ...Object.entries(metadata).map(([name, value]) => `    ${name} = "${value}"`),
    "curve",
    `    public-key = "${keys.publicKey}"`,
    ...(keys.secretKey ? [`    secret-key = "${keys.secretKey}"`] : []),
  ];
  return `${lines.join("\n")}\n`;
}

/** Writes `<dir>/<name>.key` and `<dir>/<name>.key_secret` (mode 0600); returns their paths. */
export function writeCertificate(
  dir: string,
  name: string,
  keys: KeyPair,
  metadata: Record<string, string> = {},
): { publicFile: string; secretFile: string } {
  const publicFile = join(dir, `${name}${PUBLIC_SUFFIX}`);
  const secretFile = join(dir, `${name}${SECRET_SUFFIX}`);
  writeFileSync(
    publicFile,
    certificateText("Public Certificate", { publicKey: keys.publicKey }, metadata),
  );
  const secret = certificateText(
    "**Secret** Certificate: DO NOT PROVIDE THIS FILE TO OTHER USERS",
    keys,
    metadata,
  );
  writeFileSync(secretFile, secret, { mode: 0o600 });
  chmodSync(secretFile, 0o600); // also when the file was there already
  return { publicFile, secretFile };
}

/** Reads a certificate file (public or secret); throws naming the file if it holds no valid key. */
export function readCertificate(file: string): Certificate {
  const certificate: Certificate = { publicKey: "", metadata: {} };
  let section = "";
  for (const raw of readFileSync(file, "utf8").split(/\r?\n/)) {
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) continue;
    if (!/^\s/.test(raw)) {
      section = raw.trim(); // a ZPL section name starts at column 0
      continue;
    }
    const match = raw.trim().match(/^([\w-]+)\s*=\s*"?([^"]*)"?$/);
    if (!match) continue;
    const [, name, value] = match as [string, string, string];
    if (section === "metadata") certificate.metadata[name] = value;
    else if (section === "curve" && name === "public-key") certificate.publicKey = value;
    else if (section === "curve" && name === "secret-key") certificate.secretKey = value;
  }
  if (!isZ85Key(certificate.publicKey)) throw new Error(`${file}: no valid public-key in it`);
  if (certificate.secretKey !== undefined && !isZ85Key(certificate.secretKey))
    throw new Error(`${file}: its secret-key is not a Z85 CURVE key`);
  return certificate;
}

/** A key given as 40 Z85 characters, or the path of a certificate holding it. */
export function publicKeyOf(keyOrFile: string): string {
  return isZ85Key(keyOrFile) ? keyOrFile : readCertificate(keyOrFile).publicKey;
}

/** The public keys of every `*.key` certificate in `dir` (secret files are never read). */
export function readPublicKeys(dir: string): Map<string, string> {
  const keys = new Map<string, string>(); // Z85 key -> the file it came from
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith(PUBLIC_SUFFIX)) keys.set(readCertificate(join(dir, name)).publicKey, name);
  }
  return keys;
}
