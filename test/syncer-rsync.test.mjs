// syncer-rsync specifics, end to end through the built `wl` (the shared scenario suite runs the
// rules of docs/design.md once per syncer; these tests cover what only the rsync path does).
import { createHash, randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { suite } from "uvu";
import { openDatabase } from "./helpers/faults.mjs";
import { pathWithoutRsync, realRsync, rsyncCalls, rsyncDouble, wl, workspace } from "./helpers/rsync-env.mjs";

/** core's hostIdentity(): hostname, boot id and pid namespace. */
const hostIdentity = () =>
  createHash("sha256")
    .update([hostname(), readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim(), readlinkSync("/proc/self/ns/pid")].join("\u0000"))
    .digest("hex")
    .slice(0, 8);
const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");
/** A pass with the rsync syncer (forced: for two local folders wl picks naive by itself). */
const sync = (ws, args = [], env = {}) => wl(ws.dir, ["container", "sync", "--one-shot", "box", "--json", ...(args.includes("--syncer") ? [] : ["--syncer", "rsync"]), ...args], env);
/** A pass with the syncer wl chooses. */
const autoSync = (ws, args = [], env = {}) => wl(ws.dir, ["container", "sync", "--one-shot", "box", "--json", ...args], env);
const expectCode = (r, code) => assert.is(r.code, code, `wl exited ${r.code}, expected ${code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
/** Names wl or rsync may leave behind: the work folder and rsync's `.name.XXXXXX` temp files. */
const leftovers = (root) =>
  readdirSync(root, { recursive: true }).filter((p) => /(^|\/)\.wlsync-tmp-/.test(p) || /(^|\/)\.[^/]+\.[A-Za-z0-9]{6}$/.test(p));

// ---------------------------------------------------------------------------------------------
const selection = suite("rsync: selection and fallback");
let ws;
selection.before.each(() => {
  realRsync();
  ws = workspace();
});
selection.after.each(() => ws.cleanup());

selection("a local/local pair: naive is picked and rsync ranked after it (DELTA_TRANSFER remote); --syncer rsync forces rsync", async () => {
  const listed = await wl(ws.dir, ["syncers", "--json", "--container", "box", "--one-shot"]);
  expectCode(listed, 0);
  const rsync = listed.json.syncers.find((s) => s.name === "rsync");
  assert.ok(rsync, "wl syncers lists rsync");
  assert.is(rsync.package, "@wlsync/syncer-rsync");
  assert.equal(rsync.traits.SOURCE_TYPES, ["local", "sftp"]);
  assert.equal(rsync.traits.PAIRS, [["local", "local"], ["local", "sftp"], ["sftp", "local"]], "never sftp → sftp");
  assert.is(rsync.traits.DELTA_TRANSFER, "remote");
  assert.is(listed.json.selection.chosen, "naive");
  assert.match(listed.json.selection.syncers.find((s) => s.name === "rsync").reason, /where its delta transfer does not pay/);

  ws.write("a/one.txt", "one");
  const auto = await autoSync(ws);
  expectCode(auto, 0);
  assert.is(auto.json.syncer, "naive");
  assert.is(ws.text("b/one.txt"), "one");

  ws.write("a/two.txt", "two");
  const forced = await sync(ws, ["--syncer", "rsync"]);
  expectCode(forced, 0);
  assert.is(forced.json.syncer, "rsync");
  assert.is(ws.text("b/two.txt"), "two");
});

selection("without rsync on PATH: a local pair syncs with naive, and rsync is not even probed (no warning)", async () => {
  ws.write("a/doc.txt", "content");
  const r = await autoSync(ws, [], { PATH: pathWithoutRsync(ws) });
  expectCode(r, 0);
  assert.is(r.json.syncer, "naive");
  assert.is(ws.text("b/doc.txt"), "content");
  assert.is(r.stderr.trim(), "", `nothing on stderr, got:\n${r.stderr}`);
});

selection("without rsync on PATH: --syncer rsync exits 3 naming what to install, and changes nothing", async () => {
  ws.write("a/doc.txt", "content");
  const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "rsync"], { PATH: pathWithoutRsync(ws) });
  expectCode(r, 3);
  assert.match(r.stderr, /^wl: syncer "rsync" cannot run here: the rsync program was not found on PATH; install rsync 3\.1 or newer \(Debian\/Ubuntu: apt-get install rsync/);
  assert.not.match(r.stderr, /\n\s+at /, "no stack trace");
  assert.not.ok(existsSync(ws.path("b/doc.txt")));
});

selection("an rsync older than 3.1 is refused the same way", async () => {
  const env = rsyncDouble(ws, { version: "3.0.9" });
  ws.write("a/doc.txt", "content");
  const forced = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "rsync"], env);
  expectCode(forced, 3);
  assert.match(forced.stderr, /rsync 3\.0\.9 is too old \(3\.1\.0 or newer is needed\); install rsync 3\.1 or newer/);
  const listed = await wl(ws.dir, ["syncers", "--json", "--container", "box", "--one-shot", "--syncer", "rsync"], env);
  assert.is(listed.json.selection.chosen, null);
  assert.match(listed.json.selection.syncers.find((s) => s.name === "rsync").reason, /unavailable: rsync 3\.0\.9 is too old/);
  const auto = await autoSync(ws, [], env);
  expectCode(auto, 0);
  assert.is(auto.json.syncer, "naive");
});

selection("no child process at start: rsync --version runs once per rsync build (cached by path and file identity), not on every pass", async () => {
  const env = { ...rsyncDouble(ws), XDG_CACHE_HOME: ws.path(".cache") };
  const versionCalls = () => rsyncCalls(ws).filter((c) => c === "--version").length;
  ws.write("a/doc.txt", "content");
  expectCode(await sync(ws, [], env), 0);
  assert.is(versionCalls(), 1, "the first pass with this rsync probes it");
  const before = rsyncCalls(ws).length;
  const again = await sync(ws, [], env);
  expectCode(again, 0);
  assert.is(again.json.syncer, "rsync");
  assert.is(rsyncCalls(ws).length, before, "a no-change pass starts no rsync at all");
  // Another rsync at the same path (reinstalled: other size and times) is probed again.
  const script = ws.path(".bin", "rsync");
  writeFileSync(script, `${readFileSync(script, "utf8")}# reinstalled\n`);
  expectCode(await sync(ws, [], env), 0);
  assert.is(versionCalls(), 2, "a changed rsync binary is probed again");
  // And a cached verdict of "too old" is a verdict about that build only.
  const old = rsyncDouble(ws, { version: "3.0.9" });
  const listed = await wl(ws.dir, ["syncers", "--json", "--container", "box", "--one-shot"], { ...old, XDG_CACHE_HOME: ws.path(".cache") });
  assert.match(listed.json.selection.syncers.find((s) => s.name === "rsync").reason, /unavailable: rsync 3\.0\.9 is too old/);
});

