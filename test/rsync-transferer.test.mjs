// The RsyncTransferer on its own, fed copy tasks as core's engine would: the re-check before a
// batch (compare-and-swap) and the mapping of rsync's stderr to items.
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { createRequire } from "node:module";
import { ROOT } from "./helpers/rsync-env.mjs";
import fsp from "node:fs/promises";
import { bailingSuite, memoryHashCache, onceAround, quietLogger as quiet } from "./helpers/unit.mjs";

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

const test = bailingSuite("rsync transferer");

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
    assert.equal(failed.map((f) => f[2]).sort(), [
      "doc.txt: rsync's copy does not hash to the source's sha256; the target was put back as it was",
      "fresh.txt: rsync's copy does not hash to the source's sha256; nothing was put in place",
    ]);
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

/**
 * The real rsync between two shell snippets run with the pair's folder in $D: `before` lands
 * after wl's re-check and before rsync reads or writes anything, `after` after rsync's rename and
 * before wl verifies. `exitOnly` replaces rsync by `exit <code>`: an rsync that did nothing.
 */
function wrappedRsync(dir, realCommand, { before = ":", after = ":", exitOnly } = {}) {
  const run = exitOnly === undefined ? `"${realCommand}" "$@"\nrc=$?` : `rc=${exitOnly}`;
  const wrapper = join(dir, "wrapped-rsync");
  writeFileSync(wrapper, `#!/bin/sh\nD="${dir}"\n${before} || exit 99\n${run}\n${after} || exit 99\nexit $rc\n`, { mode: 0o755 });
  return wrapper;
}

async function runWrapped(p, tasks, options) {
  const found = await probeRsync();
  assert.type(found, "object", `rsync is needed for this test: ${found}`);
  return runCopy(tasks, { command: wrappedRsync(p.dir, found.command, options) });
}

const read = (p, path) => readFileSync(join(p.dir, path), "utf8");
const listed = (p, side) => readdirSync(join(p.dir, side)).filter((n) => n !== ".wlsync").sort();

test("verified copy over a file: the done entry is the file now at the path, and both sides' hashes are remembered under their tokens", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/doc.txt"), "source v2");
    writeFileSync(join(p.dir, "b/doc.txt"), "v1");
    const task = await copyTask(p, "doc.txt", { kind: "file", hash: sha256("v1") });
    delete task.action.hash; // the plan did not hash the source: it is hashed while rsync runs
    p.a.forgetHash("doc.txt");
    const entries = [];
    const found = await probeRsync();
    await new RsyncTransferer({ program: found, logger: quiet }).copy([task], { onDone: (_t, d) => entries.push(d), onError: (_t, err) => assert.unreachable(err.message), onBytes() {} });
    assert.is(entries.length, 1);
    assert.is(entries[0].hash, sha256("source v2"));
    const now = await p.b.stat("doc.txt");
    assert.is(entries[0].entry.token, now.token, "the entry is the placed file's");
    assert.is(p.b.knownHash("doc.txt", now), sha256("source v2"), "the destination's hash is remembered under its token");
    assert.is(p.a.knownHash("doc.txt", await p.a.stat("doc.txt")), sha256("source v2"), "the source's hash (read while rsync ran) is remembered");
    assert.is(read(p, "b/doc.txt"), "source v2");
  } finally {
    p.cleanup();
  }
});

test("verified new file: placed from the staging folder with its own token; hashes remembered; no staged or temporary file left", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/new.txt"), "fresh");
    const task = await copyTask(p, "new.txt", { kind: "absent" });
    delete task.action.hash;
    p.a.forgetHash("new.txt");
    const entries = [];
    const found = await probeRsync();
    await new RsyncTransferer({ program: found, logger: quiet }).copy([task], { onDone: (_t, d) => entries.push(d), onError: (_t, err) => assert.unreachable(err.message), onBytes() {} });
    const now = await p.b.stat("new.txt");
    assert.is(entries[0].hash, sha256("fresh"));
    assert.is(entries[0].entry.token, now.token, "our own file: its token as placed (not a foreign one)");
    assert.is(p.b.knownHash("new.txt", now), sha256("fresh"));
    assert.is(p.a.knownHash("new.txt", await p.a.stat("new.txt")), sha256("fresh"));
    assert.equal(listed(p, "b"), ["new.txt"]);
  } finally {
    p.cleanup();
  }
});

