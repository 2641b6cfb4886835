// Safety gates (docs/design.md, rule 8), beyond what helpers/scenarios.mjs already covers (the basic
// max-delete gate with --force, an emptied storage of 20 files, a missing target root):
// configured limits and the boundary, the gate counting each side, a storage root that is a
// file, a dangling link, unreadable, or missing on the source side, an unmounted disk (a real
// tmpfs unmounted under the storage where mount is allowed, else a mount point left empty),
// and a small storage emptied at once, which the percentage gate does not cover.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { handOver, mountTmpfs, wlAsOtherUser } from "./helpers/faults.mjs";
import { report } from "./helpers/report.mjs";
import { localConfig, snapshot, waitFor, wl, workspace } from "./helpers/wl.mjs";

const test = suite("safety gates");
let ws;
const sync = (...args) => wl(ws.dir, ["container", "sync", "--one-shot", "box", ...args]);
const counts = { tried: 0, held: 0 };
/** A gate case: `held` once it stopped the pass (or let it through) exactly as documented. */
async function gate(body) {
  counts.tried++;
  await body();
  counts.held++;
}

test.before.each(() => {
  ws = workspace("wl-gate-");
  localConfig(ws.dir);
});
test.after.each(() => {
  spawnSync("umount", [ws.path("b")], { stdio: "ignore" });
  spawnSync("chmod", ["-R", "u+rwx", ws.dir]);
  ws.cleanup();
});

const files = (side, n, prefix = "f") => {
  for (let i = 0; i < n; i++) ws.write(`${side}/${prefix}${i}.txt`, `${prefix}${i}`);
};

test("max-delete from the config: the container's limit wins over the file's; the boundary passes, one more stops", () =>
  gate(async () => {
    localConfig(ws.dir, { extra: { "max-delete": 90 }, container: { "max-delete": 20 } });
    files("a", 20);
    assert.is((await sync()).code, 0);
    for (let i = 0; i < 5; i++) rmSync(ws.path(`a/f${i}.txt`)); // 5 of 20 = 25% > 20%
    let r = await sync();
    assert.is(r.code, 3);
    assert.match(r.stderr, /would delete 5 of the 20 files on b \(more than max-delete 20%\); nothing was changed/);
    assert.is(snapshot(ws.path("b")).size, 20);
    ws.write("a/f0.txt", "f0"); // back to 4 of 20 = 20%: at the limit, allowed
    r = await sync();
    assert.is(r.code, 0, r.stderr);
    assert.is(snapshot(ws.path("b")).size, 16);
  }));

test("the gate weighs deletions on each side separately, whichever side they come from", () =>
  gate(async () => {
    files("a", 12);
    assert.is((await sync()).code, 0);
    for (let i = 0; i < 8; i++) rmSync(ws.path(`b/f${i}.txt`)); // deletions made on b go to a
    const r = await sync();
    assert.is(r.code, 3);
    assert.match(r.stderr, /would delete 8 of the 12 files on a/);
    assert.is(snapshot(ws.path("a")).size, 12);
    assert.is((await sync("--force")).code, 0);
    assert.is(snapshot(ws.path("a")).size, 4);
  }));

