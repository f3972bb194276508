import { appendFile, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { roleLog } from "../src/log.ts";
import { openJsonLinesStore } from "../src/store.ts";

const freshPath = async () =>
  join(await mkdtemp(join(tmpdir(), "store-")), "nested", "records.jsonl");

describe("openJsonLinesStore", () => {
  it("keeps records across a close and a reopen, in order", async () => {
    const path = await freshPath();
    const first = await openJsonLinesStore<{ n: number }>(path);
    await Promise.all([1, 2, 3].map((n) => first.append({ n })));
    await first.close();
    const again = await openJsonLinesStore<{ n: number }>(path);
    expect(again.records).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await again.append({ n: 4 });
    await again.close();
    expect((await readFile(path, "utf8")).trim().split("\n")).toHaveLength(4);
  });

  it("skips a line torn by a crash and keeps appending cleanly after it", async () => {
    const path = await freshPath();
    const store = await openJsonLinesStore<{ n: number }>(path);
    await store.append({ n: 1 });
    await store.close();
    await appendFile(path, '{"n": 2, "tru'); // the process died half-way through a write
    const warnings: string[] = [];
    const log = { ...roleLog("test"), warn: (message: string) => warnings.push(message) };
    const reopened = await openJsonLinesStore<{ n: number }>(path, log);
    expect(reopened.records).toEqual([{ n: 1 }]);
    expect(warnings[0]).toMatch(/records\.jsonl:2: skipping a damaged line/);
    await reopened.append({ n: 3 });
    await reopened.close();
    const last = await openJsonLinesStore<{ n: number }>(path);
    expect(last.records).toEqual([{ n: 1 }, { n: 3 }]);
    await last.close();
  });
});