for (const staged of [false, true]) {
  const kind = staged ? "a new file" : "a replaced file";
  const prepare = async (p) => {
    writeFileSync(join(p.dir, "a/doc.txt"), "source v2");
    if (!staged) writeFileSync(join(p.dir, "b/doc.txt"), "v1");
    return [await copyTask(p, "doc.txt", staged ? { kind: "absent" } : { kind: "file", hash: sha256("v1") })];
  };
  const unchanged = (p) => (staged ? assert.equal(listed(p, "b"), []) : assert.is(read(p, "b/doc.txt"), "v1"));

  test(`${kind}: the source edited while rsync runs → E_CHANGED, the destination left as it was before the pass`, async () => {
    const p = pair();
    try {
      const tasks = await prepare(p);
      const { done, failed } = await runWrapped(p, tasks, { before: `printf 'source v3, saved during the sync' > "$D/a/doc.txt"` });
      assert.equal(done, []);
      assert.equal(failed.map((f) => [f[0], f[1]]), [["doc.txt", "E_CHANGED"]]);
      assert.match(failed[0][2], /^doc\.txt: changed on the source while it was synced; the target was left as it was, it will be synced on the next pass$/);
      unchanged(p);
    } finally {
      p.cleanup();
    }
  });

  test(`${kind}: the source deleted before rsync reads it → E_CHANGED "vanished" with rsync's own line, the destination left as it was`, async () => {
    const p = pair();
    try {
      const tasks = await prepare(p);
      const { done, failed } = await runWrapped(p, tasks, { before: `rm "$D/a/doc.txt"` });
      assert.equal(done, []);
      assert.equal(failed.map((f) => [f[0], f[1]]), [["doc.txt", "E_CHANGED"]]);
      assert.match(failed[0][2], /^doc\.txt: vanished on the source while it was synced \(rsync: .*No such file or directory.*\); the target was left as it was/);
      unchanged(p);
    } finally {
      p.cleanup();
    }
  });

  test(`${kind}: an rsync that exits 0 without transferring anything → E_BACKEND, never "verified"`, async () => {
    const p = pair();
    try {
      const tasks = await prepare(p);
      const { done, failed } = await runWrapped(p, tasks, { exitOnly: 0 });
      assert.equal(done, []);
      assert.equal(failed, [["doc.txt", "E_BACKEND", "doc.txt: rsync reported success but did not transfer it"]]);
      unchanged(p);
    } finally {
      p.cleanup();
    }
  });
}

test("a save right after rsync's rename (before verification): the save is kept, rsync's copy is not recorded, the approved version is retired (E_CAS)", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/doc.txt"), "source v2");
    writeFileSync(join(p.dir, "b/doc.txt"), "v1");
    const tasks = [await copyTask(p, "doc.txt", { kind: "file", hash: sha256("v1") })];
    const { done, failed } = await runWrapped(p, tasks, { after: `printf 'saved after rsync' > "$D/b/doc.txt"` });
    assert.equal(done, []);
    assert.equal(failed, [["doc.txt", "E_CAS", "doc.txt: changed on b while it was synced; left as it is"]]);
    assert.is(read(p, "b/doc.txt"), "saved after rsync");
    const kept = readdirSync(join(p.dir, "b/.wlsync/versions"), { recursive: true }).filter((n) => n.startsWith("doc.txt"));
    assert.equal(kept.map((n) => readFileSync(join(p.dir, "b/.wlsync/versions", n), "utf8")), ["v1"], "the approved version rsync displaced is kept, not lost");
  } finally {
    p.cleanup();
  }
});

test("a save landing both before rsync's rename and on the source: both kept; the destination's version is put back (E_CAS)", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/doc.txt"), "source v2");
    writeFileSync(join(p.dir, "b/doc.txt"), "v1");
    const tasks = [await copyTask(p, "doc.txt", { kind: "file", hash: sha256("v1") })];
    const { done, failed } = await runWrapped(p, tasks, {
      before: `printf 'target saved during the sync' > "$D/b/doc.txt" && printf 'source saved during the sync' > "$D/a/doc.txt"`,
    });
    assert.equal(done, []);
    assert.equal(failed, [["doc.txt", "E_CAS", "doc.txt: changed on both sides during the sync; the target's version was put back"]]);
    assert.is(read(p, "b/doc.txt"), "target saved during the sync");
    assert.is(read(p, "a/doc.txt"), "source saved during the sync");
  } finally {
    p.cleanup();
  }
});

