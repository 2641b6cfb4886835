// The rsync syncer against the faults of issue 13 (inputs 5 to 8): names rsync could misread,
// an rsync that outlives a killed wl, recovery that must remove only what wl wrote, and two
// "hosts" (pid namespaces) sharing one folder. End to end through the built `wl`, real rsync.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import * as assert from "uvu/assert";
import { test } from "uvu";
import { report } from "./helpers/report.mjs";
import { realRsync, rsyncDouble, wl, workspace } from "./helpers/rsync-env.mjs";
import { WL, assertSameTree, collect, waitFor, wait } from "./helpers/wl.mjs";

const sync = (ws, args = [], env = {}) => wl(ws.dir, ["container", "sync", "--one-shot", "box", "--json", ...args], env);
const expectCode = (r, code) => assert.is(r.code, code, `wl exited ${r.code}, expected ${code}\nconflicts: ${JSON.stringify(r.json?.conflicts)}\nerrors: ${JSON.stringify(r.json?.errors)}\nstderr: ${r.stderr}`);
const counts = { tried: 0, survived: 0, names: [] };
const tally = async (name, fn) => {
  counts.tried++;
  await fn();
  counts.survived++;
  counts.names.push(name);
};

/** Every printable ASCII character that is not a letter, digit or `/`, plus a space. */
const PUNCTUATION = [..."!\"#$%&'()*+,-.:;<=>?@[\\]^_`{|}~ "];

for (const syncer of ["rsync", "naive"]) {
  test(`names starting with each ASCII punctuation character and a space sync (${syncer})`, async () => {
    realRsync();
    const ws = workspace();
    try {
      await tally(`punctuation names (${syncer})`, async () => {
        const names = [];
        for (const c of PUNCTUATION) {
          if (c === ".") names.push(".hidden", "..twodots");
          else names.push(`${c}name.txt`, `${c}${c}`, `sub/${c}inner.txt`);
        }
        names.push("#notes.txt", ";comment.txt", "- dash space.txt", " lead space.txt", "sub/#deep/;x.txt");
        for (const n of names) ws.write(`a/${n}`, `content of ${n}\n`);
        const r = await sync(ws, ["--syncer", syncer]);
        expectCode(r, 0);
        assert.is(r.json.counters.copiedToTarget, new Set(names).size);
        assertSameTree(ws.path("a"), ws.path("b"));
        // and back, as replacements (existing destinations: rsync's other path)
        for (const n of names) ws.write(`b/${n}`, `edited on b: ${n}\n`);
        const back = await sync(ws, ["--syncer", syncer]);
        expectCode(back, 0);
        assertSameTree(ws.path("a"), ws.path("b"));
        assert.is(ws.text("a/#notes.txt"), "edited on b: #notes.txt\n");
      });
    } finally {
      ws.cleanup();
    }
  });
}

/**
 * Starts a pass whose rsync run is held (`sleep` before the real rsync, in the test double) and
 * SIGKILLs wl while it waits. Returns once wl is dead.
 */
