// Real file systems (issue 13, inputs 1 to 3): case-insensitive names, no hard links and no
// symlinks (exFAT, vfat), whole-second timestamps (ext4 made with -I 128), no real ctime (exFAT,
// vfat). Loop-mounted images made here (test/helpers/filesystems.mjs); a file system that cannot
// be mounted prints `[not run]` and is not counted.

import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import * as assert from "uvu/assert";
import { test } from "uvu";
import { withFs } from "./helpers/filesystems.mjs";
import { report } from "./helpers/report.mjs";
import { assertSameTree, localConfig, snapshot, wait, wl, workspace } from "./helpers/wl.mjs";

const SYNCERS = ["rsync", "naive"];
const counts = { tried: 0, survived: 0, names: [], notRun: [] };

async function sync(ws, syncer, extra = []) {
  const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--json", "--syncer", syncer, ...extra]);
  try {
    r.json = JSON.parse(r.stdout);
  } catch {
    r.json = undefined;
  }
  return r;
}
const expectCode = (r, code, what = "") =>
  assert.is(r.code, code, `${what} wl exited ${r.code}, expected ${code}\nconflicts: ${JSON.stringify(r.json?.conflicts)}\nerrors: ${JSON.stringify(r.json?.errors)}\nstderr: ${r.stderr}`);

/** One case on one file system: mounted on `<ws>/<side>`, counted only if it ran. */
async function onFs(kind, side, name, fn, options) {
  const ws = workspace(`wl-fs-${kind}-`);
  try {
    localConfig(ws.dir);
    const ran = await withFs(kind, ws.path(side), `${name} on ${kind}`, async () => {
      counts.tried++;
      if ((await fn(ws)) === "not run") {
        counts.tried--;
        counts.notRun.push(`${name} on ${kind} (see above)`);
        return;
      }
      counts.survived++;
      counts.names.push(`${name} on ${kind}`);
    }, options);
    if (!ran) counts.notRun.push(`${name} on ${kind}`);
  } finally {
    ws.cleanup();
  }
}

// ---- input 1: case-insensitive targets -------------------------------------------------------

for (const kind of ["exfat", "vfat"]) {
  for (const syncer of SYNCERS) {
    test(`case-insensitive target (${kind}): names differing only in case are conflicts, never overwritten or deleted (${syncer})`, async () => {
      await onFs(kind, "b", `case collisions (${syncer})`, async (ws) => {
        ws.write("a/Case.txt", "upper");
        ws.write("a/case.txt", "lower");
        ws.write("a/Dir/x.txt", "in Dir");
        ws.write("a/dir/y.txt", "in dir");
        ws.write("a/Name", "a file");
        ws.write("a/name/inside.txt", "a folder's file");
        ws.write("a/plain.txt", "no collision");
        // NFC and NFD forms: exFAT keeps them apart (it does not normalize), so both sync.
        ws.write("a/caf\u00e9.txt", "nfc");
        ws.write("a/cafe\u0301.txt", "nfd");
        const before = snapshot(ws.path("a"));
        for (let pass = 1; pass <= 2; pass++) {
          const r = await sync(ws, syncer);
          expectCode(r, 1, `pass ${pass}:`);
          assert.equal(r.json.conflicts.map((c) => c.path).sort(), ["Case.txt", "Dir", "Name", "case.txt", "dir", "name"], `pass ${pass}`);
          assert.ok(r.json.conflicts.every((c) => c.reason === "name-collision"));
          assert.equal(snapshot(ws.path("a")), before, `pass ${pass}: a was changed`);
          assert.is(ws.read("b/plain.txt"), "no collision");
          assert.is(ws.read("b/caf\u00e9.txt"), "nfc");
          assert.is(ws.read("b/cafe\u0301.txt"), "nfd");
          assert.not.ok(existsSync(ws.path("b/case.txt")), "a colliding name was written to b");
        }
        // Resolved by renaming one of them on a: both go across.
        const { renameSync } = await import("node:fs");
        renameSync(ws.path("a/case.txt"), ws.path("a/case-lower.txt"));
        renameSync(ws.path("a/dir"), ws.path("a/dir-2"));
        renameSync(ws.path("a/name"), ws.path("a/name-folder"));
        const r = await sync(ws, syncer);
        expectCode(r, 0, "after renaming:");
        assertSameTree(ws.path("a"), ws.path("b"));
        assert.is(ws.read("b/Case.txt"), "upper");
        assert.is(ws.read("b/case-lower.txt"), "lower");
      });
    });
  }
}

// ---- input 2: no hard links, no symlinks on the target ---------------------------------------

