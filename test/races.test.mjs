// Races (docs/design.md, rules 2, 5 and 6), hit without test hooks:
//  - a file that changes while it is hashed or copied (a concurrent writer in another process,
//    appending or rewriting in place, for the whole pass) is detected and deferred: the item
//    fails with E_CHANGED, the other side keeps what it had, the state store keeps the last
//    synced version, and the pass after the writer stops syncs it;
//  - a file edited, created or deleted by a user between plan and apply is never overwritten
//    or deleted (compare-and-swap): the window is held open by large copies queued before it
//    (copies go in path order, eight at a time) and the edit is made when the first of them
//    lands; the pass must report it as "changed-during-sync" and leave it alone.
// These fault-injection cases target core's engine and its streaming transfer (--syncer naive); the rsync
// syncer's own kill-recovery and race cases are in syncer-rsync.test.mjs.
import { spawn } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { checkStateStore, openDatabase, sha256, startWl } from "./helpers/faults.mjs";
import { report } from "./helpers/report.mjs";
import { ROOT, bytes, localConfig, wl, workspace } from "./helpers/wl.mjs";

const test = suite("races");
let ws;
const sync = (...args) => wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive", "--json", ...args]);
const recordOf = (path) => (existsSync(join(ws.state, "state.db")) ? checkStateStore(ws.state).synced.find((r) => r.path === path) : undefined);
const fileHash = (rel) => (existsSync(ws.path(rel)) ? sha256(readFileSync(ws.path(rel))) : null);
const counts = { changing: 0, changingDeferred: 0, cas: 0, casHeld: 0, casAttempts: 0 };

test.before.each(() => {
  ws = workspace("wl-race-");
  localConfig(ws.dir);
});
test.after.each(() => ws.cleanup());

