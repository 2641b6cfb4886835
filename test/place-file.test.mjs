// The plugin API's compare-and-swap pieces, tested directly: the one "expected vs current"
// verdict every backend uses (a table), and placeFile, the safe placement of a written
// temporary file on a local disk (backend-local and syncer-rsync), on ext4/tmpfs and on a
// file system without hard links (exFAT through FUSE, as USB sticks are formatted).
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { ChangedDuringSyncError, assertExpected, casMismatch, currentOf, expectedMismatch, foreignToken, isSameFile, localFileToken, placeFile } from "@wlsync/plugin-api";
import { ROOT } from "./helpers/wl.mjs";
import { memoryHashCache, quietLogger, rejectsWith } from "./helpers/unit.mjs";

createRequire(join(ROOT, "packages", "core", "package.json"))("reflect-metadata");
const { default: LocalBackend } = await import("@wlsync/backend-local");
const sha256 = (s) => createHash("sha256").update(s).digest("hex");

const file = (hash) => ({ kind: "file", hash: async () => hash });
const changing = { kind: "file", hash: async () => Promise.reject(new ChangedDuringSyncError("x: changed while it was hashed")) };
const TABLE = [
  ["absent, nothing there", { kind: "absent" }, { kind: "absent" }, null],
  ["absent, a file appeared", { kind: "absent" }, file("h"), "appeared"],
  ["absent, a folder appeared", { kind: "absent" }, { kind: "dir" }, "appeared"],
  ["file, same hash", { kind: "file", hash: "h" }, file("h"), null],
  ["file, other hash", { kind: "file", hash: "h" }, file("g"), "changed"],
  ["file, gone", { kind: "file", hash: "h" }, { kind: "absent" }, "disappeared"],
  ["file, now a folder", { kind: "file", hash: "h" }, { kind: "dir" }, "is no longer a file"],
  ["file, now a link", { kind: "file", hash: "h" }, { kind: "symlink", target: "t" }, "is no longer a file"],
  ["file, being written while hashed", { kind: "file", hash: "h" }, changing, "is changing"],
  ["folder, still a folder", { kind: "dir" }, { kind: "dir" }, null],
  ["folder, now a file", { kind: "dir" }, file("h"), "changed"],
  ["link, same target", { kind: "symlink", target: "t" }, { kind: "symlink", target: "t" }, null],
  ["link, other target", { kind: "symlink", target: "t" }, { kind: "symlink", target: "u" }, "changed"],
  ["link, gone", { kind: "symlink", target: "t" }, { kind: "absent" }, "changed"],
];
for (const [name, expected, current, verdict] of TABLE) {
  test(`expectedMismatch: ${name} → ${verdict ?? "matches"}`, async () => {
    assert.is(await expectedMismatch(expected, current), verdict);
  });
}

test("expectedMismatch: a file is hashed only when the kinds match; other errors propagate", async () => {
  let hashed = 0;
  assert.is(await expectedMismatch({ kind: "absent" }, { kind: "file", hash: async () => (hashed++, "h") }), "appeared");
  assert.is(hashed, 0);
  try {
    await expectedMismatch({ kind: "file", hash: "h" }, { kind: "file", hash: async () => Promise.reject(Object.assign(new Error("EIO"), { code: "EIO" })) });
    assert.unreachable("the I/O error was swallowed");
  } catch (err) {
    assert.is(err.code, "EIO");
  }
});

/** placeFile's behaviour in folder `dir`, whatever its file system. */
async function placement(dir, label) {
  const tmp = (name, content) => {
    const path = join(dir, `.wlsync-tmp-${name}`);
    writeFileSync(path, content);
    return path;
  };
  const ok = { path: "x", backendId: "b", recheck: async () => {} };
  const refuse = { path: "x", backendId: "b", recheck: async () => Promise.reject(casMismatch("x", "b", "changed")) };
  const rejects = async (promise, code) => {
    try {
      await promise;
      assert.unreachable(`${label}: expected ${code}`);
    } catch (err) {
      assert.is(err.code, code, `${label}: ${err.message}`);
    }
  };
  const temps = () => readdirSync(dir).filter((n) => n.startsWith(".wlsync-tmp-"));

  await placeFile(tmp("new", "new"), join(dir, "new.txt"), { kind: "absent" }, ok);
  assert.is(readFileSync(join(dir, "new.txt"), "utf8"), "new", `${label}: a new file is placed`);

  writeFileSync(join(dir, "theirs.txt"), "theirs");
  await rejects(
    placeFile(
      tmp("clash", "ours"),
      join(dir, "theirs.txt"),
      { kind: "absent" },
      { ...ok, recheck: async () => Promise.reject(casMismatch("x", "b", "appeared")) },
    ),
    "E_CAS",
  );
  assert.is(readFileSync(join(dir, "theirs.txt"), "utf8"), "theirs", `${label}: a file that appeared is never replaced`);

  await rejects(placeFile(tmp("edit", "ours"), join(dir, "theirs.txt"), { kind: "file", hash: "h" }, refuse), "E_CAS");
  assert.is(readFileSync(join(dir, "theirs.txt"), "utf8"), "theirs", `${label}: a refused re-check replaces nothing`);

  await placeFile(tmp("replace", "ours"), join(dir, "theirs.txt"), { kind: "file", hash: "h" }, ok);
  assert.is(readFileSync(join(dir, "theirs.txt"), "utf8"), "ours", `${label}: an approved file is replaced`);

  await rejects(placeFile(tmp("gone", "x"), join(dir, "removed-folder", "x.txt"), { kind: "absent" }, ok), "E_CHANGED");
  assert.not.ok(existsSync(join(dir, "removed-folder")), `${label}: a removed folder is not recreated`);
  assert.equal(temps(), [], `${label}: no temporary file is left behind`);
}