for (const kind of ["exfat", "vfat"]) {
  for (const syncer of SYNCERS) {
    test(`no hard links, no symlinks: new files, folders and replacements reach ${kind} (${syncer}); links are skipped with a warning`, async () => {
      await onFs(kind, "b", `no hard links (${syncer})`, async (ws) => {
        ws.write("a/one.txt", "one");
        ws.write("a/folder/two.txt", "two");
        ws.write("a/folder/deeper/three.bin", Buffer.alloc(70_000, 7));
        mkdirSync(ws.path("a/empty"));
        const { symlinkSync } = await import("node:fs");
        symlinkSync("one.txt", ws.path("a/link-to-one"));
        let r = await sync(ws, syncer);
        expectCode(r, 0, "first pass:");
        assert.is(r.json.counters.copiedToTarget, 3);
        assert.ok(r.json.warnings.some((w) => /link-to-one: symlink skipped/.test(w)), `a warning for the link: ${JSON.stringify(r.json.warnings)}`);
        assert.is(ws.read("b/folder/two.txt"), "two");
        assert.ok(statSync(ws.path("b/empty")).isDirectory());
        // Replacements and new files both ways; then nothing left to do, the link still only warned about.
        ws.write("b/one.txt", "one, edited on b");
        ws.write("b/from-b.txt", "new on b");
        ws.write("a/folder/two.txt", "two, edited on a");
        r = await sync(ws, syncer);
        expectCode(r, 0, "second pass:");
        assert.is(ws.read("a/one.txt"), "one, edited on b");
        assert.is(ws.read("a/from-b.txt"), "new on b");
        assert.is(ws.read("b/folder/two.txt"), "two, edited on a");
        r = await sync(ws, syncer);
        expectCode(r, 0, "third pass:");
        assert.is(r.json.counters.copiedToTarget + r.json.counters.copiedToSource, 0);
        assert.equal(readdirSync(ws.path("b")).filter((n) => n.startsWith(".wlsync-tmp")), []);
      });
    });
  }
}

// ---- input 3: coarse timestamps, no real ctime -----------------------------------------------

/** Rewrites `file` in place with same-size content and sets its mtime back to what it was. */
function rewriteKeepingMtime(file, content) {
  const before = statSync(file);
  writeFileSync(file, content);
  utimesSync(file, before.atime, before.mtime);
}



/**
 * Passes through core's API (the same engine and local backend as wl, in this process, so a pass
 * takes milliseconds and fits inside one second), with core's streaming copy or the rsync program.
 */
async function enginePassFor(ws, syncer) {
  const { enginePair } = await import("./helpers/engine.mjs");
  const pair = enginePair(ws.dir);
  if (syncer === "naive") return { pass: () => pair.pass(), close: pair.close };
  const { RsyncTransferer, probeRsync } = await import("@wlsync/syncer-rsync");
  const program = await probeRsync();
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  return { pass: () => pair.pass({ transferer: new RsyncTransferer({ program, logger: quiet }) }), close: pair.close };
}

for (const syncer of SYNCERS) {
  test(`whole-second timestamps (ext4 -I 128): two same-size in-place edits with the mtime set back, around a pass in one second, both reach the other side (${syncer})`, async () => {
    await onFs("ext4s", "a", `same-second edits (${syncer})`, async (ws) => {
      const engine = await enginePassFor(ws, syncer);
      try {
        ws.write("a/doc.txt", "version 0");
        ws.write("a/other.txt", "other");
        let r = await engine.pass();
        assert.is(r.errors.length, 0);
        await wait(2100);
        let sameSecond = false;
        for (let attempt = 1; attempt <= 3 && !sameSecond; attempt++) {
          await wait(1000 - (Date.now() % 1000) + 10);
          const second = Math.floor(Date.now() / 1000);
          rewriteKeepingMtime(ws.path("a/doc.txt"), `version ${attempt}A`);
          r = await engine.pass();
          assert.is(r.counters.copiedToTarget, 1, `try ${attempt}: the first edit was copied`);
          rewriteKeepingMtime(ws.path("a/doc.txt"), `version ${attempt}B`);
          sameSecond = Math.floor(Date.now() / 1000) === second;
          await wait(2100);
          r = await engine.pass();
          assert.equal(r.errors, []);
          assert.is(ws.read("b/doc.txt"), `version ${attempt}B`, `try ${attempt}: the second edit was never copied`);
          assertSameTree(ws.path("a"), ws.path("b"));
        }
        if (!sameSecond) {
          console.log(`[not run] same-second edits (${syncer}): no try fitted a pass between two edits in one second here`);
          return "not run";
        }
        // A later edit on b is news and a has nothing new: b's edit wins, no conflict.
        await wait(1100);
        ws.write("b/doc.txt", "edited on b, later");
        r = await engine.pass();
        assert.equal(r.conflicts, []);
        assert.is(ws.read("a/doc.txt"), "edited on b, later");
      } finally {
        engine.close();
      }
    });
  });
}

for (const kind of ["exfat", "vfat"]) {
  for (const syncer of SYNCERS) {
    test(`no real ctime (${kind}): a same-size edit that sets the mtime back is seen (${syncer})`, async () => {
      await onFs(kind, "a", `mtime set back (${syncer})`, async (ws) => {
        ws.write("a/doc.txt", "version 1");
        expectCode(await sync(ws, syncer), 0);
        await wait(4100); // past any racy window
        expectCode(await sync(ws, syncer), 0); // the tokens are as trusted as they will ever be
        rewriteKeepingMtime(ws.path("a/doc.txt"), "version 2");
        const r = await sync(ws, syncer);
        expectCode(r, 0);
        assert.is(ws.read("b/doc.txt"), "version 2", "a same-size edit with the mtime set back was never seen");
      });
    });
  }
}

test.after(() => {
  if (counts.notRun.length) console.log(`[not run] ${counts.notRun.length} file-system cases: ${counts.notRun.join("; ")}`);
  report("file systems (issue 13: 1-4)", { tried: counts.tried, survived: counts.survived, detail: counts.names.join("; "), test: "test/filesystems.test.mjs" });
});

test.run();