selection.run();

// ---------------------------------------------------------------------------------------------
const transfer = suite("rsync: transfers");
transfer.before.each(() => {
  ws = workspace();
});
transfer.after.each(() => ws.cleanup());

for (const syncer of ["rsync", "naive"]) {
  transfer(`${syncer}: after a pass the hash cache holds every copied file's current token on both sides, so the next pass reads nothing again`, async () => {
    for (let i = 0; i < 20; i++) ws.write(`a/dir${i % 3}/f${i}.txt`, `file ${i}\n`.repeat(i + 1));
    expectCode(await sync(ws, ["--syncer", syncer]), 0);
    const db = openDatabase(join(ws.dir, ".state", "state.db"), { readonly: true });
    try {
      for (const side of ["a", "b"]) {
        const root = realpathSync(join(ws.dir, side));
        const rows = new Map(db.prepare("SELECT path, token FROM hashes WHERE storage = ?").raw(true).all(`local:${root}`));
        for (let i = 0; i < 20; i++) {
          const path = `dir${i % 3}/f${i}.txt`;
          const st = statSync(join(root, path), { bigint: true });
          // backend-local's token: inode, size, mtime and ctime in nanoseconds.
          assert.is(rows.get(path), [st.ino, st.size, st.mtimeNs, st.ctimeNs].join(":"), `${side}/${path}: the cached token is not the file's current one`);
        }
      }
    } finally {
      db.close();
    }
  });
}

