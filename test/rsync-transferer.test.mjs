// The RsyncTransferer on its own, fed copy tasks as core's engine would: the re-check before a
// batch (compare-and-swap) and the mapping of rsync's stderr to items.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { suite } from "uvu";
import { createRequire } from "node:module";
import { ROOT } from "./helpers/rsync-env.mjs";
import { memoryHashCache, quietLogger as quiet } from "./helpers/unit.mjs";

// Core's classes are tsyringe-decorated: load the Reflect polyfill as core's own entry (wl) does.
createRequire(join(ROOT, "packages", "core", "package.json"))("reflect-metadata");
const { default: LocalBackend } = await import("@wlsync/backend-local");
const { messagesByPath, parseRsyncVersion, probeRsync, RsyncTransferer } = await import("@wlsync/syncer-rsync");

const sha256 = (s) => createHash("sha256").update(s).digest("hex");

function pair() {
  const dir = mkdtempSync(join(tmpdir(), "wl-rsync-unit-"));
  mkdirSync(join(dir, "a"));
  mkdirSync(join(dir, "b"));
  const hashCache = memoryHashCache();
  const make = (id) => new LocalBackend({ params: { "backend-id": id, type: "local", path: join(dir, id) }, configDir: dir, hashCache, logger: quiet });
  return { dir, a: make("a"), b: make("b"), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function copyTask(p, path, expected) {
  const entry = await p.a.stat(path);
  const hash = await p.a.getHash(path, entry);
  return { action: { type: "copy", path, to: "target", entry, hash, expected }, from: p.a, to: p.b };
}

/**
 * The real rsync, followed by a fault: every file below `root` whose content starts with
 * "NEW:" (the source's new versions, wherever rsync left them: in place or staged) gets its
 * first byte changed, with the mtime rsync gave it kept, as a faulty disk, a bad cable or an
 * rsync bug could leave it.
 */
function corruptingRsync(dir, root, realCommand) {
  const corrupt = join(dir, "corrupt.cjs");
  writeFileSync(
    corrupt,
    `const fs = require("node:fs"), path = require("node:path"), { execFileSync } = require("node:child_process");
     const ref = path.join(process.argv[3], "mtime-ref");
     for (const name of fs.readdirSync(process.argv[2], { recursive: true })) {
       const file = path.join(process.argv[2], name);
       if (!fs.lstatSync(file).isFile()) continue;
       const data = fs.readFileSync(file);
       if (data.subarray(0, 4).toString() !== "NEW:") continue;
       fs.writeFileSync(ref, "");
       execFileSync("touch", ["-r", file, ref]); // to the nanosecond, as rsync set it
       data[0] = 0x6e; // "n"
       fs.writeFileSync(file, data);
       execFileSync("touch", ["-r", ref, file]);
     }`,
  );
  const wrapper = join(dir, "rsync-then-corrupt");
  writeFileSync(wrapper, `#!/bin/sh\n"${realCommand}" "$@"\nrc=$?\n"${process.execPath}" "${corrupt}" "${root}" "${dir}"\nexit $rc\n`, { mode: 0o755 });
  return wrapper;
}

async function runCopy(tasks, { command } = {}) {
  const found = await probeRsync();
  assert.type(found, "object", `rsync is needed for this test: ${found}`);
  const program = command ? { ...found, command } : found;
  const done = [];
  const failed = [];
  await new RsyncTransferer({ program, logger: quiet }).copy(tasks, {
    onDone: (task, d) => done.push([task.action.path, d.hash]),
    onError: (task, err) => failed.push([task.action.path, err.code, err.message]),
    onBytes() {},
  });
  return { done, failed };
}

const test = suite("rsync transferer");

test("a destination edited between plan and apply is held back as a conflict; the rest of the batch goes", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/doc.txt"), "source v2");
    writeFileSync(join(p.dir, "b/doc.txt"), "v1");
    writeFileSync(join(p.dir, "a/fresh.txt"), "fresh");
    const tasks = [await copyTask(p, "doc.txt", { kind: "file", hash: sha256("v1") }), await copyTask(p, "fresh.txt", { kind: "absent" })];
    // The plan saw "v1" on the target; someone saves over it before the batch starts.
    writeFileSync(join(p.dir, "b/doc.txt"), "edited after the plan");
    const { done, failed } = await runCopy(tasks);
    assert.equal(done, [["fresh.txt", sha256("fresh")]]);
    assert.is(failed.length, 1);
    assert.is(failed[0][0], "doc.txt");
    assert.is(failed[0][1], "E_CAS");
    assert.match(failed[0][2], /changed on b since the plan was made/);
    assert.is(readFileSync(join(p.dir, "b/doc.txt"), "utf8"), "edited after the plan");
    assert.is(readFileSync(join(p.dir, "b/fresh.txt"), "utf8"), "fresh");
  } finally {
    p.cleanup();
  }
});