async function killDuringRsync(ws, holdSeconds) {
  const env = rsyncDouble(ws, { before: `touch "${ws.path(".rsync-started")}"; sleep ${holdSeconds}` });
  const child = spawn(process.execPath, [WL, "container", "sync", "--one-shot", "box", "--syncer", "rsync"], {
    cwd: ws.dir,
    env: { ...process.env, ...env, WLSYNC_STATE_DIR: ws.state, WLSYNC_DEBUG: "", XDG_RUNTIME_DIR: "", WLSYNC_SOCKET: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const done = collect(child);
  await waitFor(() => existsSync(ws.path(".rsync-started")), "rsync to start");
  child.kill("SIGKILL");
  await done;
}

test("rsync dies with a SIGKILLed wl: a file edited after the kill is never replaced, and the next pass sees the conflict", async () => {
  realRsync();
  const ws = workspace();
  try {
    await tally("SIGKILL of wl during an rsync batch", async () => {
      ws.write("a/report.txt", "version 1");
      expectCode(await sync(ws, ["--syncer", "rsync"]), 0);
      ws.write("a/report.txt", "version 2 from a");
      await killDuringRsync(ws, 1);
      ws.write("b/report.txt", "edited on b after the kill");
      await wait(2500); // an orphaned rsync would run now
      assert.is(ws.text("b/report.txt"), "edited on b after the kill", "an rsync that outlived wl replaced the user's edit");
      const r = await sync(ws, ["--syncer", "rsync"]);
      expectCode(r, 1);
      assert.equal(r.json.conflicts.map((c) => c.path), ["report.txt"]);
      assert.is(ws.text("b/report.txt"), "edited on b after the kill");
      assert.is(ws.text("a/report.txt"), "version 2 from a");
      assert.equal(readdirSync(ws.path("b")).filter((n) => n.startsWith(".wlsync-tmp-")), [], "the killed pass's work folder is gone");
    });
  } finally {
    ws.cleanup();
  }
});

test("recovery after a killed rsync pass removes only what wl wrote: user files named like rsync's temporary files stay and sync", async () => {
  realRsync();
  const ws = workspace();
  try {
    await tally("recovery keeps user files named like temporary files", async () => {
      ws.write("a/report.bin", "report, version 1");
      ws.write("a/new.bin", "a new file");
      expectCode(await sync(ws, ["--syncer", "rsync"]), 0);
      ws.write("a/report.bin", "report, version 2");
      ws.write("a/other.bin", "another new file");
      await killDuringRsync(ws, 1);
      await wait(1500);
      // The user's own files, written after the killed pass started, next to journaled names.
      const mine = [".report.bin.backup", ".new.bin.ABC123", ".other.bin.xyzXYZ", "report.bin~"];
      for (const n of mine) ws.write(`b/${n}`, `user file ${n}`);
      const r = await sync(ws, ["--syncer", "rsync"]);
      expectCode(r, 0);
      for (const n of mine) {
        assert.ok(existsSync(ws.path(`b/${n}`)), `${n} was deleted by the recovery of a killed pass`);
        assert.is(ws.text(`a/${n}`), `user file ${n}`, `${n} synced like any user file`);
      }
      assert.is(ws.text("b/report.bin"), "report, version 2");
      assertSameTree(ws.path("a"), ws.path("b"));
    });
  } finally {
    ws.cleanup();
  }
});

/**
 * Starts a one-shot pass whose rsync run is followed by a hold (`after`, in the test double):
 * rsync has put its copies in place, wl has not yet verified nor recorded them. SIGKILLs wl then.
 */
async function killAfterRsync(ws, before = "") {
  const env = rsyncDouble(ws, { before, after: `touch "${ws.path(".rsync-done")}"; sleep 5` });
  const child = spawn(process.execPath, [WL, "container", "sync", "--one-shot", "box", "--syncer", "rsync"], {
    cwd: ws.dir,
    env: { ...process.env, ...env, WLSYNC_STATE_DIR: ws.state, WLSYNC_DEBUG: "", XDG_RUNTIME_DIR: "", WLSYNC_SOCKET: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const done = collect(child);
  await waitFor(() => existsSync(ws.path(".rsync-done")), "rsync to finish");
  child.kill("SIGKILL");
  await done;
}

test("a one-shot pass SIGKILLed after rsync put its copies in place, before wl recorded them: the next pass takes them for what they are (no conflict), also when rsync copied a newer version than planned, and one-sided edits made since flow", async () => {
  realRsync();
  const ws = workspace();
  try {
    await tally("copies landed by rsync but not recorded before a kill", async () => {
      const names = ["planned-then-edited", "newer-then-edited", "newer-left", "planned-left"];
      for (const n of names) ws.write(`a/${n}.txt`, `${n}: version 1`);
      expectCode(await sync(ws, ["--syncer", "rsync"]), 0);
      for (const n of names) ws.write(`a/${n}.txt`, `${n}: version 2, planned`);
      // While rsync starts, two sources change again: rsync copies a version the plan never saw.
      const newer = names.filter((n) => n.startsWith("newer")).map((n) => `echo "${n}: version 3, during rsync" > a/${n}.txt`);
      await killAfterRsync(ws, newer.join("; "));
      for (const n of names) assert.is(ws.text(`b/${n}.txt`), ws.text(`a/${n}.txt`), `${n}: rsync's copy landed before the kill`);
      // One-sided edits after the kill.
      for (const n of names.filter((n) => n.endsWith("edited"))) ws.write(`a/${n}.txt`, `${n}: version 4, after the kill`);
      const r = await sync(ws, ["--syncer", "rsync"]);
      expectCode(r, 0);
      assert.equal(r.json.conflicts, []);
      assertSameTree(ws.path("a"), ws.path("b"));
      assert.is(ws.text("b/newer-then-edited.txt"), "newer-then-edited: version 4, after the kill");
      assert.is(ws.text("b/newer-left.txt"), "newer-left: version 3, during rsync\n");
      assert.equal(readdirSync(ws.path("b")).filter((n) => n.startsWith(".wlsync-tmp-")), [], "the killed pass's work folder is gone");
      const again = await sync(ws, ["--syncer", "rsync"]);
      expectCode(again, 0);
      assert.is(again.json.counters.copiedToTarget + again.json.counters.copiedToSource, 0, "in sync");
    });
  } finally {
    ws.cleanup();
  }
});

/** Runs wl in its own pid namespace (another "host" sharing the folder): pids there mean other processes. */
function wlOtherHost(ws, args, state) {
  const child = spawn("unshare", ["--pid", "--fork", "--mount-proc", process.execPath, WL, ...args], {
    cwd: ws.dir,
    env: { ...process.env, WLSYNC_STATE_DIR: state, WLSYNC_DEBUG: "", XDG_RUNTIME_DIR: "", WLSYNC_SOCKET: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return collect(child);
}

test("two hosts (pid namespaces) sharing a folder: one never judges the other's live rsync work folder dead", async () => {
  realRsync();
  if (spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "true"]).status !== 0) {
    console.log("[not run] two hosts sharing a folder: unshare --pid is not permitted here");
    return;
  }
  const ws = workspace();
  try {
    await tally("two hosts sharing a folder", async () => {
      for (let i = 0; i < 5; i++) ws.write(`a/file-${i}.txt`, `file ${i}, version 1`);
      expectCode(await sync(ws, ["--syncer", "rsync"]), 0);
      for (let i = 0; i < 5; i++) ws.write(`a/file-${i}.txt`, `file ${i}, version 2`);
      // Host A: a pass whose rsync run is held until host B's pass is over.
      const env = rsyncDouble(ws, { before: `touch "${ws.path(".rsync-started")}"; while [ ! -e "${ws.path(".host-b-done")}" ]; do sleep 0.1; done` });
      const hostA = wl(ws.dir, ["container", "sync", "--one-shot", "box", "--json", "--syncer", "rsync"], env);
      await waitFor(() => existsSync(ws.path(".rsync-started")), "host A's rsync to start");
      const work = readdirSync(ws.path("b")).filter((n) => n.startsWith(".wlsync-tmp-rsync-"));
      assert.is(work.length, 1, "host A's work folder");
      // Host B: its own state (another machine), the same folder b, syncing it with a third folder.
      writeFileSync(
        ws.path(".wlsyncrc-b"),
        JSON.stringify({ containers: { box: { storages: [{ "backend-id": "b", type: "local", path: "./b" }, { "backend-id": "c", type: "local", path: "./c" }] } } }),
      );
      ws.write("c/.keep", "");
      const b = await wlOtherHost(ws, ["--config", ws.path(".wlsyncrc-b"), "container", "sync", "--one-shot", "box", "--syncer", "rsync"], ws.path(".state-host-b"));
      const survived = existsSync(ws.path(`b/${work[0]}`));
      writeFileSync(ws.path(".host-b-done"), "");
      assert.ok([0, 2].includes(b.code), b.stderr);
      assert.ok(survived, "host B removed host A's live work folder");
      const a = await hostA;
      expectCode(a, 0);
      for (let i = 0; i < 5; i++) {
        assert.is(ws.text(`a/file-${i}.txt`), `file ${i}, version 2`);
        assert.is(ws.text(`b/file-${i}.txt`), `file ${i}, version 2`);
      }
      const again = await sync(ws, ["--syncer", "rsync"]);
      expectCode(again, 0);
      assert.is(again.json.counters.deletedOnTarget + again.json.counters.deletedOnSource, 0);
    });
  } finally {
    ws.cleanup();
  }
});

test.after(() => report("rsync crashes and names (issue 13: 5-8)", { tried: counts.tried, survived: counts.survived, detail: counts.names.join("; "), test: "test/rsync-crash-safety.test.mjs" }));

test.run();
