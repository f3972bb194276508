import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { curveKeyPair } from "zeromq";
import { publicKeyOf, readCertificate, readPublicKeys, writeCertificate } from "./certs.ts";
import { runKeygen } from "./keygen.ts";
import { isZ85Key, z85Decode, z85Encode } from "./z85.ts";

const tempDir = () => mkdtempSync(join(tmpdir(), "security-certs-"));

describe("Z85 (RFC 32)", () => {
  it("encodes RFC 32's test vector and round-trips keys from libzmq", () => {
    const vector = Buffer.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);
    expect(z85Encode(vector)).toBe("HelloWorld");
    expect(z85Decode("HelloWorld")).toEqual(vector);
    const { publicKey, secretKey } = curveKeyPair();
    for (const key of [publicKey, secretKey]) {
      expect(z85Decode(key)).toHaveLength(32);
      expect(z85Encode(z85Decode(key))).toBe(key);
      expect(isZ85Key(key)).toBe(true);
    }
    expect(isZ85Key("too short")).toBe(false);
    expect(isZ85Key(`${publicKey.slice(0, 39)}~`)).toBe(false); // "~" is not Z85
    expect(() => z85Decode("abc")).toThrow("5-character groups");
  });
});

describe("certificates", () => {
  it("are written as ZPL, the secret one readable by its owner only, and read back", () => {
    const dir = tempDir();
    const keys = curveKeyPair();
    const { publicFile, secretFile } = writeCertificate(dir, "alice", keys, { name: "alice" });
    expect(publicFile).toBe(join(dir, "alice.key"));
    expect(secretFile).toBe(join(dir, "alice.key_secret"));
    expect(readFileSync(publicFile, "utf8")).toContain(
      `curve\n    public-key = "${keys.publicKey}"\n`,
    );
    expect(readFileSync(publicFile, "utf8")).not.toContain("secret-key");
    expect(readFileSync(secretFile, "utf8")).toContain(`    secret-key = "${keys.secretKey}"\n`);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(readCertificate(publicFile)).toEqual({
      publicKey: keys.publicKey,
      metadata: { name: "alice" },
    });
    expect(readCertificate(secretFile)).toMatchObject(keys);
    expect(publicKeyOf(publicFile)).toBe(keys.publicKey);
    expect(publicKeyOf(keys.publicKey)).toBe(keys.publicKey);
  });

  it("reads pyzmq's layout (unquoted metadata) and refuses a file with no valid key", () => {
    const dir = tempDir();
    const keys = curveKeyPair();
    const pyzmqStyle = `#   ****  Generated on 2026-01-01 by pyzmq  ****\n\nmetadata\n    name = bob\ncurve\n    public-key = "${keys.publicKey}"\n`;
    writeFileSync(join(dir, "bob.key"), pyzmqStyle);
    expect(readCertificate(join(dir, "bob.key"))).toEqual({
      publicKey: keys.publicKey,
      metadata: { name: "bob" },
    });
    writeFileSync(join(dir, "broken.key"), 'curve\n    public-key = "not a key"\n');
    expect(() => readCertificate(join(dir, "broken.key"))).toThrow(
      "broken.key: no valid public-key in it",
    );
  });

  it("a directory gives the public keys of its .key files only, never reading a secret file", () => {
    const dir = tempDir();
    const a = curveKeyPair();
    const b = curveKeyPair();
    writeCertificate(dir, "a", a);
    writeCertificate(dir, "b", b);
    writeFileSync(join(dir, "notes.txt"), "not a certificate");
    expect(readPublicKeys(dir)).toEqual(
      new Map([
        [a.publicKey, "a.key"],
        [b.publicKey, "b.key"],
      ]),
    );
  });

  it("keygen never overwrites a key unless told to", () => {
    const dir = tempDir();
    const first = runKeygen({
      dir,
      name: ["server"],
      publicDir: join(dir, "public"),
      force: false,
      label: "keygen",
    });
    expect(readCertificate(join(dir, "public", "server.key")).publicKey).toBe(first.server);
    expect(() =>
      runKeygen({ dir, name: ["server"], publicDir: "", force: false, label: "keygen" }),
    ).toThrow("exists; --force");
    const second = runKeygen({
      dir,
      name: ["server"],
      publicDir: "",
      force: true,
      label: "keygen",
    });
    expect(second.server).not.toBe(first.server);
  });
});
