// syncer-rsync's compare-and-swap on its own, on real folders: the re-check of a destination
// right before rsync runs (recheckDestination), and the judgement of what rsync moved out of the
// way when it renamed its copy into place (displacedVersion): the version the re-check approved,
// nothing, or something written after the re-check. Each case is one way a destination can
// change between the plan, the re-check and rsync's rename.
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./helpers/rsync-env.mjs";
import { memoryHashCache, quietLogger, rejectsWith } from "./helpers/unit.mjs";

createRequire(join(ROOT, "packages", "core", "package.json"))("reflect-metadata");
const { default: LocalBackend } = await import("@wlsync/backend-local");
const { displacedVersion, recheckDestination } = await import("../packages/syncer-rsync/dist/compare-and-swap.js");

const sha256 = (s) => createHash("sha256").update(s).digest("hex");

/** A destination storage `b` in a fresh temporary folder; `abs(path)` is the file on disk. */
function destination() {
  const dir = mkdtempSync(join(tmpdir(), "wl-rsync-cas-"));
  const root = join(dir, "b");
  mkdirSync(root);
  const to = new LocalBackend({ params: { "backend-id": "b", type: "local", path: root }, configDir: dir, hashCache: memoryHashCache(), logger: quietLogger });
  return { dir, to, abs: (path) => join(root, path), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const taskFor = (to, path, expected) => ({
  action: { type: "copy", path, to: "target", entry: { path, kind: "file", size: 1, token: "t", mtimeMs: 0 }, expected },
  to,
});

test("recheckDestination: the expected file still there → its identity (inode, size, mtime) as approved", async () => {
  const d = destination();
  try {
    writeFileSync(d.abs("doc.txt"), "v1");
    const before = Date.now();
    const approved = await recheckDestination(taskFor(d.to, "doc.txt", { kind: "file", hash: sha256("v1") }), d.abs("doc.txt"));
    const st = lstatSync(d.abs("doc.txt"), { bigint: true });
    assert.equal({ ino: approved.ino, size: approved.size, mtimeNs: approved.mtimeNs }, { ino: st.ino, size: st.size, mtimeNs: st.mtimeNs });
    assert.ok(approved.takenMs >= before && approved.takenMs <= Date.now(), "takenMs is when the snapshot was taken");
  } finally {
    d.cleanup();
  }
});

test("recheckDestination: nothing expected and nothing there → null (no file to approve)", async () => {
  const d = destination();
  try {
    assert.is(await recheckDestination(taskFor(d.to, "new.txt", { kind: "absent" }), d.abs("new.txt")), null);
  } finally {
    d.cleanup();
  }
});

for (const [name, expected, make, reason] of [
  ["a file edited since the plan", { kind: "file", hash: sha256("v1") }, (d) => writeFileSync(d.abs("x"), "v2"), "changed"],
  ["a file deleted since the plan", { kind: "file", hash: sha256("v1") }, () => {}, "disappeared"],
  ["a file replaced by a folder", { kind: "file", hash: sha256("v1") }, (d) => mkdirSync(d.abs("x")), "is no longer a file"],
  [
    "a file replaced by a symlink to a file with the same content",
    { kind: "file", hash: sha256("v1") },
    (d) => (writeFileSync(d.abs("real"), "v1"), symlinkSync("real", d.abs("x"))),
    "is no longer a file",
  ],
  ["a file that appeared where the plan saw nothing", { kind: "absent" }, (d) => writeFileSync(d.abs("x"), "theirs"), "appeared"],
  ["a folder rsync would be asked to replace with a file", { kind: "dir" }, (d) => mkdirSync(d.abs("x")), "is not the file the plan expected"],
  [
    "a symlink rsync would be asked to replace with a file",
    { kind: "symlink", target: "t" },
    (d) => symlinkSync("t", d.abs("x")),
    "is not the file the plan expected",
  ],
]) {
  test(`recheckDestination: ${name} → E_CAS "${reason}", nothing touched`, async () => {
    const d = destination();
    try {
      make(d);
      const err = await rejectsWith(recheckDestination(taskFor(d.to, "x", expected), d.abs("x")), "E_CAS");
      assert.is(err.message, `x: ${reason} on b since the plan was made`);
    } finally {
      d.cleanup();
    }
  });
}

test("recheckDestination: a file whose identity could not be taken (not there when looked at first) is not approved, even if it matches by the time it is hashed", async () => {
  const d = destination();
  try {
    writeFileSync(d.abs("doc.txt"), "v1");
    // The snapshot is taken of `abs`; here it names a file that is not there, as when the
    // destination appears only between the snapshot and the hash.
    const err = await rejectsWith(recheckDestination(taskFor(d.to, "doc.txt", { kind: "file", hash: sha256("v1") }), d.abs("not-yet.txt")), "E_CAS");
    assert.match(err.message, /doc\.txt: disappeared on b/);
    // Below a file (ENOTDIR) is "not there" too, not an error.
    await rejectsWith(recheckDestination(taskFor(d.to, "doc.txt", { kind: "file", hash: sha256("v1") }), join(d.abs("doc.txt"), "below")), "E_CAS");
  } finally {
    d.cleanup();
  }
});

test("recheckDestination: an I/O error other than 'not there' while taking the snapshot propagates (never read as approval or absence)", async () => {
  const d = destination();
  try {
    writeFileSync(d.abs("doc.txt"), "v1");
    symlinkSync("loop", d.abs("loop")); // a symlink to itself: ELOOP for anything below it
    try {
      await recheckDestination(taskFor(d.to, "doc.txt", { kind: "file", hash: sha256("v1") }), join(d.abs("loop"), "x"));
      assert.unreachable("ELOOP was swallowed");
    } catch (err) {
      assert.is(err.code, "ELOOP");
    }
  } finally {
    d.cleanup();
  }
});

/** A backup file `name` holding `content`, with mtime `ageMs` in the past; its lstat. */
function backup(d, name, content, ageMs) {
  const path = join(d.dir, name);
  writeFileSync(path, content);
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(path, t, t);
  return { path, st: lstatSync(path, { bigint: true }) };
}
const approvedOf = (st, takenMs) => ({ ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, takenMs });
const fileTask = (d, hash) => taskFor(d.to, "doc.txt", { kind: "file", hash });

test("displacedVersion: no backup (rsync replaced nothing) → none; a path below a file → none", async () => {
  const d = destination();
  try {
    assert.is(await displacedVersion(join(d.dir, "no-backup"), fileTask(d, sha256("v1")), null), "none");
    writeFileSync(join(d.dir, "plain"), "x");
    assert.is(await displacedVersion(join(d.dir, "plain", "below"), fileTask(d, sha256("v1")), null), "none");
  } finally {
    d.cleanup();
  }
});

test("displacedVersion: an I/O error other than 'not there' propagates", async () => {
  const d = destination();
  try {
    symlinkSync("loop", join(d.dir, "loop"));
    try {
      await displacedVersion(join(d.dir, "loop", "x"), fileTask(d, sha256("v1")), null);
      assert.unreachable("ELOOP was swallowed");
    } catch (err) {
      assert.is(err.code, "ELOOP");
    }
  } finally {
    d.cleanup();
  }
});

test("displacedVersion: something displaced where the plan expected nothing, or a displaced folder or symlink → other", async () => {
  const d = destination();
  try {
    const { path, st } = backup(d, "bak", "v1", 60_000);
    assert.is(await displacedVersion(path, taskFor(d.to, "doc.txt", { kind: "absent" }), approvedOf(st, Date.now())), "other");
    mkdirSync(join(d.dir, "bak-dir"));
    assert.is(await displacedVersion(join(d.dir, "bak-dir"), fileTask(d, sha256("v1")), null), "other");
    symlinkSync("bak", join(d.dir, "bak-link")); // points at a file holding the expected content
    assert.is(await displacedVersion(join(d.dir, "bak-link"), fileTask(d, sha256("v1")), null), "other");
  } finally {
    d.cleanup();
  }
});

test("displacedVersion: an old, unchanged identity is trusted without reading the file; any field that differs sends it to the hash", async () => {
  const d = destination();
  try {
    // The displaced file's content does NOT hash to the expected hash: only its identity can say "expected".
    const { path, st } = backup(d, "bak", "some other bytes", 60_000);
    const other = sha256("the approved bytes");
    const now = Date.now();
    assert.is(
      await displacedVersion(path, fileTask(d, other), approvedOf(st, now)),
      "expected",
      "same inode, size and old mtime: no write came after the re-check",
    );
    assert.is(await displacedVersion(path, fileTask(d, other), { ...approvedOf(st, now), ino: st.ino + 1n }), "other", "another inode");
    assert.is(await displacedVersion(path, fileTask(d, other), { ...approvedOf(st, now), size: st.size + 1n }), "other", "another size");
    assert.is(await displacedVersion(path, fileTask(d, other), { ...approvedOf(st, now), mtimeNs: st.mtimeNs + 1n }), "other", "another mtime");
    assert.is(await displacedVersion(path, fileTask(d, other), null), "other", "nothing approved: only the hash counts");
    // And the hash path on its own: identity differs, content is the expected one.
    assert.is(await displacedVersion(path, fileTask(d, sha256("some other bytes")), { ...approvedOf(st, now), ino: st.ino + 1n }), "expected");
    assert.is(await displacedVersion(path, fileTask(d, sha256("some other bytes")), null), "expected");
  } finally {
    d.cleanup();
  }
});

test("displacedVersion: an identity approved within 2 s of its mtime is not trusted (a write in the same timestamp tick leaves it unchanged); the hash decides", async () => {
  const d = destination();
  try {
    const { path, st } = backup(d, "bak", "written in the same tick", 0);
    const mtimeMs = Number(st.mtimeNs / 1_000_000n);
    const other = sha256("the approved bytes");
    assert.is(await displacedVersion(path, fileTask(d, other), approvedOf(st, mtimeMs + 2000)), "other", "exactly 2 s: still too recent");
    assert.is(await displacedVersion(path, fileTask(d, other), approvedOf(st, mtimeMs + 2001)), "expected", "just over 2 s: settled");
    assert.is(await displacedVersion(path, fileTask(d, other), approvedOf(st, mtimeMs - 5000)), "other", "an mtime in the future of the snapshot");
    assert.is(
      await displacedVersion(path, fileTask(d, sha256("written in the same tick")), approvedOf(st, mtimeMs + 10)),
      "expected",
      "recent, but the bytes are the expected ones",
    );
  } finally {
    d.cleanup();
  }
});

test.run();