test("a new file: a file made at the destination after rsync wrote the staged copy is never replaced (E_CAS)", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/new.txt"), "from a");
    const tasks = [await copyTask(p, "new.txt", { kind: "absent" })];
    const { done, failed } = await runWrapped(p, tasks, { after: `printf 'made on b meanwhile' > "$D/b/new.txt"` });
    assert.equal(done, []);
    assert.equal(failed.map((f) => [f[0], f[1]]), [["new.txt", "E_CAS"]]);
    assert.is(read(p, "b/new.txt"), "made on b meanwhile");
  } finally {
    p.cleanup();
  }
});

test("a new file in a folder removed during the pass: not recreated when the plan says the folder exists (createParents false); created when it may", async () => {
  const p = pair();
  try {
    mkdirSync(join(p.dir, "a/sub"));
    mkdirSync(join(p.dir, "b/sub"));
    writeFileSync(join(p.dir, "a/sub/new.txt"), "from a");
    const task = await copyTask(p, "sub/new.txt", { kind: "absent" });
    task.action.createParents = false;
    const removeSub = { after: `rm -r "$D/b/sub"` };
    const { done, failed } = await runWrapped(p, [task], removeSub);
    assert.equal(done, []);
    assert.equal(failed.map((f) => [f[0], f[1]]), [["sub/new.txt", "E_CHANGED"]]);
    assert.not.ok(existsSync(join(p.dir, "b/sub")), "a folder someone removed is not brought back");
    delete task.action.createParents;
    const again = await runWrapped(p, [task], removeSub);
    assert.equal(again.failed, []);
    assert.is(read(p, "b/sub/new.txt"), "from a");
  } finally {
    p.cleanup();
  }
});

test("the destination deleted while it is read for verification: a conflict (E_CAS), and the approved version rsync displaced is kept, not lost", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/doc.txt"), "source v2");
    writeFileSync(join(p.dir, "b/doc.txt"), "v1");
    const tasks = [await copyTask(p, "doc.txt", { kind: "file", hash: sha256("v1") })];
    const hook = onceAround("open", join(p.dir, "b/doc.txt"), () => rmSync(join(p.dir, "b/doc.txt")), "before", fsp);
    let result;
    try {
      result = await runCopy(tasks);
    } finally {
      hook.restore();
    }
    assert.ok(hook.fired);
    assert.equal(result.done, []);
    assert.equal(result.failed.map((f) => [f[0], f[1]]), [["doc.txt", "E_CAS"]]);
    assert.match(result.failed[0][2], /^doc\.txt: changing on b while it was synced \(.*ENOENT.*\); left as it is$/);
    const kept = readdirSync(join(p.dir, "b/.wlsync/versions"), { recursive: true }).filter((n) => n.startsWith("doc.txt"));
    assert.equal(kept.map((n) => readFileSync(join(p.dir, "b/.wlsync/versions", n), "utf8")), ["v1"]);
  } finally {
    p.cleanup();
  }
});

test("a new file changed by someone right after it was put in place: done with a foreign token, and our hash is not recorded for their version", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/new.txt"), "from a");
    const tasks = [await copyTask(p, "new.txt", { kind: "absent" })];
    const entries = [];
    const found = await probeRsync();
    const hook = onceAround("linkSync", join(p.dir, "b/new.txt"), () => writeFileSync(join(p.dir, "b/new.txt"), "edited on b at once"));
    try {
      await new RsyncTransferer({ program: found, logger: quiet }).copy(tasks, { onDone: (_t, d) => entries.push(d), onError: (_t, err) => assert.unreachable(err.message), onBytes() {} });
    } finally {
      hook.restore();
    }
    assert.ok(hook.fired);
    assert.is(entries.length, 1);
    assert.match(entries[0].entry.token, /#changed-after-write$/);
    const source = await p.a.stat("new.txt");
    assert.equal({ ...entries[0].entry, token: "-" }, { path: "new.txt", kind: "file", size: 6, token: "-", mtimeMs: entries[0].entry.mtimeMs });
    assert.ok(Math.abs(entries[0].entry.mtimeMs - source.mtimeMs) < 1, "the placed copy's mtime (the source's), in ms");
    assert.is(entries[0].hash, sha256("from a"), "the hash of what was verified and placed");
    assert.is(p.b.knownHash("new.txt", await p.b.stat("new.txt")), undefined, "their version is not recorded with our hash");
    assert.is(readFileSync(join(p.dir, "b/new.txt"), "utf8"), "edited on b at once");
  } finally {
    p.cleanup();
  }
});