for (const [label, env] of [
  ["whole-file (default)", {}],
  ["delta (--no-whole-file)", { WLSYNC_RSYNC_DELTA_MIN_BYTES: "1048576" }],
]) {
  transfer(`a 32 MiB file with 4 KiB changed in the middle is transferred and verified: ${label}`, async () => {
    const big = randomBytes(32 * 1024 * 1024);
    ws.write("a/media/big.bin", big);
    const double = rsyncDouble(ws);
    const first = await sync(ws, [], { ...double, ...env });
    expectCode(first, 0);
    assert.is(first.json.syncer, "rsync");
    assert.ok(sha256(ws.read("b/media/big.bin")) === sha256(big), "initial copy has the source's bytes");

    randomBytes(4096).copy(big, 16 * 1024 * 1024);
    writeFileSync(ws.path("a/media/big.bin"), big);
    const second = await sync(ws, [], { ...double, ...env });
    expectCode(second, 0);
    assert.is(second.json.counters.copiedToTarget, 1);
    assert.is(second.json.counters.bytesToTarget, big.length);
    assert.ok(ws.read("b/media/big.bin").equals(big), "target has the edited bytes");
    const calls = rsyncCalls(ws).filter((c) => c.includes("--files-from=-"));
    assert.is(calls.length, 2, "one rsync run per pass");
    assert.ok(calls[1].includes(env.WLSYNC_RSYNC_DELTA_MIN_BYTES ? "--no-whole-file" : "--whole-file"), calls[1]);
    assert.equal(leftovers(ws.path("b")), [], "no temporary files or backups left");

    const third = await sync(ws, [], { ...double, ...env });
    expectCode(third, 0);
    assert.is(third.json.counters.copiedToTarget, 0);
    assert.is(rsyncCalls(ws).filter((c) => c.includes("--files-from=-")).length, 2, "a pass with nothing to copy does not run rsync");
  });
}

transfer("mode and mtime come across; both directions go in one pass", async () => {
  ws.write("a/run.sh", "#!/bin/sh\n");
  spawnSync("chmod", ["750", ws.path("a/run.sh")]);
  ws.write("b/from-b.txt", "B");
  const r = await sync(ws);
  expectCode(r, 0);
  assert.is(r.json.counters.copiedToTarget, 1);
  assert.is(r.json.counters.copiedToSource, 1);
  assert.is(statSync(ws.path("b/run.sh")).mode & 0o777, 0o750);
  assert.is(statSync(ws.path("b/run.sh")).mtimeMs, statSync(ws.path("a/run.sh")).mtimeMs);
  assert.is(ws.text("a/from-b.txt"), "B");
});

transfer("a file edited on the target right before rsync runs is put back and reported as a conflict", async () => {
  ws.write("a/doc.txt", "v1");
  expectCode(await sync(ws), 0);
  ws.write("a/doc.txt", "v2 from the source");
  // After wl's re-check, before rsync renames its copy into place: the window rsync cannot close.
  const env = rsyncDouble(ws, { before: "printf 'edited on b meanwhile' > b/doc.txt" });
  const r = await sync(ws, [], env);
  expectCode(r, 1);
  assert.is(ws.text("b/doc.txt"), "edited on b meanwhile", "the target's edit survives");
  assert.is(ws.text("a/doc.txt"), "v2 from the source");
  assert.is(r.json.conflicts.length, 1);
  assert.is(r.json.conflicts[0].path, "doc.txt");
  assert.is(r.json.conflicts[0].reason, "changed-during-sync");
  assert.equal(leftovers(ws.path("b")), []);
  // Next pass (plain rsync): both sides changed since the last sync: still a conflict, still untouched.
  const again = await sync(ws);
  expectCode(again, 1);
  assert.is(again.json.conflicts[0].reason, "both-changed");
  assert.is(ws.text("b/doc.txt"), "edited on b meanwhile");
});

transfer("a file created on the target right before rsync runs is put back, not overwritten", async () => {
  ws.write("a/new.txt", "from a");
  const env = rsyncDouble(ws, { before: "printf 'made on b' > b/new.txt" });
  const r = await sync(ws, [], env);
  expectCode(r, 1);
  assert.is(ws.text("b/new.txt"), "made on b");
  assert.is(r.json.conflicts[0].path, "new.txt");
});

