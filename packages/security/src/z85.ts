// Z85 (ZeroMQ RFC 32): 32-byte CURVE keys as 40 printable characters, the form keys take in
// certificates, on command lines and in zeromq.js's curve* options. ZAP hands the handler a
// client's key as 32 raw bytes; z85Encode turns it into the form the certificates hold.
// (zeromq.js 6 has curveKeyPair() but no Z85 helpers, so here they are.)

const ALPHABET =
  "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/** Bytes (a multiple of 4 long) as Z85 text, 5 characters for every 4 bytes. */
export function z85Encode(data: Uint8Array): string {
  if (data.length % 4 !== 0) throw new Error(`Z85 encodes 4-byte groups; got ${data.length} bytes`);
  let text = "";
  for (let at = 0; at < data.length; at += 4) {
    let value =
      ((data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!) >>> 0;
    let group = "";
    for (let digit = 0; digit < 5; digit++) {
      group = ALPHABET[value % 85]! + group;
      value = Math.floor(value / 85);
    }
    text += group;
  }
  return text;
}

/** Z85 text (a multiple of 5 long) as bytes; throws on anything that is not Z85. */
export function z85Decode(text: string): Buffer {
  if (text.length % 5 !== 0)
    throw new Error(`Z85 text comes in 5-character groups; got ${text.length}`);
  const bytes = Buffer.alloc((text.length / 5) * 4);
  for (let at = 0; at < text.length; at += 5) {
    let value = 0;
    for (const char of text.slice(at, at + 5)) {
      const digit = ALPHABET.indexOf(char);
      if (digit < 0) throw new Error(`"${char}" is not a Z85 character`);
      value = value * 85 + digit;
    }
    if (value > 0xffffffff) throw new Error(`"${text.slice(at, at + 5)}" is not a Z85 group`);
    bytes.writeUInt32BE(value, (at / 5) * 4);
  }
  return bytes;
}

/** True when `text` is a CURVE key in Z85: 40 characters that decode to 32 bytes. */
export function isZ85Key(text: string): boolean {
  try {
    return text.length === 40 && z85Decode(text).length === 32;
  } catch {
    return false; // not Z85: the answer is "no"
  }
}
