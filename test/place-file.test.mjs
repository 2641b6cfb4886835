// The plugin API's compare-and-swap pieces, tested directly: the one "expected vs current"
// verdict every backend uses (a table), and placeFile, the safe placement of a written
// temporary file on a local disk (backend-local and syncer-rsync), on ext4/tmpfs and on a
// file system without hard links (exFAT through FUSE, as USB sticks are formatted).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ChangedDuringSyncError, casMismatch, expectedMismatch, placeFile } from "@wlsync/plugin-api";

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

test.run();
