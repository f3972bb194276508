import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "@zmq-patterns/helpers";
import { describe, expect, it } from "vitest";
import { DAMAGED_DIR, isUuid, openTitanicStore } from "./titanic-store.ts";

const freshDir = () => join(mkdtempSync(join(tmpdir(), "titanic-store-")), "store");
const recordingLog = () => {
  const lines: string[] = [];
  const log: Logger = {
    label: "titanic",
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`W: ${message}`),
    error: (message) => lines.push(`E: ${message}`),
  };
  return { log, lines };
};
const uuidsOf = (pending: { uuid: string }[]) => pending.map(({ uuid }) => uuid);
const texts = (frames: Buffer[] | undefined) => frames?.map((frame) => frame.toString());

describe("the Titanic store", () => {
  it("writes one file per request and per reply, readable with cat, and close deletes both", async () => {
    const dir = freshDir();
    const store = await openTitanicStore(dir, recordingLog().log);
    const uuid = await store.storeRequest("echo", [Buffer.from("Hello"), Buffer.from("world")]);
    expect(isUuid(uuid)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([`${uuid}.request`, DAMAGED_DIR].sort());
    expect(JSON.parse(readFileSync(join(dir, `${uuid}.request`), "utf8"))).toEqual({
      seq: 1,
      service: "echo",
      body: ["Hello", "world"],
    });
    expect(store.status(uuid)).toBe("pending");
    expect(store.pending()).toEqual([{ uuid, service: "echo" }]);

    expect(await store.storeReply(uuid, [Buffer.from("Hello world")])).toBe("stored");
    expect(store.status(uuid)).toBe("answered");
    expect(store.pending()).toEqual([]);
    expect(readFileSync(join(dir, `${uuid}.reply`), "utf8")).toBe('{"body":["Hello world"]}\n');
    expect(texts(await store.readReply(uuid))).toEqual(["Hello world"]);

    await store.close(uuid);
    await store.close(uuid); // idempotent
    expect(store.status(uuid)).toBe("unknown");
    expect(readdirSync(dir)).toEqual([DAMAGED_DIR]);
  });

  it("stores a reply once: a second reply, or one after close, is not written", async () => {
    const store = await openTitanicStore(freshDir(), recordingLog().log);
    const uuid = await store.storeRequest("echo", [Buffer.from("a")]);
    expect(await store.storeReply(uuid, [Buffer.from("first")])).toBe("stored");
    expect(await store.storeReply(uuid, [Buffer.from("second")])).toBe("duplicate");
    expect(texts(await store.readReply(uuid))).toEqual(["first"]);
    await store.close(uuid);
    expect(await store.storeReply(uuid, [Buffer.from("late")])).toBe("closed");
    expect(await store.readRequest(uuid)).toBeUndefined();
  });

  it("keeps binary frames byte for byte (base64 where they are not text)", async () => {
    const dir = freshDir();
    const store = await openTitanicStore(dir, recordingLog().log);
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x80]);
    const uuid = await store.storeRequest("echo", [binary, Buffer.alloc(0)]);
    const again = await openTitanicStore(dir, recordingLog().log);
    const request = await again.readRequest(uuid);
    expect(request?.body).toEqual([binary, Buffer.alloc(0)]);
  });

  it("keeps the pending queue across a restart, oldest first, and numbers on from there", async () => {
    const dir = freshDir();
    const first = await openTitanicStore(dir, recordingLog().log);
    const uuids: string[] = [];
    for (const body of ["1", "2", "3", "4"]) {
      uuids.push(await first.storeRequest("echo", [Buffer.from(body)]));
    }
    await first.storeReply(uuids[1]!, [Buffer.from("two")]);
    await first.close(uuids[3]!);

    const { log, lines } = recordingLog();
    const second = await openTitanicStore(dir, log); // the process "restarted"
    expect(lines).toContain(`store: ${dir}: 3 request(s), 2 pending`);
    expect(uuidsOf(second.pending())).toEqual([uuids[0], uuids[2]]);
    expect(second.status(uuids[1]!)).toBe("answered");
    expect(second.answered().map(({ uuid }) => uuid)).toEqual([uuids[1]]);
    expect(second.answered()[0]!.answeredAt).toBeGreaterThan(0); // the reply file's time
    expect(second.status(uuids[3]!)).toBe("unknown");
    const later = await second.storeRequest("echo", [Buffer.from("5")]);
    expect(uuidsOf(second.pending())).toEqual([uuids[0], uuids[2], later]);
  });

  it("survives torn writes: a leftover temporary file, a truncated request, a garbage reply", async () => {
    const dir = freshDir();
    const first = await openTitanicStore(dir, recordingLog().log);
    const kept = await first.storeRequest("echo", [Buffer.from("kept")]);
    const answered = await first.storeRequest("echo", [Buffer.from("answered")]);
    await first.storeReply(answered, [Buffer.from("reply")]);
    // What a crash mid-write (or a disk that lied about fsync) can leave behind:
    const torn = "a".repeat(32);
    writeFileSync(join(dir, `${torn}.request.tmp`), '{"seq":9,"serv'); // killed before rename
    const truncated = "b".repeat(32);
    writeFileSync(join(dir, `${truncated}.request`), '{"seq":10,"service":"ec');
    writeFileSync(join(dir, `${answered}.reply`), "\u0000\u0000garbage");
    writeFileSync(join(dir, "notes.txt"), "a learner's notes");

    const { log, lines } = recordingLog();
    const second = await openTitanicStore(dir, log); // starts, does not refuse
    const warnings = lines.filter((line) => line.startsWith("W: "));
    expect(warnings).toHaveLength(4);
    expect(warnings.join("\n")).toMatch(/aaaa+\.request\.tmp is a write that never finished/);
    expect(warnings.join("\n")).toMatch(/bbbb+\.request is damaged/);
    expect(warnings.join("\n")).toMatch(/\.reply is damaged .* will be sent again/);
    expect(warnings.join("\n")).toMatch(/notes\.txt is not a Titanic file/);
    expect(readdirSync(join(dir, DAMAGED_DIR)).sort()).toEqual(
      [`${torn}.request.tmp`, `${truncated}.request`, `${answered}.reply`, "notes.txt"].sort(),
    );
    // The damaged reply's request is pending again; the whole request is untouched.
    expect(uuidsOf(second.pending())).toEqual([kept, answered]);
    expect(second.status(torn)).toBe("unknown");
    expect(second.status(truncated)).toBe("unknown");
    expect(texts((await second.readRequest(kept))?.body)).toEqual(["kept"]);
  });

  it("deletes a reply left alone by a crash during close", async () => {
    const dir = freshDir();
    const first = await openTitanicStore(dir, recordingLog().log);
    const uuid = await first.storeRequest("echo", [Buffer.from("x")]);
    await first.storeReply(uuid, [Buffer.from("y")]);
    // close() removes the request first; a crash right after leaves the reply.
    rmSync(join(dir, `${uuid}.request`));
    const second = await openTitanicStore(dir, recordingLog().log);
    expect(second.status(uuid)).toBe("unknown");
    expect(readdirSync(dir)).toEqual([DAMAGED_DIR]);
  });

  it("accepts only 32 hex digits as a uuid", async () => {
    expect(isUuid("0123456789abcdefABCDEF0123456789")).toBe(true);
    for (const bad of ["", "x".repeat(32), "0".repeat(31), "0".repeat(33), "../../etc/passwd"]) {
      expect(isUuid(bad)).toBe(false);
    }
    const store = await openTitanicStore(freshDir(), recordingLog().log);
    expect(store.status("../../etc/passwd")).toBe("unknown");
    await expect(store.readReply("../x")).rejects.toThrow(/not a uuid/);
  });
});