/** Polls every millisecond (the windows these tests aim at are a few tens of milliseconds wide). */
async function pollFast(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Starts a writer process on `rel` and resolves once it has written. */
async function startWriter(mode, rel) {
  const child = spawn(process.execPath, [join(ROOT, "test", "helpers", "writer.mjs"), mode, ws.path(rel)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((resolve, reject) => {
    child.stdout.once("data", resolve);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`writer exited ${code}`)));
  });
  return {
    stop: async () => {
      child.removeAllListeners("exit");
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * Runs one pass while `rel` on side `side` is being written, and checks that the item was
 * deferred: E_CHANGED, the other side and the state store untouched; then the writer stops and
 * the next pass syncs the file.
 */
async function changingDuringPass({ mode, side, rel, what }) {
  const other = side === "a" ? "b" : "a";
  const before = { record: recordOf(rel), other: fileHash(`${other}/${rel}`) };
  ws.write(`${side}/bystander.txt`, `synced alongside ${what}`);
  counts.changing++;
  const writer = await startWriter(mode, `${side}/${rel}`);
  let r;
  try {
    r = await sync();
  } finally {
    await writer.stop();
  }
  const result = JSON.parse(r.stdout);
  assert.is(r.code, 2, `${what}: the changing file must fail the pass (exit 2)\n${r.stderr}`);
  const error = result.errors.find((e) => e.path === rel);
  assert.ok(error, `${what}: no error for ${rel}: ${JSON.stringify(result.errors)}`);
  assert.is(error.code, "E_CHANGED", `${what}: ${error.message}`);
  assert.is(fileHash(`${other}/${rel}`), before.other, `${what}: the other side's ${rel} was touched`);
  assert.equal(recordOf(rel), before.record, `${what}: the state store recorded ${rel} while it was changing`);
  assert.equal(readdirSync(ws.path(other)).filter((n) => n.startsWith(".wlsync-tmp-")), [], `${what}: temporary file left`);
  assert.is(ws.read(`${other}/bystander.txt`), `synced alongside ${what}`, `${what}: the other files still sync`);
  // The hash cache may remember a version only under that version's own token.
  const db = openDatabase(join(ws.state, "state.db"), { readonly: true });
  const st = lstatSync(ws.path(`${side}/${rel}`), { bigint: true });
  const token = `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  for (const row of db.prepare("SELECT token, hash FROM hashes WHERE path = ?").all(rel)) {
    if (row.token === token) assert.is(row.hash, fileHash(`${side}/${rel}`), `${what}: the hash cache holds a wrong sha256 for the current version`);
  }
  db.close();
  counts.changingDeferred++;
  const next = await sync();
  assert.is(next.code, 0, `${what}: the pass after the writer stopped: ${next.stderr}`);
  assert.is(fileHash(`a/${rel}`), fileHash(`b/${rel}`));
  assert.is(recordOf(rel).hash, fileHash(`a/${rel}`));
}

test("a new file appended to while it is copied is deferred, then synced", async () => {
  ws.write("a/growing.log", bytes(8 << 20));
  await changingDuringPass({ mode: "append", side: "a", rel: "growing.log", what: "append during the copy of a new file" });
});

test("a synced file appended to while its new version is copied is deferred; the old version stays", async () => {
  ws.write("b/big.bin", bytes(8 << 20));
  assert.is((await sync()).code, 0);
  await changingDuringPass({ mode: "append", side: "b", rel: "big.bin", what: "append during the copy of an edit" });
});

test("a synced file rewritten in place (same size) while it is hashed is deferred", async () => {
  ws.write("a/same-size.bin", bytes(8 << 20));
  assert.is((await sync()).code, 0);
  // The size does not change, so the plan must hash it to know it changed: the rewrite races the hash.
  await changingDuringPass({ mode: "rewrite", side: "a", rel: "same-size.bin", what: "in-place rewrite during the hash" });
});

/**
 * Holds the plan-to-apply window open with large copies queued before `rel` (path order), and
 * calls `interfere` as soon as the first of them lands in b. Retries if the pass got to `rel`
 * before the interference (the window was missed); every attempt must lose nothing.
 */
async function betweenPlanAndApply({ what, prepare, interfere, expectReason = "changed-during-sync", check }) {
  for (let attempt = 1; attempt <= 4; attempt++) {
    ws.cleanup();
    ws = workspace("wl-race-");
    localConfig(ws.dir);
    prepare();
    assert.is((await sync("--force")).code, 0);
    // 16 new 512 KB files sort before "zz-*": copied first, eight at a time.
    for (let i = 0; i < 16; i++) ws.write(`a/big${String(i).padStart(2, "0")}.bin`, bytes(512 << 10));
    const planned = () => prepare.planned();
    planned();
    counts.casAttempts++;
    const run = startWl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive", "--json", "--force"]);
    await pollFast(() => readdirSync(ws.path("b")).some((n) => n.startsWith("big")), "the first large copy to land");
    interfere();
    const r = await run.done;
    const result = JSON.parse(r.stdout);
    const hit = result.conflicts.find((c) => c.path === prepare.rel);
    check(`${what} (attempt ${attempt})`);
    if (!hit) continue; // the pass reached the file before the interference: nothing was at stake
    counts.cas++;
    assert.is(hit.reason, expectReason);
    assert.is(r.code, 1, r.stderr);
    counts.casHeld++;
    return;
  }
  assert.unreachable(`${what}: the window between plan and apply was never hit in 4 attempts`);
}

test("a target file edited between plan and apply is not overwritten (compare-and-swap)", async () => {
  const prepare = () => ws.write("a/zz-doc.txt", "base");
  prepare.rel = "zz-doc.txt";
  prepare.planned = () => ws.write("a/zz-doc.txt", "new on a");
  await betweenPlanAndApply({
    what: "edit of the target between plan and apply",
    prepare,
    interfere: () => writeFileSync(ws.path("b/zz-doc.txt"), "user edit on b"),
    check: (what) => {
      assert.is(ws.read("a/zz-doc.txt"), "new on a", what);
      assert.is(ws.read("b/zz-doc.txt"), "user edit on b", `${what}: the user's edit was overwritten`);
    },
  });
});

