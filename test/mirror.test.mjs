// A one-way mirror through the built `wl`: `--unidirectional --conflict-resolve SOURCE-ID` makes
// the target a copy of the source (as `rclone sync` and `unison -force` do): what changed on the
// target alone (an edit, a deletion, a new file or folder, a chmod) is put back as the source has
// it, the target's replaced or removed content kept in its versions store; without that policy a
// one-way pass leaves the target's own changes where they are. The safety gates weigh what a
// mirror deletes on the target like any deletion.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { snapshot, waitFor, wl, workspace } from "./helpers/wl.mjs";

/** Local storages src and dst in container mir; `run(...args)` runs `wl` there. */
function setup() {
  const ws = workspace("wl-mirror-");
  for (const id of ["src", "dst"]) mkdirSync(ws.path(id));
  const storages = ["src", "dst"].map((id) => ({ "backend-id": id, type: "local", path: `./${id}` }));
  writeFileSync(ws.path(".wlsyncrc"), JSON.stringify({ containers: { mir: { storages } } }));
  const run = (...args) => wl(ws.dir, args);
  return { ws, run };
}

/** A storage's tree as path → kind, bytes or link target, and permission bits for files (wl's .wlsync/ left out). */
function tree(root) {
  const out = {};
  for (const [p, e] of snapshot(root)) {
    out[p] = e.kind === "file" ? `file ${e.bytes.toString("base64")} ${(lstatSync(join(root, p)).mode & 0o777).toString(8)}` : e.kind === "symlink" ? `link ${e.target}` : e.kind;
  }
  return out;
}

/** The contents a storage's versions store keeps of `path` (every version of it). */
function versionsOf(root, path) {
  const dir = join(root, ".wlsync", "versions");
  if (!existsSync(dir)) return [];
  const out = [];
  for (const [name, e] of snapshot(dir, { tool: true })) if (e.kind === "file" && name.startsWith(`${path}~`)) out.push(e.bytes.toString());
  return out;
}

const hasRsync = spawnSync("rsync", ["--version"]).status === 0;

