// A storage is what it was (issue 13, inputs 9 to 11): another disk or an older copy of a storage
// at its path stops the pass (exit 3) until the user accepts it; storages of one container never
// overlap; `--all` leaves every storage in sync in one run. End to end through the built `wl`.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import * as assert from "uvu/assert";
import { test } from "uvu";
import { mountFs } from "./helpers/filesystems.mjs";
import { report } from "./helpers/report.mjs";
import { assertSameTree, localConfig, snapshot, wl, workspace } from "./helpers/wl.mjs";

const counts = { tried: 0, survived: 0, names: [] };
const tally = async (name, fn) => {
  counts.tried++;
  await fn();
  counts.survived++;
  counts.names.push(name);
};
async function sync(ws, args = []) {
  const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--json", ...args]);
  try {
    r.json = JSON.parse(r.stdout);
  } catch {
    r.json = undefined;
  }
  return r;
}
const expectCode = (r, code, what = "") => assert.is(r.code, code, `${what} wl exited ${r.code}, expected ${code}\nstdout: ${r.stdout.slice(0, 1500)}\nstderr: ${r.stderr}`);
const frozen = (root) => [...snapshot(root)].map(([p, e]) => `${p}:${e.kind}:${e.bytes?.toString("hex") ?? e.target ?? ""}`).join("\n");

for (const syncer of ["rsync", "naive"]) {
  test(`an older copy of b mounted at b's path (a restored cp -a backup) stops the pass until accepted; then nothing is overwritten (${syncer})`, async () => {
    const ws = workspace("wl-identity-");
    const mounts = [];
    try {
      localConfig(ws.dir);
      const disk1 = mountFs("tmpfs", ws.path("b"), { sizeMb: 8 });
      if (typeof disk1 === "string") {
        console.log(`[not run] older copy at b's path (${syncer}): ${disk1}`);
        return;
      }
      mounts.push(disk1);
      await tally(`older copy of a storage (${syncer})`, async () => {
        ws.write("a/report.txt", "report, version 1");
        ws.write("a/notes.txt", "notes, version 1");
        expectCode(await sync(ws, ["--syncer", syncer]), 0);
        cpSync(ws.path("b"), ws.path("backup-of-b"), { recursive: true, preserveTimestamps: true }); // cp -a
        ws.write("a/report.txt", "report, version 2 (newer)");
        ws.write("a/new.txt", "a file made after the backup");
        expectCode(await sync(ws, ["--syncer", syncer]), 0);
        assert.is(ws.read("b/report.txt"), "report, version 2 (newer)");
        // The disk is swapped for another one holding the old copy.
        disk1.unmount();
        mounts.pop();
        const disk2 = mountFs("tmpfs", ws.path("b"), { sizeMb: 8 });
        assert.type(disk2, "object", String(disk2));
        mounts.push(disk2);
        cpSync(ws.path("backup-of-b"), ws.path("b"), { recursive: true, preserveTimestamps: true });
        const before = frozen(ws.path("a"));
        const r = await sync(ws, ["--syncer", syncer]);
        expectCode(r, 3, "older copy:");
        assert.match(r.stderr, /older copy .*generation \d+ is behind \d+.*--accept-storage b/s);
        assert.is(frozen(ws.path("a")), before, "a was changed");
        assert.is(ws.read("a/report.txt"), "report, version 2 (newer)");
        assert.ok(existsSync(ws.path("a/new.txt")));
        // Accepted: a first meeting, the differing file is a conflict; nothing is overwritten or deleted.
        const accepted = await sync(ws, ["--syncer", syncer, "--accept-storage", "b"]);
        expectCode(accepted, 1, "accepted:");
        assert.equal(accepted.json.conflicts.map((c) => c.path), ["report.txt"]);
        assert.is(ws.read("a/report.txt"), "report, version 2 (newer)");
        assert.is(ws.read("b/new.txt"), "a file made after the backup", "the file only a has is copied, not deleted");
        expectCode(await sync(ws, ["--syncer", syncer]), 1, "after acceptance:");
        assert.ok(existsSync(ws.path("b/.wlsync/storage-id")), "b carries its identity marker");
        assert.is.not(readFileSync(ws.path("a/.wlsync/storage-id"), "utf8"), readFileSync(ws.path("b/.wlsync/storage-id"), "utf8"), "each storage has its own marker (never synced)");
      });
    } finally {
      for (const m of mounts) m.unmount();
      ws.cleanup();
    }
  });
}