test("a target file created between plan and apply is not overwritten", async () => {
  const prepare = () => ws.write("a/keep.txt", "k");
  prepare.rel = "zz-new.txt";
  prepare.planned = () => ws.write("a/zz-new.txt", "new on a");
  await betweenPlanAndApply({
    what: "creation on the target between plan and apply",
    prepare,
    interfere: () => writeFileSync(ws.path("b/zz-new.txt"), "created by the user on b"),
    check: (what) => assert.is(ws.read("b/zz-new.txt"), "created by the user on b", `${what}: the user's new file was overwritten`),
  });
});

test("a source file edited between plan and its copy is deferred, never copied half-seen", async () => {
  const prepare = () => ws.write("a/zz-src.txt", "base");
  prepare.rel = "zz-src.txt";
  prepare.planned = () => ws.write("a/zz-src.txt", "edit 1 on a");
  for (let attempt = 1; attempt <= 4; attempt++) {
    ws.cleanup();
    ws = workspace("wl-race-");
    localConfig(ws.dir);
    prepare();
    assert.is((await sync()).code, 0);
    for (let i = 0; i < 16; i++) ws.write(`a/big${String(i).padStart(2, "0")}.bin`, bytes(512 << 10));
    prepare.planned();
    counts.casAttempts++;
    const run = startWl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive", "--json"]);
    await pollFast(() => readdirSync(ws.path("b")).some((n) => n.startsWith("big")), "the first large copy to land");
    writeFileSync(ws.path("a/zz-src.txt"), "edit 2 on a, longer");
    const r = await run.done;
    const result = JSON.parse(r.stdout);
    const deferred = result.errors.find((e) => e.path === "zz-src.txt");
    const b = ws.read("b/zz-src.txt");
    assert.ok(b === "base" || b === "edit 2 on a, longer", `b holds ${JSON.stringify(b)}: a version planned from what a no longer held`);
    if (!deferred) continue;
    assert.is(deferred.code, "E_CHANGED");
    assert.is(b, "base");
    assert.is(recordOf("zz-src.txt").hash, sha256("base"));
    assert.is((await sync()).code, 0);
    assert.is(ws.read("b/zz-src.txt"), "edit 2 on a, longer");
    counts.cas++;
    counts.casHeld++;
    return;
  }
  assert.unreachable("the window between plan and copy was never hit in 4 attempts");
});

test("a target file edited between plan and its deletion is not deleted", async () => {
  // Deletions run first and are quick: 1500 of them queued before the file hold the window open.
  for (let attempt = 1; attempt <= 4; attempt++) {
    ws.cleanup();
    ws = workspace("wl-race-");
    localConfig(ws.dir);
    for (let i = 0; i < 1500; i++) ws.write(`a/d/f${String(i).padStart(4, "0")}`, "");
    ws.write("a/zz-del.txt", "base");
    assert.is((await sync()).code, 0);
    rmSync(ws.path("a/d"), { recursive: true });
    rmSync(ws.path("a/zz-del.txt"));
    counts.casAttempts++;
    const run = startWl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive", "--json", "--force"]);
    await pollFast(() => !existsSync(ws.path("b/d/f0000")), "the first deletion");
    writeFileSync(ws.path("b/zz-del.txt"), "user edit on b");
    const r = await run.done;
    const result = JSON.parse(r.stdout);
    assert.is(ws.read("b/zz-del.txt"), "user edit on b", "the user's edit was deleted");
    const hit = result.conflicts.find((c) => c.path === "zz-del.txt");
    if (!hit) continue;
    assert.is(hit.reason, "changed-during-sync");
    counts.cas++;
    counts.casHeld++;
    return;
  }
  assert.unreachable("the window between plan and deletion was never hit in 4 attempts");
});

test.after(() => {
  report("races: file changing while hashed or copied", { tried: counts.changing, survived: counts.changingDeferred, detail: "append during copy (new file, edit), in-place rewrite during hash", test: "test/races.test.mjs" });
  report("races: edited between plan and apply (compare-and-swap)", {
    tried: counts.cas,
    survived: counts.casHeld,
    detail: `target edited, created, deleted-vs-edited, source edited; ${counts.casAttempts} attempts to hit the window`,
    test: "test/races.test.mjs",
  });
});

test.run();