for (const [when, hook] of [
  ["before rsync reads it", "before"],
  ["after rsync copied it", "after"],
]) {
  transfer(`a source file that changes ${when} is not recorded as synced, and the target is left as it was`, async () => {
    ws.write("a/log.txt", "line 1\n");
    expectCode(await sync(ws), 0);
    ws.write("a/log.txt", "line 1\nline 2\n");
    ws.write("a/other.txt", "unrelated");
    // once per pass: new files and replacements are separate rsync runs
    const env = rsyncDouble(ws, { [hook]: "grep -q 'line 3' a/log.txt || printf 'line 3\\n' >> a/log.txt" });
    const r = await sync(ws, [], env);
    expectCode(r, 2);
    assert.equal(r.json.errors.map((e) => [e.path, e.code]), [["log.txt", "E_CHANGED"]]);
    assert.is(r.json.counters.copiedToTarget, 1, "the other file went through");
    assert.is(ws.text("b/other.txt"), "unrelated");
    assert.is(ws.text("b/log.txt"), "line 1\n", "target still holds the last synced version");
    assert.equal(leftovers(ws.path("b")), []);
    // Not recorded as synced: the next pass sees a source change only and copies it.
    const next = await sync(ws);
    expectCode(next, 0);
    assert.is(next.json.counters.copiedToTarget, 1);
    assert.is(ws.text("b/log.txt"), "line 1\nline 2\nline 3\n");
  });
}

transfer("rsync's partial-transfer exit (23) becomes a per-item error naming the file; the rest is synced", async () => {
  ws.write("a/keep-1.txt", "1");
  ws.write("a/sub/vanishing.txt", "soon gone");
  ws.write("a/keep-2.txt", "2");
  mkdirSync(ws.path("b/sub"), { recursive: true });
  const env = rsyncDouble(ws, { before: "rm a/sub/vanishing.txt" });
  const r = await sync(ws, [], env);
  expectCode(r, 2);
  assert.is(r.json.errors.length, 1);
  assert.is(r.json.errors[0].path, "sub/vanishing.txt");
  assert.match(r.json.errors[0].message, /link_stat .* failed: No such file or directory/);
  assert.is(r.json.counters.copiedToTarget, 2);
  assert.is(ws.text("b/keep-2.txt"), "2");
  assert.not.ok(existsSync(ws.path("b/sub/vanishing.txt")));
});

transfer("a pass killed while rsync ran is cleaned up by the next one: its work folder removed, foreign versions kept, nothing else touched", async () => {
  ws.write("a/photo.jpg", "new photo");
  ws.write("b/photo.jpg", "old photo");
  ws.write("a/notes.txt", "notes v2");
  ws.write("b/notes.txt", "notes edited on b during the killed pass");
  // A process that has exited: its pid (and this host's identity) name the work folder of the "killed" pass.
  const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
  const work = ws.path(`b/.wlsync-tmp-rsync-${hostIdentity()}-${dead}-0badc0de`);
  mkdirSync(join(work, "backup"), { recursive: true });
  mkdirSync(join(work, "tmp"), { recursive: true });
  const oldNotes = "notes v1";
  writeFileSync(join(work, "journal"), [
    JSON.stringify({ started: Date.now() - 1000 }),
    JSON.stringify({ p: "photo.jpg", h: null }),
    JSON.stringify({ p: "notes.txt", h: sha256(Buffer.from(oldNotes)) }),
    "",
  ].join("\n"));
  writeFileSync(join(work, "tmp", ".photo.jpg.Xy12Ab"), "half a photo"); // rsync's temporary file, in wl's folder
  writeFileSync(join(work, "backup", "notes.txt"), "someone's edit");
  ws.write("b/.photo.jpg.Xy12Ab", "a user file that only looks like rsync's temporary name");

  const r = await sync(ws, ["--syncer", "rsync"]);
  assert.not.ok(existsSync(join(work, "tmp")), "rsync's temporary files (in wl's own folder) removed");
  assert.is(ws.text("a/.photo.jpg.Xy12Ab"), "a user file that only looks like rsync's temporary name", "a user file is never removed by its name");
  assert.is(readFileSync(join(work, "backup", "notes.txt"), "utf8"), "someone's edit", "a backup that is not the expected version is kept");
  assert.match(r.stderr, /an interrupted rsync pass left 1 replaced version .*notes\.txt/);
  assert.ok([0, 1].includes(r.code), r.stderr);
});

transfer.run();