test("placeFile on this machine's temporary folder (hard links)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wl-place-"));
  try {
    await placement(dir, "tmpdir");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("placeFile on exFAT (no hard links, link(2) fails with EPERM: re-check, then rename)", async () => {
  const root = mkdtempSync(join(tmpdir(), "wl-place-exfat-"));
  const img = join(root, "exfat.img");
  const mnt = join(root, "mnt");
  mkdirSync(mnt);
  let mounted = false;
  let loop;
  try {
    try {
      execFileSync("truncate", ["-s", "8M", img]);
      execFileSync("mkfs.exfat", [img], { stdio: "ignore" });
      loop = execFileSync("losetup", ["-f", "--show", img], { encoding: "utf8" }).trim(); // exfat-fuse wants a block device
      execFileSync("mount.exfat-fuse", [loop, mnt], { stdio: "ignore" });
      mounted = true;
    } catch (err) {
      console.log(`[not run] placeFile on exFAT: cannot mount an exFAT image here (${err.message.split("\n")[0]}); needs root, exfatprogs and exfat-fuse`);
      return;
    }
    await placement(mnt, "exFAT");
  } finally {
    if (mounted) execFileSync("fusermount", ["-u", mnt]);
    if (loop) execFileSync("losetup", ["-d", loop]);
    rmSync(root, { recursive: true, force: true });
  }
});

test("casMismatch: the refusal reads '<path>: <reason> on <backend-id> since the plan was made', code E_CAS", () => {
  const err = casMismatch("dir/a.txt", "laptop", "changed");
  assert.is(err.code, "E_CAS");
  assert.is(err.message, "dir/a.txt: changed on laptop since the plan was made");
});

test("localFileToken / foreignToken: inode, size, mtime and ctime in nanoseconds, colon-separated; a foreign token is marked", () => {
  const st = { ino: 12n, size: 345n, mtimeNs: 1700000000123456789n, ctimeNs: 1700000001987654321n };
  assert.is(localFileToken(st), "12:345:1700000000123456789:1700000001987654321");
  assert.is(foreignToken(st), "12:345:1700000000123456789:1700000001987654321#changed-after-write");
  assert.is.not(foreignToken(st), localFileToken(st));
});

test("isSameFile: the file written is still the one at the path only if inode, size and mtime all match (ctime may move)", () => {
  const written = { ino: 7n, size: 10n, mtimeNs: 1000n, ctimeNs: 5n };
  assert.ok(isSameFile({ ...written }, written));
  assert.ok(isSameFile({ ...written, ctimeNs: 6n }, written), "a chmod or unlink of the temporary name moves ctime only");
  assert.not.ok(isSameFile({ ...written, ino: 8n }, written), "another file renamed onto the path");
  assert.not.ok(isSameFile({ ...written, size: 11n }, written), "appended to");
  assert.not.ok(isSameFile({ ...written, mtimeNs: 1001n }, written), "rewritten in place, same size");
});

/** A local backend over a fresh temporary folder. */
function localStorage() {
  const dir = mkdtempSync(join(tmpdir(), "wl-cas-"));
  const backend = new LocalBackend({ params: { "backend-id": "disk", type: "local", path: dir }, configDir: dir, hashCache: memoryHashCache(), logger: quietLogger });
  return { dir, backend, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test("currentOf: what backend.stat found, as the verdict needs it; a file's hash from backend.getHash, read only when asked", async () => {
  const s = localStorage();
  try {
    writeFileSync(join(s.dir, "f.txt"), "bytes");
    mkdirSync(join(s.dir, "d"));
    symlinkSync("f.txt", join(s.dir, "l"));
    assert.equal(currentOf(s.backend, "none", null), { kind: "absent" });
    assert.equal(currentOf(s.backend, "d", await s.backend.stat("d")), { kind: "dir" });
    assert.equal(currentOf(s.backend, "l", await s.backend.stat("l")), { kind: "symlink", target: "f.txt" });
    assert.equal(currentOf(s.backend, "l", { path: "l", kind: "symlink", size: 0, token: "t", mtimeMs: 0 }), { kind: "symlink", target: "" }, "a symlink whose target is unknown");
    const current = currentOf(s.backend, "f.txt", await s.backend.stat("f.txt"));
    assert.is(current.kind, "file");
    assert.is(await current.hash(), sha256("bytes"));
  } finally {
    s.cleanup();
  }
});

test("assertExpected: resolves with the entry it checked (null when absent); refuses with the reason otherwise", async () => {
  const s = localStorage();
  try {
    writeFileSync(join(s.dir, "f.txt"), "bytes");
    const entry = await assertExpected(s.backend, "f.txt", { kind: "file", hash: sha256("bytes") });
    assert.is(entry.kind, "file");
    assert.is(entry.token, localFileToken(lstatSync(join(s.dir, "f.txt"), { bigint: true })));
    assert.is(await assertExpected(s.backend, "none", { kind: "absent" }), null);
    const err = await rejectsWith(assertExpected(s.backend, "f.txt", { kind: "file", hash: sha256("other") }), "E_CAS");
    assert.is(err.message, "f.txt: changed on disk since the plan was made");
    assert.is((await rejectsWith(assertExpected(s.backend, "f.txt", { kind: "absent" }), "E_CAS")).message, "f.txt: appeared on disk since the plan was made");
  } finally {
    s.cleanup();
  }
});

test("placeFile: a new file goes in by link(2) without a re-check; a system error is E_BACKEND and the temporary file is gone", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wl-place-err-"));
  try {
    let rechecks = 0;
    const counting = { path: "x", backendId: "b", recheck: async () => rechecks++ };
    writeFileSync(join(dir, ".wlsync-tmp-a"), "a");
    await placeFile(join(dir, ".wlsync-tmp-a"), join(dir, "a.txt"), { kind: "absent" }, counting);
    assert.is(rechecks, 0, "link(2) is the check: it fails if a file appeared");
    assert.is(readFileSync(join(dir, "a.txt"), "utf8"), "a");
    assert.not.ok(existsSync(join(dir, ".wlsync-tmp-a")));

    // A file that appeared: link(2) says EEXIST → a conflict, even with a re-check that would pass.
    writeFileSync(join(dir, ".wlsync-tmp-b"), "b");
    const clash = await rejectsWith(placeFile(join(dir, ".wlsync-tmp-b"), join(dir, "a.txt"), { kind: "absent" }, counting), "E_CAS");
    assert.is(clash.message, "x: appeared on b since the plan was made");
    assert.is(rechecks, 0);
    assert.is(readFileSync(join(dir, "a.txt"), "utf8"), "a");
    assert.not.ok(existsSync(join(dir, ".wlsync-tmp-b")));

    // rename(2) over a folder fails (EISDIR): wrapped, worded, temporary file removed.
    mkdirSync(join(dir, "folder"));
    writeFileSync(join(dir, "folder", "keep"), "k");
    writeFileSync(join(dir, ".wlsync-tmp-c"), "c");
    const sys = await rejectsWith(placeFile(join(dir, ".wlsync-tmp-c"), join(dir, "folder"), { kind: "file", hash: "h" }, counting), "E_BACKEND");
    assert.match(sys.message, /^cannot put it in place on b: /);
    assert.is(rechecks, 1, "a replacement is re-checked first");
    assert.not.ok(existsSync(join(dir, ".wlsync-tmp-c")));

    // The re-check's own error passes through unchanged (not wrapped as a system error).
    writeFileSync(join(dir, ".wlsync-tmp-d"), "d");
    const own = new ChangedDuringSyncError("x: being written");
    try {
      await placeFile(join(dir, ".wlsync-tmp-d"), join(dir, "a.txt"), { kind: "file", hash: "h" }, { ...counting, recheck: async () => Promise.reject(own) });
      assert.unreachable();
    } catch (err) {
      assert.is(err, own);
    }
    assert.not.ok(existsSync(join(dir, ".wlsync-tmp-d")));
    // An error without a code passes through too.
    writeFileSync(join(dir, ".wlsync-tmp-e"), "e");
    const plain = new Error("no code");
    try {
      await placeFile(join(dir, ".wlsync-tmp-e"), join(dir, "a.txt"), { kind: "file", hash: "h" }, { ...counting, recheck: async () => Promise.reject(plain) });
      assert.unreachable();
    } catch (err) {
      assert.is(err, plain);
    }
    // A missing temporary file (nothing to link) reads as the destination's folder gone: E_CHANGED.
    const gone = await rejectsWith(placeFile(join(dir, ".wlsync-tmp-never"), join(dir, "n.txt"), { kind: "absent" }, counting), "E_CHANGED");
    assert.is(gone.message, "x: its folder was removed from b during the pass; not recreated");
    assert.is(rechecks, 1, "a link(2) error other than 'no hard links here' is not retried by re-check and rename");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