test("a pass that changes nothing writes nothing, not even the identity markers; an older copy taken before the next pass that writes is still told", async () => {
  const ws = workspace("wl-identity-quiet-");
  try {
    await tally("older copy after passes that changed nothing", async () => {
      localConfig(ws.dir);
      ws.write("a/report.txt", "report, version 1");
      ws.write("b/notes.txt", "notes");
      expectCode(await sync(ws), 0);
      const marker = (side) => ({ text: readFileSync(ws.path(`${side}/.wlsync/storage-id`), "utf8"), ino: statSync(ws.path(`${side}/.wlsync/storage-id`)).ino });
      const generation = (side) => JSON.parse(marker(side).text).generation;
      const first = { a: marker("a"), b: marker("b") };
      const trees = { a: frozen(ws.path("a")), b: frozen(ws.path("b")) };
      for (let i = 0; i < 3; i++) {
        const r = await sync(ws);
        expectCode(r, 0, `no-change pass ${i}:`);
        assert.equal(r.json.changes, []);
      }
      assert.equal({ a: marker("a"), b: marker("b") }, first, "a pass that changes nothing rewrote a marker");
      assert.equal({ a: frozen(ws.path("a")), b: frozen(ws.path("b")) }, trees);
      // A copy of b taken now holds what the base describes; the next pass that writes moves both markers on.
      cpSync(ws.path("b"), ws.path("backup-of-b"), { recursive: true, preserveTimestamps: true });
      ws.write("a/report.txt", "report, version 2 (newer)");
      expectCode(await sync(ws), 0);
      assert.is(generation("a"), JSON.parse(first.a.text).generation + 1);
      assert.is(generation("b"), JSON.parse(first.b.text).generation + 1);
      rmSync(ws.path("b"), { recursive: true });
      cpSync(ws.path("backup-of-b"), ws.path("b"), { recursive: true, preserveTimestamps: true });
      const r = await sync(ws);
      expectCode(r, 3, "older copy:");
      assert.match(r.stderr, /older copy .*generation \d+ is behind \d+/s);
      assert.is(ws.read("a/report.txt"), "report, version 2 (newer)");
      // A pass whose only write is to the base (the same edit made on both sides) moves them on too.
      rmSync(ws.path("b"), { recursive: true });
      cpSync(ws.path("backup-of-b"), ws.path("b"), { recursive: true, preserveTimestamps: true });
      expectCode(await sync(ws, ["--accept-storage", "b"]), 1, "accepted:");
      ws.write("b/report.txt", "report, version 2 (newer)");
      expectCode(await sync(ws), 0);
      const g = generation("b");
      cpSync(ws.path("b"), ws.path("backup-2"), { recursive: true, preserveTimestamps: true });
      ws.write("a/same.txt", "the same edit");
      ws.write("b/same.txt", "the same edit");
      const same = await sync(ws);
      expectCode(same, 0);
      assert.equal(same.json.changes, [], "only the base changes");
      assert.is(generation("b"), g + 1);
      rmSync(ws.path("b"), { recursive: true });
      cpSync(ws.path("backup-2"), ws.path("b"), { recursive: true, preserveTimestamps: true });
      expectCode(await sync(ws), 3, "older copy before a base-only pass:");
    });
  } finally {
    ws.cleanup();
  }
});