test("a file that appeared where the plan saw nothing is held back too", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/new.txt"), "from a");
    const tasks = [await copyTask(p, "new.txt", { kind: "absent" })];
    writeFileSync(join(p.dir, "b/new.txt"), "made on b");
    const { done, failed } = await runCopy(tasks);
    assert.equal(done, []);
    assert.equal(failed.map((f) => f[1]), ["E_CAS"]);
    assert.is(readFileSync(join(p.dir, "b/new.txt"), "utf8"), "made on b");
  } finally {
    p.cleanup();
  }
});

test("rsync leaving a wrong copy: nothing unverified is placed or recorded; a replaced file is put back (E_VERIFY)", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/doc.txt"), "NEW: source v2");
    writeFileSync(join(p.dir, "b/doc.txt"), "v1 on the target");
    writeFileSync(join(p.dir, "a/fresh.txt"), "NEW: fresh file");
    const tasks = [await copyTask(p, "doc.txt", { kind: "file", hash: sha256("v1 on the target") }), await copyTask(p, "fresh.txt", { kind: "absent" })];
    const found = await probeRsync();
    assert.type(found, "object", `rsync is needed for this test: ${found}`);
    const { done, failed } = await runCopy(tasks, { command: corruptingRsync(p.dir, join(p.dir, "b"), found.command) });
    assert.equal(done, [], "a copy that does not hash to the source's sha256 was taken as verified");
    assert.equal(failed.map((f) => [f[0], f[1]]).sort(), [["doc.txt", "E_VERIFY"], ["fresh.txt", "E_VERIFY"]]);
    assert.is(readFileSync(join(p.dir, "b/doc.txt"), "utf8"), "v1 on the target", "the replaced file is put back as it was");
    assert.not.ok(existsSync(join(p.dir, "b/fresh.txt")), "a new file that failed verification is not put in place");
    assert.equal(readdirSync(join(p.dir, "b")).filter((n) => n !== ".wlsync"), ["doc.txt"], "no temporary file or work folder is left");
  } finally {
    p.cleanup();
  }
});

/**
 * The real rsync, after `script` (node code run with the destination file as argv[2]) has
 * changed the destination: a user's save landing after wl's re-check and before rsync renames
 * its copy over the file.
 */
function editingRsync(dir, destination, script, realCommand) {
  const edit = join(dir, "edit.cjs");
  writeFileSync(edit, script);
  const wrapper = join(dir, "edit-then-rsync");
  writeFileSync(wrapper, `#!/bin/sh\n"${process.execPath}" "${edit}" "${destination}"\nexec "${realCommand}" "$@"\n`, { mode: 0o755 });
  return wrapper;
}

test("a save between the re-check and rsync's rename: rsync's copy is taken back out and the save put back (E_CAS)", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/doc.txt"), "source v2");
    writeFileSync(join(p.dir, "b/doc.txt"), "v1");
    const tasks = [await copyTask(p, "doc.txt", { kind: "file", hash: sha256("v1") })];
    const found = await probeRsync();
    assert.type(found, "object", `rsync is needed for this test: ${found}`);
    const command = editingRsync(p.dir, join(p.dir, "b/doc.txt"), `require("node:fs").writeFileSync(process.argv[2], "saved after the re-check");`, found.command);
    const { done, failed } = await runCopy(tasks, { command });
    assert.equal(done, []);
    assert.equal(failed.map((f) => [f[0], f[1]]), [["doc.txt", "E_CAS"]]);
    assert.match(failed[0][2], /changed on b while rsync replaced it; that version was put back/);
    assert.is(readFileSync(join(p.dir, "b/doc.txt"), "utf8"), "saved after the re-check");
  } finally {
    p.cleanup();
  }
});