for (const to of ["target", "source"]) {
  const other = to === "target" ? "source" : "target";
  test(`messages name the sides as the plan does: a copy to the ${to}, its source edited during the run`, async () => {
    const p = pair();
    try {
      writeFileSync(join(p.dir, "a/doc.txt"), "v2");
      writeFileSync(join(p.dir, "a/new.txt"), "new");
      writeFileSync(join(p.dir, "b/doc.txt"), "v1");
      const tasks = [await copyTask(p, "doc.txt", { kind: "file", hash: sha256("v1") }), await copyTask(p, "new.txt", { kind: "absent" })];
      for (const t of tasks) t.action.to = to; // the storages stay a → b; only the plan's words change
      const { failed } = await runWrapped(p, tasks, { before: `printf 'v3' > "$D/a/doc.txt" && printf 'new2' > "$D/a/new.txt"` });
      assert.equal(failed.map((f) => f[2]).sort(), [
        `doc.txt: changed on the ${other} while it was synced; the ${to} was left as it was, it will be synced on the next pass`,
        `new.txt: changed on the ${other} while it was synced; the ${to} was left as it was, it will be synced on the next pass`,
      ]);
    } finally {
      p.cleanup();
    }
  });
}

test("the destination replaced by a folder right after rsync's rename: left as it is (E_CAS), the approved version kept", async () => {
  const p = pair();
  try {
    writeFileSync(join(p.dir, "a/doc.txt"), "source v2");
    writeFileSync(join(p.dir, "b/doc.txt"), "v1");
    const tasks = [await copyTask(p, "doc.txt", { kind: "file", hash: sha256("v1") })];
    const { done, failed } = await runWrapped(p, tasks, { after: `rm "$D/b/doc.txt" && mkdir "$D/b/doc.txt"` });
    assert.equal(done, []);
    assert.equal(failed, [["doc.txt", "E_CAS", "doc.txt: changed on b while it was synced; left as it is"]]);
    assert.ok(lstatSync(join(p.dir, "b/doc.txt")).isDirectory());
    const kept = readdirSync(join(p.dir, "b/.wlsync/versions"), { recursive: true }).filter((n) => n.startsWith("doc.txt"));
    assert.equal(kept.map((n) => readFileSync(join(p.dir, "b/.wlsync/versions", n), "utf8")), ["v1"]);
  } finally {
    p.cleanup();
  }
});

test("a new file on a file system without hard links: placed by re-check and rename; a file that appeared meanwhile is never replaced (E_CAS)", async () => {
  const p = pair();
  try {
    p.b.capabilities.hardLinks = false; // as probed on exFAT; rename(2) and the re-check behave the same here
    writeFileSync(join(p.dir, "a/new.txt"), "from a");
    writeFileSync(join(p.dir, "a/clash.txt"), "from a");
    const tasks = [await copyTask(p, "new.txt", { kind: "absent" }), await copyTask(p, "clash.txt", { kind: "absent" })];
    let linked = 0;
    const hook = onceAround("linkSync", "", () => linked++);
    let result;
    try {
      result = await runWrapped(p, tasks, { after: `printf 'made on b meanwhile' > "$D/b/clash.txt"` });
    } finally {
      hook.restore();
    }
    assert.is(linked, 0, "link(2) is not tried where the file system has none");
    assert.equal(result.done, [["new.txt", sha256("from a")]]);
    assert.equal(result.failed, [["clash.txt", "E_CAS", "clash.txt: appeared on b since the plan was made"]]);
    assert.is(readFileSync(join(p.dir, "b/clash.txt"), "utf8"), "made on b meanwhile");
    assert.is(readFileSync(join(p.dir, "b/new.txt"), "utf8"), "from a");
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