test("another disk at b's path (its own marker, or none) stops the pass with exit 3; an empty one is left to the emptied-storage gate", async () => {
  const ws = workspace("wl-identity-");
  try {
    await tally("another disk at the same path", async () => {
      localConfig(ws.dir);
      for (let i = 0; i < 3; i++) ws.write(`a/file-${i}.txt`, `file ${i}`);
      expectCode(await sync(ws), 0);
      rmSync(ws.path("b"), { recursive: true });
      ws.write("b/holiday.jpg", "someone else's disk");
      const before = frozen(ws.path("a"));
      let r = await sync(ws);
      expectCode(r, 3, "no marker:");
      assert.match(r.stderr, /storage b .* has no identity marker .*another disk/);
      assert.is(frozen(ws.path("a")), before);
      mkdirSync(ws.path("b/.wlsync"));
      writeFileSync(ws.path("b/.wlsync/storage-id"), JSON.stringify({ id: "another-disk", generation: 7 }));
      r = await sync(ws);
      expectCode(r, 3, "another marker:");
      assert.match(r.stderr, /is storage another-disk, not storage/);
      assert.is(frozen(ws.path("a")), before);
      // An empty folder: the emptied-storage gate speaks (it takes --force).
      rmSync(ws.path("b"), { recursive: true });
      mkdirSync(ws.path("b"));
      r = await sync(ws);
      expectCode(r, 3, "empty:");
      assert.match(r.stderr, /storage b is empty, but 3 files were synced/);
      assert.is(frozen(ws.path("a")), before);
    });
  } finally {
    ws.cleanup();
  }
});

test("overlapping storages of one container are a config error (exit 3), nothing written: one inside another, the same folder twice, through a symlink", async () => {
  const ws = workspace("wl-overlap-");
  try {
    await tally("overlapping storages", async () => {
      ws.write("a/doc.txt", "doc");
      mkdirSync(ws.path("elsewhere"));
      symlinkSync(ws.path("a"), ws.path("link-to-a"));
      const cases = [
        ["./a", "./a/inner", /b .* is inside a|overlap: b is inside a/],
        ["./a/inner/..", "./a", /are the same place/],
        ["./a", "./link-to-a/sub", /overlap: b is inside a/],
        ["./elsewhere/x", "./elsewhere", /overlap: a is inside b/],
      ];
      for (const [pa, pb, message] of cases) {
        writeFileSync(ws.path(".wlsyncrc"), JSON.stringify({ containers: { box: { storages: [{ "backend-id": "a", type: "local", path: pa }, { "backend-id": "b", type: "local", path: pb }] } } }));
        const before = frozen(ws.path("a")) + frozen(ws.path("elsewhere"));
        const r = await sync(ws);
        expectCode(r, 3, `${pa} and ${pb}:`);
        assert.match(r.stderr, message);
        assert.match(r.stderr, /must not overlap/);
        assert.is(frozen(ws.path("a")) + frozen(ws.path("elsewhere")), before, `${pa} and ${pb}: something was written`);
      }
    });
  } finally {
    ws.cleanup();
  }
});

test("--all converges in one run: a change in any storage reaches every other one", async () => {
  const ws = workspace("wl-all-");
  try {
    await tally("--all in one run", async () => {
      localConfig(ws.dir, { storages: ["s1", "s2", "s3"] });
      ws.write("s1/base.txt", "base");
      expectCode(await sync(ws, ["--all"]), 0);
      ws.write("s3/from-s3.txt", "new in s3");
      ws.write("s2/from-s2.txt", "new in s2");
      let r = await sync(ws, ["--all"]);
      expectCode(r, 0);
      for (const s of ["s1", "s2", "s3"]) {
        assert.is(ws.read(`${s}/from-s3.txt`), "new in s3", `${s} lacks s3's file`);
        assert.is(ws.read(`${s}/from-s2.txt`), "new in s2", `${s} lacks s2's file`);
      }
      rmSync(ws.path("s3/base.txt"));
      ws.write("s2/from-s2.txt", "edited in s2");
      r = await sync(ws, ["--all"]);
      expectCode(r, 0);
      assertSameTree(ws.path("s1"), ws.path("s2"));
      assertSameTree(ws.path("s1"), ws.path("s3"));
      assert.not.ok(existsSync(ws.path("s1/base.txt")));
      assert.is(ws.read("s3/from-s2.txt"), "edited in s2");
    });
  } finally {
    ws.cleanup();
  }
});

test.after(() => report("storage identity, overlap, --all (issue 13: 9-11)", { tried: counts.tried, survived: counts.survived, detail: counts.names.join("; "), test: "test/storage-identity.test.mjs" }));

test.run();