test("a same-size save within the timestamp tick after the re-check (mtime unchanged) is caught by its hash: the approved mtime was too recent to trust", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/doc.txt"), "source v2");
    writeFileSync(join(p.dir, "b/doc.txt"), "v1 on b"); // just written: its mtime is seconds old at most
    const tasks = [await copyTask(p, "doc.txt", { kind: "file", hash: sha256("v1 on b") })];
    const found = await probeRsync();
    assert.type(found, "object", `rsync is needed for this test: ${found}`);
    // In place (same inode), same size, mtime and ctime's second kept as they were: what a second
    // write within one tick of a coarse clock leaves behind.
    const command = editingRsync(
      p.dir,
      join(p.dir, "b/doc.txt"),
      `const fs = require("node:fs"), { execFileSync } = require("node:child_process"); const f = process.argv[2], ref = f + ".mtime-ref";
       fs.writeFileSync(ref, ""); execFileSync("touch", ["-r", f, ref]); // to the nanosecond
       const fd = fs.openSync(f, "r+"); fs.writeSync(fd, Buffer.from("V1 ON B"), 0, 7, 0); fs.closeSync(fd);
       execFileSync("touch", ["-r", ref, f]); fs.unlinkSync(ref);`,
      found.command,
    );
    const { done, failed } = await runCopy(tasks, { command });
    assert.equal(done, [], "the displaced version was taken for the approved one by its inode, size and mtime alone");
    assert.equal(failed.map((f) => [f[0], f[1]]), [["doc.txt", "E_CAS"]]);
    assert.is(readFileSync(join(p.dir, "b/doc.txt"), "utf8"), "V1 ON B");
  } finally {
    p.cleanup();
  }
});

test("a destination deleted between the re-check and rsync's run: the deletion is kept, rsync's copy taken back out (E_CAS)", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/doc.txt"), "source v2");
    writeFileSync(join(p.dir, "b/doc.txt"), "v1");
    const tasks = [await copyTask(p, "doc.txt", { kind: "file", hash: sha256("v1") })];
    const found = await probeRsync();
    assert.type(found, "object", `rsync is needed for this test: ${found}`);
    const command = editingRsync(p.dir, join(p.dir, "b/doc.txt"), `require("node:fs").unlinkSync(process.argv[2]);`, found.command);
    const { done, failed } = await runCopy(tasks, { command });
    assert.equal(done, []);
    assert.equal(failed.map((f) => [f[0], f[1]]), [["doc.txt", "E_CAS"]]);
    assert.match(failed[0][2], /deleted on b while rsync replaced it; the deletion was kept/);
    assert.not.ok(existsSync(join(p.dir, "b/doc.txt")));
  } finally {
    p.cleanup();
  }
});

test("a replaced version that was the approved one is kept in the versions store, and the copy is done", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/doc.txt"), "source v2");
    writeFileSync(join(p.dir, "b/doc.txt"), "v1");
    const tasks = [await copyTask(p, "doc.txt", { kind: "file", hash: sha256("v1") })];
    const { done, failed } = await runCopy(tasks);
    assert.equal(failed, []);
    assert.equal(done, [["doc.txt", sha256("source v2")]]);
    assert.is(readFileSync(join(p.dir, "b/doc.txt"), "utf8"), "source v2");
    const kept = readdirSync(join(p.dir, "b/.wlsync/versions"), { recursive: true }).filter((n) => n.startsWith("doc.txt"));
    assert.is(kept.length, 1, "the replaced version is kept");
    assert.is(readFileSync(join(p.dir, "b/.wlsync/versions", kept[0]), "utf8"), "v1");
  } finally {
    p.cleanup();
  }
});

test("rsync's stderr lines are matched to the items they name", () => {
  const lines = [
    'rsync: [sender] link_stat "/src/sub/gone.txt" failed: No such file or directory (2)',
    'rsync: [receiver] mkstemp "/dst/dir/.photo.jpg.Ab12Cd" failed: No such file or directory (2)',
    'file has vanished: "/src/x y.txt"',
    "rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1347) [sender=3.2.7]",
  ];
  const wanted = new Set(["sub/gone.txt", "dir/photo.jpg", "x y.txt", "other.txt"]);
  const map = messagesByPath(lines, ["/src", "/dst"], wanted);
  assert.equal([...map.keys()].sort(), ["dir/photo.jpg", "sub/gone.txt", "x y.txt"]);
  assert.match(map.get("sub/gone.txt"), /^\[sender\] link_stat/);
  assert.match(map.get("x y.txt"), /vanished/);
});

test("rsync --version parsing", () => {
  assert.equal(parseRsyncVersion("rsync  version 3.2.7  protocol version 32\nCopyright"), { version: "3.2.7", parts: [3, 2, 7], protocol: 32 });
  assert.equal(parseRsyncVersion("rsync  version v3.4.1  protocol version 32").parts, [3, 4, 1]);
  assert.is(parseRsyncVersion("openrsync: protocol version 29"), null);
});

test.run();
