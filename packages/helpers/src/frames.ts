// Frames shown the way a learner can read them (the Guide's s_dump): text where the bytes are
// printable UTF-8, hex where they are binary (routing ids, protocol command bytes).

const SHOWN_BYTES = 64;

function isReadableText(frame: Buffer): boolean {
  // Invalid UTF-8 decodes to U+FFFD; control bytes other than tab and newline mean binary.
  if (frame.toString("utf8").includes("\uFFFD")) return false;
  return frame.every((byte) => (byte >= 0x20 && byte !== 0x7f) || byte === 0x09 || byte === 0x0a);
}

/** One frame in a log line: "Hello" as `"Hello"`, binary as `0x00800041a7`, long ones cut. */
export function describeFrame(frame: Buffer): string {
  const shown = frame.subarray(0, SHOWN_BYTES);
  const more = frame.length > SHOWN_BYTES ? `... (${frame.length} bytes)` : "";
  if (frame.length === 0) return '""';
  if (isReadableText(shown)) return `${JSON.stringify(shown.toString("utf8"))}${more}`;
  return `0x${shown.toString("hex")}${more}`;
}

/** A whole multipart message, one frame per line with its size, like zhelpers' s_dump. */
export function formatFrames(frames: Buffer[]): string {
  const lines = frames.map((frame) => {
    const size = String(frame.length).padStart(3, "0");
    return `[${size}] ${frame.length === 0 ? "" : describeFrame(frame)}`.trimEnd();
  });
  return ["----------------------------------------", ...lines].join("\n");
}