test("a storage root that is a file, a dangling link, or missing on the source side: exit 3, nothing touched", () =>
  gate(async () => {
    files("a", 3);
    assert.is((await sync()).code, 0);
    const before = snapshot(ws.path("a"));
    rmSync(ws.path("b"), { recursive: true });
    writeFileSync(ws.path("b"), "not a folder");
    let r = await sync();
    assert.is(r.code, 3);
    assert.match(r.stderr, /b is not a folder/);
    rmSync(ws.path("b"));
    symlinkSync(ws.path("gone"), ws.path("b"));
    r = await sync();
    assert.is(r.code, 3);
    assert.match(r.stderr, /does not exist \(is the disk mounted\?/);
    assert.equal(snapshot(ws.path("a")), before);
    rmSync(ws.path("b"));
    mkdirSync(ws.path("b"));
    files("b", 3);
    rmSync(ws.path("a"), { recursive: true });
    r = await sync();
    assert.is(r.code, 3);
    assert.match(r.stderr, /storage a: folder .*a does not exist/);
    assert.is(snapshot(ws.path("b")).size, 3);
    r = await wl(ws.dir, ["container", "list-conflicts", "box", "--force-scan"]);
    assert.is(r.code, 3, "a scan with a root missing fails too");
  }));

test("an unreadable storage root (as another user) is fatal, not empty", () =>
  gate(async () => {
    files("a", 3);
    handOver(ws.dir);
    assert.is((await wlAsOtherUser(ws.dir, ["container", "sync", "--one-shot", "box"])).code, 0);
    chmodSync(ws.path("b"), 0o000);
    const r = await wlAsOtherUser(ws.dir, ["container", "sync", "--one-shot", "box"]);
    assert.is(r.code, 3, r.stderr);
    assert.match(r.stderr, /storage b: cannot (access|read) .*permission denied/i);
    assert.is(snapshot(ws.path("a")).size, 3);
  }));

test("an unmounted disk (its empty mount point) stops the pass, even below the percentage gate's 10 files", () =>
  gate(async () => {
    const mounted = mountTmpfs(ws.path("b"), "1m");
    counts.unmount = mounted ? "a tmpfs really unmounted" : "an emptied mount point (mount not permitted here)";
    files("a", 3);
    assert.is((await sync()).code, 0);
    if (mounted) assert.is(spawnSync("umount", [ws.path("b")]).status, 0);
    else rmSync(ws.path("b"), { recursive: true }), mkdirSync(ws.path("b"));
    const r = await sync();
    assert.is(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /storage b is empty, but 3 files were synced with it.*mounted.*--force/s, r.stderr);
    assert.is(snapshot(ws.path("a")).size, 3, "nothing deleted");
    const dry = await sync("--dry-run");
    assert.is(dry.code, 3, "a dry run stops where the real pass stops");
    assert.is(dry.stderr, r.stderr, "with the same message");
    assert.match((await sync("--dry-run", "--force")).stdout, /delete on a: f0\.txt/, "a forced dry run shows the deletions");
    assert.is((await sync("--force")).code, 0, "--force lets an intended emptying through");
    assert.is(snapshot(ws.path("a")).size, 0);
  }));

test("a small storage emptied at once is stopped; emptied one file at a time, or holding one file, it is not", () =>
  gate(async () => {
    files("a", 4);
    assert.is((await sync()).code, 0);
    for (let i = 0; i < 4; i++) rmSync(ws.path(`b/f${i}.txt`));
    const r = await sync();
    assert.is(r.code, 3);
    assert.match(r.stderr, /storage b is empty, but 4 files were synced with it/);
    assert.is(snapshot(ws.path("a")).size, 4);
    ws.write("b/f0.txt", "f0");
    ws.write("b/f1.txt", "f1");
    for (let i = 1; i >= 0; i--) {
      rmSync(ws.path(`b/f${i}.txt`));
      assert.is((await sync()).code, 0, `deleting f${i} alone propagates, the last one too`);
    }
    assert.is(snapshot(ws.path("a")).size, 0);
  }));

test("a disk unmounted (or a storage folder replaced) under a running daemon: its passes stop, nothing is deleted or copied into the mount point", () =>
  gate(async () => {
    const mounted = mountTmpfs(ws.path("b"), "1m");
    counts.daemonUnmount = mounted ? "a tmpfs unmounted under the daemon" : "the storage folder moved away and recreated (mount not permitted here)";
    files("a", 6);
    try {
      const start = await wl(ws.dir, ["container", "sync", "box"]);
      assert.is(start.code, 0, start.stderr);
      assert.is(snapshot(ws.path("b")).size, 6);
      if (mounted) assert.is(spawnSync("umount", ["-l", ws.path("b")]).status, 0);
      else {
        spawnSync("mv", [ws.path("b"), ws.path("b-away")]);
        mkdirSync(ws.path("b"));
      }
      await new Promise((r) => setTimeout(r, 300));
      ws.write("a/new.txt", "written after the unmount");
      await waitFor(async () => JSON.parse((await wl(ws.dir, ["status", "--json"])).stdout).jobs[0]?.lastError, "the job to report the storage as gone");
      const status = JSON.parse((await wl(ws.dir, ["status", "--json"])).stdout).jobs[0];
      assert.match(status.lastError, /storage b: .* is no longer the folder it was/);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal([...snapshot(ws.path("b")).keys()], [], "nothing copied into the empty mount point");
      assert.is(snapshot(ws.path("a")).size, 7, "nothing deleted");
    } finally {
      await wl(ws.dir, ["daemon", "stop"]);
    }
  }));

test.after(() => report("safety gates", { tried: counts.tried, survived: counts.held, detail: `unmounted disk: ${counts.unmount ?? "not run"}; under the daemon: ${counts.daemonUnmount ?? "not run"}`, test: "test/safety-gates.test.mjs" }));

test.run();
