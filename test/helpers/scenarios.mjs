// The one-shot sync scenarios of SPEC section 2, run once per syncer (see scenarios-*.test.mjs).
import { existsSync, mkdirSync, rmSync, symlinkSync, readlinkSync, readFileSync, writeFileSync, renameSync, utimesSync } from "node:fs";
import { execFileSync } from "node:child_process";
import * as assert from "uvu/assert";
import { suite } from "uvu";
import { assertSameTree, bytes, localConfig, snapshot, wl, workspace } from "./wl.mjs";

export function defineScenarios(syncer) {
  const test = suite(`one-shot sync scenarios (--syncer ${syncer})`);
  let ws;
  const sync = (...args) => wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", syncer, ...args]);
  const ok = async (...args) => {
    const r = await sync(...args);
    assert.is(r.code, 0, `wl exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r;
  };

  test.before.each(() => {
    ws = workspace();
    localConfig(ws.dir);
  });
  test.after.each(() => ws.cleanup());

  test("new files on both sides meet", async () => {
    ws.write("a/from-a.txt", "A");
    ws.write("b/from-b.txt", "B");
    const r = await ok();
    assert.match(r.stdout, new RegExp(`\\[${syncer}, two-way`));
    assert.is(ws.read("b/from-a.txt"), "A");
    assert.is(ws.read("a/from-b.txt"), "B");
    assertSameTree(ws.path("a"), ws.path("b"));
  });

  test("an edit propagates each way", async () => {
    ws.write("a/doc.txt", "v1");
    await ok();
    ws.write("a/doc.txt", "v2 from a");
    await ok();
    assert.is(ws.read("b/doc.txt"), "v2 from a");
    ws.write("b/doc.txt", "v3 from b, longer");
    await ok();
    assert.is(ws.read("a/doc.txt"), "v3 from b, longer");
  });

  test("an edit of the same size and mtime-second is still seen (hash, not size)", async () => {
    ws.write("a/same.txt", "aaaa");
    await ok();
    ws.write("a/same.txt", "bbbb");
    await ok();
    assert.is(ws.read("b/same.txt"), "bbbb");
  });

  test("an edit of the same size with its mtime put back (touch -r) is still seen, also once tokens are trusted", async () => {
    const old = new Date("2020-01-02T03:04:05.678Z");
    ws.write("a/same.txt", "aaaa");
    utimesSync(ws.path("a/same.txt"), old, old); // old mtime: the token is trusted at once
    await ok();
    ws.write("a/same.txt", "bbbb");
    utimesSync(ws.path("a/same.txt"), old, old);
    await ok();
    assert.is(ws.read("b/same.txt"), "bbbb");
    ws.write("b/same.txt", "cccc");
    utimesSync(ws.path("b/same.txt"), old, old);
    await ok();
    assert.is(ws.read("a/same.txt"), "cccc");
  });

  test("a touched file (new mtime, same bytes) is not copied, and passes after it copy nothing", async () => {
    const old = new Date("2020-01-02T03:04:05.678Z");
    ws.write("a/doc.txt", "unchanged bytes");
    utimesSync(ws.path("a/doc.txt"), old, old);
    await ok();
    const later = new Date("2021-05-06T07:08:09.123Z");
    utimesSync(ws.path("a/doc.txt"), later, later);
    for (let i = 0; i < 2; i++) {
      const r = await ok("--json");
      const c = JSON.parse(r.stdout).counters;
      assert.is(c.copiedToTarget + c.copiedToSource, 0, `pass ${i + 1} after the touch copied something: ${r.stdout}`);
    }
    assert.is(ws.read("b/doc.txt"), "unchanged bytes");
  });

  test("a deletion made between passes propagates and is not resurrected", async () => {
    ws.write("a/keep.txt", "k");
    ws.write("a/gone.txt", "g");
    ws.write("a/dir/inner.txt", "i");
    await ok();
    rmSync(ws.path("b/gone.txt"));
    rmSync(ws.path("a/dir"), { recursive: true });
    await ok();
    assert.not.ok(existsSync(ws.path("a/gone.txt")));
    assert.not.ok(existsSync(ws.path("b/dir")));
    await ok();
    assert.not.ok(existsSync(ws.path("a/gone.txt")), "deleted file came back");
    assert.not.ok(existsSync(ws.path("b/dir")), "deleted folder came back");
    assertSameTree(ws.path("a"), ws.path("b"));
  });

  test("a tree with empty folders, spaces, non-ASCII names, a 0-byte and a 20 MB file arrives byte for byte", async () => {
    mkdirSync(ws.path("a/empty/nested-empty"), { recursive: true });
    ws.write("a/with space/file name.txt", "spaces");
    ws.write("a/zażółć/日本語 ✓.txt", "unicode");
    ws.write("a/zero.bin", "");
    ws.write("a/big/twenty.bin", bytes(20 * 1024 * 1024));
    ws.write("a/plus+sign & co.txt", "+");
    await ok();
    assertSameTree(ws.path("a"), ws.path("b"));
    assert.ok(existsSync(ws.path("b/empty/nested-empty")));
  });

  // Which paths conflict (edited on both sides, edited against deleted, file against folder) is
  // decided by the planner and tested from a table in plan.test.mjs; these scenarios keep what
  // needs real disks and the wl binary: exit codes, listings, nothing touched on disk.
  test("different content at first meeting is a conflict: both untouched, exit 1, listed", async () => {
    ws.write("a/x.txt", "from a");
    ws.write("b/x.txt", "from b!");
    ws.write("a/other.txt", "other");
    const r = await sync();
    assert.is(r.code, 1);
    assert.match(r.stdout, /conflicts: 1 \(x\.txt: different content/);
    assert.is(ws.read("a/x.txt"), "from a");
    assert.is(ws.read("b/x.txt"), "from b!");
    assert.is(ws.read("b/other.txt"), "other", "the rest still syncs");
    const list = await wl(ws.dir, ["container", "list-conflicts", "box"]);
    assert.is(list.code, 1);
    assert.match(list.stdout, /x\.txt: different content on both sides/);
    const scanned = await wl(ws.dir, ["container", "list-conflicts", "box", "--force-scan", "--json"]);
    assert.is(scanned.code, 1);
    assert.equal(JSON.parse(scanned.stdout)[0].conflicts.map((c) => c.path), ["x.txt"]);
    const again = await sync();
    assert.is(again.code, 1, "the conflict stays reported until resolved");
  });

  test("copying the wanted file over the other resolves a conflict; later edits flow again", async () => {
    ws.write("a/x.txt", "base");
    await ok();
    ws.write("a/x.txt", "wanted");
    ws.write("b/x.txt", "unwanted");
    assert.is((await sync()).code, 1);
    writeFileSync(ws.path("b/x.txt"), readFileSync(ws.path("a/x.txt")));
    await ok();
    const list = await wl(ws.dir, ["container", "list-conflicts", "box"]);
    assert.is(list.code, 0);
    ws.write("b/x.txt", "later edit");
    await ok();
    assert.is(ws.read("a/x.txt"), "later edit");
  });

  test("deleting one side of a conflict restores the other version to both", async () => {
    ws.write("a/x.txt", "base");
    await ok();
    ws.write("a/x.txt", "keep me");
    ws.write("b/x.txt", "drop me");
    assert.is((await sync()).code, 1);
    rmSync(ws.path("b/x.txt"));
    await ok();
    assert.is(ws.read("a/x.txt"), "keep me");
    assert.is(ws.read("b/x.txt"), "keep me");
    // the other way round, at first meeting
    ws.write("a/y.txt", "drop");
    ws.write("b/y.txt", "keep");
    assert.is((await sync()).code, 1);
    rmSync(ws.path("a/y.txt"));
    await ok();
    assert.is(ws.read("a/y.txt"), "keep");
  });

  test("one-way mode does not push target-only files back, and target edits stay", async () => {
    ws.write("a/s.txt", "source");
    ws.write("b/t.txt", "target only");
    await ok("--unidirectional");
    assert.is(ws.read("b/s.txt"), "source");
    assert.not.ok(existsSync(ws.path("a/t.txt")));
    ws.write("b/s.txt", "edited on target");
    const r = await ok("--unidirectional");
    assert.match(r.stdout, /one-way/);
    assert.is(ws.read("a/s.txt"), "source");
    assert.is(ws.read("b/s.txt"), "edited on target");
    ws.write("a/s.txt", "edited on source too");
    assert.is((await sync("--unidirectional")).code, 1, "changed on both: a conflict");
    assert.is(ws.read("b/s.txt"), "edited on target");
  });

  test("--dry-run changes nothing and prints the plan", async () => {
    ws.write("a/new.txt", "n");
    ws.write("a/old.txt", "o");
    await ok();
    ws.write("a/new2.txt", "n2");
    rmSync(ws.path("a/old.txt"));
    const before = snapshot(ws.path("b"));
    const r = await ok("--dry-run");
    assert.match(r.stdout, /copy a → b: new2\.txt/);
    assert.match(r.stdout, /delete on b: old\.txt/);
    assert.match(r.stdout, /dry run:/);
    assert.equal([...snapshot(ws.path("b")).keys()], [...before.keys()]);
    const json = await ok("--dry-run", "--json");
    const result = JSON.parse(json.stdout);
    assert.is(result.dryRun, true);
    assert.equal(result.plan.actions.map((x) => `${x.type}:${x.path}`).sort(), ["copy:new2.txt", "delete:old.txt"]);
  });

  test("the max-delete gate stops a pass that would delete most files, --force passes it", async () => {
    for (let i = 0; i < 12; i++) ws.write(`a/f${i}.txt`, `${i}`);
    await ok();
    for (let i = 0; i < 10; i++) rmSync(ws.path(`a/f${i}.txt`));
    ws.write("a/new.txt", "new");
    const r = await sync();
    assert.is(r.code, 3);
    assert.match(r.stderr, /would delete 10 of the 12 files on b .*--force/);
    assert.ok(existsSync(ws.path("b/f0.txt")), "nothing was deleted");
    assert.not.ok(existsSync(ws.path("b/new.txt")), "nothing was copied either");
    await ok("--force");
    assert.not.ok(existsSync(ws.path("b/f0.txt")));
    assert.is(ws.read("b/new.txt"), "new");
  });

  test("an emptied storage is stopped by the gate, not propagated", async () => {
    for (let i = 0; i < 20; i++) ws.write(`a/f${i}.txt`, `${i}`);
    await ok();
    rmSync(ws.path("b"), { recursive: true });
    mkdirSync(ws.path("b"));
    const r = await sync();
    assert.is(r.code, 3);
    assert.is(snapshot(ws.path("a")).size, 20);
  });

  test("a missing storage root exits 3 and deletes nothing", async () => {
    ws.write("a/x.txt", "x");
    await ok();
    rmSync(ws.path("b"), { recursive: true });
    const r = await sync();
    assert.is(r.code, 3);
    assert.match(r.stderr, /folder .*b does not exist/);
    assert.is(ws.read("a/x.txt"), "x");
  });

  test("symlinks sync as links; FIFOs are skipped with a warning", async () => {
    ws.write("a/real.txt", "r");
    symlinkSync("real.txt", ws.path("a/link.txt"));
    symlinkSync("/nonexistent/outside", ws.path("a/dangling"));
    execFileSync("mkfifo", [ws.path("a/pipe")]);
    const r = await ok();
    assert.is(readlinkSync(ws.path("b/link.txt")), "real.txt");
    assert.is(readlinkSync(ws.path("b/dangling")), "/nonexistent/outside");
    assert.not.ok(existsSync(ws.path("b/pipe")));
    assert.match(r.stderr, /pipe: skipped: a FIFO/);
  });

  test("ignore patterns and .wlsyncignore keep files out, both ways", async () => {
    localConfig(ws.dir, { container: { ignore: ["*.tmp", "cache/"] } });
    ws.write("a/.wlsyncignore", "secret.txt\n");
    ws.write("a/x.tmp", "t");
    ws.write("a/cache/c.txt", "c");
    ws.write("b/secret.txt", "s");
    ws.write("a/kept.txt", "k");
    await ok();
    assert.not.ok(existsSync(ws.path("b/x.tmp")));
    assert.not.ok(existsSync(ws.path("b/cache")));
    assert.not.ok(existsSync(ws.path("a/secret.txt")));
    assert.is(ws.read("b/kept.txt"), "k");
  });

  test("a rename is a delete plus a create; permissions and mtimes are kept", async () => {
    ws.write("a/old name.txt", "content");
    execFileSync("chmod", ["751", ws.path("a/old name.txt")]);
    await ok();
    renameSync(ws.path("a/old name.txt"), ws.path("a/new name.txt"));
    await ok();
    assert.not.ok(existsSync(ws.path("b/old name.txt")));
    assert.is(ws.read("b/new name.txt"), "content");
    const { statSync } = await import("node:fs");
    assert.is(statSync(ws.path("b/new name.txt")).mode & 0o777, 0o751);
    const drift = statSync(ws.path("b/new name.txt")).mtimeMs - statSync(ws.path("a/new name.txt")).mtimeMs;
    assert.ok(Math.abs(drift) < 1, `mtime differs by ${drift} ms`);
  });

  test("a file replaced by a folder (and back) propagates", async () => {
    ws.write("a/node", "file");
    await ok();
    rmSync(ws.path("a/node"));
    ws.write("a/node/child.txt", "child");
    await ok();
    assert.is(ws.read("b/node/child.txt"), "child");
    rmSync(ws.path("b/node"), { recursive: true });
    ws.write("b/node", "file again");
    await ok();
    assert.is(ws.read("a/node"), "file again");
    assertSameTree(ws.path("a"), ws.path("b"));
  });

  return test;
}