for (const syncer of ["naive", "rsync"]) {
  test(`${syncer}: one-way alone leaves the target's own changes; with --conflict-resolve SOURCE-ID the target becomes the source's copy, its content kept as versions`, async () => {
    if (syncer === "rsync" && !hasRsync) {
      console.log("[not run] mirror with the rsync syncer: rsync is not installed");
      return;
    }
    const { ws, run } = setup();
    try {
      const sync = (...args) => run("container", "sync", "--one-shot", "mir", "--syncer", syncer, "--unidirectional", "-v", ...args);
      ws.write("src/f1", "one\n");
      ws.write("src/f2", "two\n");
      ws.write("src/f3", "three\n");
      ws.write("src/d/x", "in d\n");
      ws.write("src/d/y", "also in d\n");
      ws.write("src/keep/k", "kept folder\n");
      const first = await sync();
      assert.is(first.code, 0, first.stderr);
      // The target's own changes since the base.
      rmSync(ws.path("dst/f1"));
      ws.write("dst/f2", "edited on dst\n");
      ws.write("dst/extra", "only on dst\n");
      ws.write("dst/newdir/sub/n", "a new folder on dst\n");
      ws.write("dst/keep/added", "added in a shared folder\n");
      rmSync(ws.path("dst/d"), { recursive: true });
      chmodSync(ws.path("dst/f3"), 0o600);

      // Without a policy (or with one that does not always keep the source): as documented, they stay.
      const before = tree(ws.path("dst"));
      for (const extra of [[], ["--conflict-resolve", "newer"]]) {
        const plain = await sync(...extra);
        assert.is(plain.code, 0, plain.stderr);
        assert.match(plain.stdout, /copy src → dst: 0 files/);
        assert.not.match(plain.stdout, /resolved/);
        assert.equal(tree(ws.path("dst")), before, `one-way ${extra.join(" ")} leaves the target's own changes`);
      }
      assert.is((await run("container", "check", "mir")).code, 1);

      // A dry run says what the mirror would do and changes nothing.
      const dry = await sync("--conflict-resolve", "src", "--dry-run");
      assert.is(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /would resolve f1 \(deleted on dst only\): keep src; dst had deleted it: src's would be put back/);
      assert.match(dry.stdout, /would resolve f2 \(changed on dst only\): keep src; dst's version would be kept in its versions/);
      assert.match(dry.stdout, /would resolve extra \(a file on dst only\)/);
      assert.equal(tree(ws.path("dst")), before, "a dry run changes nothing");

      const mirror = await sync("--conflict-resolve", "src");
      assert.is(mirror.code, 0, `${mirror.stdout}\n${mirror.stderr}`);
      assert.match(mirror.stdout, /resolved f2 \(changed on dst only\): keep src; dst's version is kept in its versions/);
      assert.match(mirror.stdout, /resolved newdir \(a folder on dst only\)/);
      assert.match(mirror.stdout, /resolved f3: keep src; dst's permission bits are set to src's/);
      assert.match(mirror.stdout, /resolved: 7; conflicts: 0/);
      // Byte for byte (and mode for mode) the source's tree.
      assert.equal(tree(ws.path("dst")), tree(ws.path("src")));
      // Nothing of the target's is lost: what was replaced or removed is in its versions store.
      assert.equal(versionsOf(ws.path("dst"), "f2"), ["edited on dst\n"]);
      assert.equal(versionsOf(ws.path("dst"), "extra"), ["only on dst\n"]);
      assert.equal(versionsOf(ws.path("dst"), "newdir/sub/n"), ["a new folder on dst\n"]);
      assert.equal(versionsOf(ws.path("dst"), "keep/added"), ["added in a shared folder\n"]);
      assert.equal(versionsOf(ws.path("src"), "f2"), [], "the source is never written");
      const check = await run("container", "check", "mir");
      assert.is(check.code, 0, check.stdout);
      assert.match(check.stdout, /identical/);
      // The base now holds the mirrored state: the next pass has nothing to do.
      const again = await sync("--conflict-resolve", "src");
      assert.is(again.code, 0, again.stderr);
      assert.match(again.stdout, /copy src → dst: 0 files, 0 B; conflicts: 0/);
      // A source change still flows, and a target edit of it is put back again.
      ws.write("src/f1", "one, edited on src\n");
      ws.write("dst/f3", "dst again\n");
      assert.is((await sync("--conflict-resolve", "src")).code, 0);
      assert.equal(tree(ws.path("dst")), tree(ws.path("src")));
      assert.equal(versionsOf(ws.path("dst"), "f3"), ["dst again\n"]);
    } finally {
      ws.cleanup();
    }
  });
}

test("first meeting: the target becomes the source's copy; its differing and extra content kept as versions", async () => {
  const { ws, run } = setup();
  try {
    ws.write("src/same", "same on both\n");
    ws.write("src/diff", "the source's\n");
    ws.write("src/only-src/a", "a\n");
    ws.write("dst/same", "same on both\n");
    ws.write("dst/diff", "the target's older copy\n");
    ws.write("dst/only-dst", "extra\n");
    ws.write("dst/gone/b", "b\n");
    const r = await run("container", "sync", "--one-shot", "mir", "--unidirectional", "--conflict-resolve", "src", "-v");
    assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /resolved only-dst \(a file on dst only\)/);
    assert.equal(tree(ws.path("dst")), tree(ws.path("src")));
    assert.equal(versionsOf(ws.path("dst"), "diff"), ["the target's older copy\n"]);
    assert.equal(versionsOf(ws.path("dst"), "only-dst"), ["extra\n"]);
    assert.equal(versionsOf(ws.path("dst"), "gone/b"), ["b\n"]);
    assert.is((await run("container", "check", "mir")).code, 0);
  } finally {
    ws.cleanup();
  }
});

test("safety gates: a mirror that would delete most of the target stops (exit 3, nothing changed); --force lets it through, versions kept", async () => {
  const { ws, run } = setup();
  try {
    for (let i = 0; i < 4; i++) ws.write(`src/s${i}`, `synced ${i}\n`);
    const mirror = (...args) => run("container", "sync", "--one-shot", "mir", "--unidirectional", "--conflict-resolve", "src", ...args);
    assert.is((await mirror()).code, 0);
    for (let i = 0; i < 10; i++) ws.write(`dst/junk/j${i}`, `junk ${i}\n`);
    const before = tree(ws.path("dst"));
    const gated = await mirror();
    assert.is(gated.code, 3, `${gated.stdout}\n${gated.stderr}`);
    assert.match(gated.stderr, /max-delete|would delete/);
    assert.equal(tree(ws.path("dst")), before, "a gated pass changes nothing");
    const forced = await mirror("--force");
    assert.is(forced.code, 0, forced.stderr);
    assert.equal(tree(ws.path("dst")), tree(ws.path("src")));
    assert.equal(versionsOf(ws.path("dst"), "junk/j7"), ["junk 7\n"]);
    // An emptied source is taken for an unmounted disk, mirror or not.
    for (let i = 0; i < 4; i++) rmSync(ws.path(`src/s${i}`));
    const emptied = await mirror();
    assert.is(emptied.code, 3, `${emptied.stdout}\n${emptied.stderr}`);
    assert.match(emptied.stderr, /storage src is empty/);
    assert.is(ws.read("dst/s0"), "synced 0\n");
  } finally {
    ws.cleanup();
  }
});

test("continuous: a one-way job with conflict-resolve: SOURCE-ID undoes the target's own changes as they happen, keeping versions", async () => {
  const { ws, run } = setup();
  try {
    const storages = ["src", "dst"].map((id) => ({ "backend-id": id, type: "local", path: `./${id}` }));
    writeFileSync(ws.path(".wlsyncrc"), JSON.stringify({ containers: { mir: { "conflict-resolve": "src", storages } } }));
    ws.write("src/a", "a\n");
    ws.write("src/b", "b\n");
    const started = await run("container", "sync", "mir", "--unidirectional");
    assert.is(started.code, 0, `${started.stdout}\n${started.stderr}`);
    ws.write("dst/a", "edited on dst\n");
    ws.write("dst/junk", "junk\n");
    rmSync(ws.path("dst/b"));
    await waitFor(() => JSON.stringify(tree(ws.path("dst"))) === JSON.stringify(tree(ws.path("src"))), "dst to be the source's copy again");
    await waitFor(() => versionsOf(ws.path("dst"), "a").length === 1 && versionsOf(ws.path("dst"), "junk").length === 1, "dst's content in its versions");
    assert.equal(versionsOf(ws.path("dst"), "a"), ["edited on dst\n"]);
    assert.equal(versionsOf(ws.path("dst"), "junk"), ["junk\n"]);
  } finally {
    await run("daemon", "stop");
    ws.cleanup();
  }
});

test.run();
