// Crash injection (docs/design.md, rule 6): a large two-way pass is killed with SIGKILL at many points
// (startup, scan, hashing, copies in flight, the state commit), and the daemon is killed in the
// middle of continuous work. After every kill:
//  - every file under a real name holds exactly one version the test wrote (never a mix of old
//    and new bytes, never a temporary file renamed half-written);
//  - the state store opens cleanly (SQLite integrity_check) and each record it holds is either
//    the state before the pass or matches what is on disk;
//  - the next pass finishes the job: both sides equal the expected tree, nothing lost, and
//    temporary files left by the killed process are removed.
// WLSYNC_CRASH_POINTS raises the number of kill points for soak runs.
// These fault-injection cases target core's engine and its streaming transfer (--syncer naive); the rsync
// syncer's own kill-recovery and race cases are in syncer-rsync.test.mjs.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { enginePair } from "./helpers/engine.mjs";
import { checkStateStore, isAlive, readTree, sha256, startWl } from "./helpers/faults.mjs";
import { countFromEnv, report } from "./helpers/report.mjs";
import { localConfig, wait, waitFor, wl } from "./helpers/wl.mjs";

/** Deterministic, incompressible-enough bytes for a (path, version): two versions never share a prefix. */
function content(path, version, size) {
  const out = Buffer.alloc(size);
  let block = createHash("sha256").update(`${path}\u0000${version}`).digest();
  for (let i = 0; i < size; i += block.length) {
    block.copy(out, i, 0, Math.min(block.length, size - i));
    block = createHash("sha512").update(block).digest();
  }
  return out;
}

/**
 * The scenario: an initial tree synced to both sides, then edits on both sides, deletions,
 * renames, new files and folders. Returns the expected final tree and every legitimate
 * version of every path.
 */
function buildScenario(dir) {
  localConfig(dir);
  const legit = new Map(); // path → Set of sha256
  const final = new Map(); // path → Buffer
  const put = (side, path, version, size) => {
    const bytes = content(path, version, size);
    const full = join(dir, side, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
    if (!legit.has(path)) legit.set(path, new Set());
    legit.get(path).add(sha256(bytes));
    final.set(path, bytes);
    return bytes;
  };
  for (let i = 0; i < 6; i++) put("a", `big/e${i}.bin`, "old", 512 << 10);
  for (let i = 0; i < 150; i++) put("a", `small/s${i}.txt`, "old", 512 + i * 7);
  return {
    legit,
    final,
    /** After the initial sync: the changes the killed pass has to carry, as steps. */
    mutations: [
      () => { for (let i = 0; i < 6; i++) put("a", `big/e${i}.bin`, "new-a", 512 << 10); }, // same size: hashed, compare-and-swapped
      () => { for (let i = 0; i < 60; i++) put("a", `small/s${i}.txt`, "new-a", 512 + i * 7); },
      () => {
        for (let i = 60; i < 80; i++) {
          rmSync(join(dir, "a", `small/s${i}.txt`));
          final.delete(`small/s${i}.txt`);
        }
      },
      () => {
        mkdirSync(join(dir, "a", "renamed"));
        for (let i = 80; i < 90; i++) {
          renameSync(join(dir, "a", `small/s${i}.txt`), join(dir, "a", `renamed/s${i}.txt`));
          const bytes = final.get(`small/s${i}.txt`);
          final.delete(`small/s${i}.txt`);
          final.set(`renamed/s${i}.txt`, bytes);
          legit.set(`renamed/s${i}.txt`, new Set([sha256(bytes)]));
        }
      },
      () => { for (let i = 0; i < 80; i++) put("a", `new/n${i}.txt`, "new-a", 300 + i); },
      () => { for (let i = 0; i < 3; i++) put("a", `new/big${i}.bin`, "new-a", 1 << 20); },
      () => { for (let i = 0; i < 5; i++) mkdirSync(join(dir, "a", `new/empty${i}`), { recursive: true }); },
      () => { for (let i = 90; i < 120; i++) put("b", `small/s${i}.txt`, "new-b", 700 + i); },
      () => { for (let i = 0; i < 30; i++) put("b", `fromb/f${i}.txt`, "new-b", 100 + i); },
    ],
    mutate() {
      for (const step of this.mutations) step();
    },
    emptyDirs: [0, 1, 2, 3, 4].map((i) => `new/empty${i}`),
  };
}

/** Checks that hold right after a kill, before anything else runs. Returns a short description of how far the pass got. */
function checkAfterKill(dir, scenario, baseline, label) {
  let landed = 0;
  for (const side of ["a", "b"]) {
    const tree = readTree(join(dir, side));
    for (const [path, bytes] of tree.files) {
      const ok = scenario.legit.get(path)?.has(sha256(bytes));
      assert.ok(ok, `${label}: ${side}/${path} holds bytes that no one wrote (a mix of versions or a half-written file)`);
      if (side === "b" && !baseline.get(path)?.equals(bytes)) landed++;
    }
  }
  const { integrity, synced } = checkStateStore(join(dir, ".state"));
  assert.is(integrity, "ok", `${label}: state store integrity`);
  for (const record of synced) {
    if (record.kind !== "file") continue;
    assert.ok(scenario.legit.get(record.path)?.has(record.hash), `${label}: the state store records ${record.path} with a hash no version had`);
  }
  return landed;
}

/**
 * Runs the pass that must finish the job (through wl, or through core's API in a fresh state
 * store connection, which is faster) and checks the result against the expected tree.
 */
async function recoverAndCheck(dir, scenario, label, { viaApi = false } = {}) {
  let r;
  if (viaApi) {
    const pair = enginePair(dir, { maxDelete: 50 });
    try {
      const result = await pair.pass({ force: false });
      assert.equal([result.conflicts, result.errors], [[], []], `${label}: the next pass left conflicts or errors`);
      r = { code: 0 };
    } finally {
      pair.close();
    }
  } else {
    r = await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"]);
    assert.is(r.code, 0, `${label}: the next pass exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  }
  for (const side of ["a", "b"]) {
    const tree = readTree(join(dir, side));
    assert.equal(tree.temps, [], `${label}: temporary files left on ${side} after the next pass`);
    for (const [path, bytes] of scenario.final) {
      assert.ok(tree.files.get(path)?.equals(bytes), `${label}: ${side}/${path} is ${tree.files.has(path) ? "not the expected version" : "missing"} after the next pass`);
    }
    for (const path of tree.files.keys()) assert.ok(scenario.final.has(path), `${label}: ${side}/${path} should have been deleted`);
    for (const d of scenario.emptyDirs) assert.ok(tree.dirs.has(d), `${label}: empty folder ${side}/${d} missing`);
  }
  const { integrity, synced } = checkStateStore(join(dir, ".state"));
  assert.is(integrity, "ok");
  for (const record of synced) {
    if (record.kind === "file") assert.is(record.hash, sha256(scenario.final.get(record.path) ?? ""), `${label}: state of ${record.path} after the next pass`);
  }
  return r;
}

test("SIGKILL at many points of a large one-shot pass: every file old or new, the state intact, the next pass finishes the job", async () => {
  const root = mkdtempSync(join(tmpdir(), "wl-crash-"));
  const dir = join(root, "ws"); // always the same path: the stored state is keyed by the storages' real paths
  const template = join(root, "template");
  try {
    mkdirSync(dir);
    const scenario = buildScenario(dir);
    assert.is((await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"])).code, 0);
    scenario.mutate();
    const baseline = readTree(join(dir, "b")).files;
    execFileSync("cp", ["-a", dir, template]);

    // Progress of a pass as seen from outside: names that appear in the folders it fills.
    const filled = ["b/new", "b/renamed", "a/fromb"].map((p) => join(dir, p));
    const progress = () => filled.reduce((n, d) => n + (existsSync(d) ? readdirSync(d).filter((x) => !x.startsWith(".wlsync-tmp-")).length : 0), 0);
    const lockDir = join(dir, ".state", "locks");
    const locked = () => existsSync(lockDir) && readdirSync(lockDir).some((n) => n.endsWith(".lock"));
    const poll = async (check) => {
      const deadline = Date.now() + 30_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error("timed out waiting for the pass to progress");
        await new Promise((r) => setTimeout(r, 1));
      }
    };

    // A pass without a kill: the scenario works, and it shows how long scanning and hashing take
    // (from the pair lock to the first new name) and how many names the copies add.
    const probe = startWl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"]);
    await poll(locked);
    const lockedAt = Date.now();
    await poll(() => progress() > 0);
    const scanMs = Date.now() - lockedAt;
    assert.is((await probe.done).code, 0);
    const total = progress();
    await recoverAndCheck(dir, scenario, "uninterrupted pass");

    // Kill points: during scanning and hashing (by time), then after the k-th new name appeared
    // (by progress, whatever the machine's speed), then once all of them are there (the last
    // copies and the state commit).
    const points = countFromEnv("WLSYNC_CRASH_POINTS", 8);
    const copyPoints = Math.max(1, points - 4);
    const triggers = [
      { what: "scan", at: async () => poll(locked) },
      { what: "hashing", at: async () => (await poll(locked), await wait(scanMs / 2)) },
      ...Array.from({ length: copyPoints }, (_, j) => {
        const k = Math.max(1, Math.round(((j + 0.5) * total) / copyPoints));
        return { what: `copy ${k}/${total}`, at: async () => poll(() => progress() >= k) };
      }),
      { what: "last copies", at: async () => poll(() => progress() >= total) },
      { what: "commit", at: async () => (await poll(() => progress() >= total), await wait(20)) },
    ];
    const outcomes = [];
    for (const trigger of triggers) {
      rmSync(dir, { recursive: true, force: true });
      execFileSync("cp", ["-a", template, dir]);
      const run = startWl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"]);
      await trigger.at();
      run.child.kill("SIGKILL");
      const { signal } = await run.done;
      const label = `kill at ${trigger.what}`;
      const landed = checkAfterKill(dir, scenario, baseline, label);
      const temps = readTree(join(dir, "a")).temps.length + readTree(join(dir, "b")).temps.length;
      await recoverAndCheck(dir, scenario, label, { viaApi: outcomes.length % 3 !== 0 });
      outcomes.push({ what: trigger.what, killed: signal === "SIGKILL", landed, temps });
    }
    const killed = outcomes.filter((o) => o.killed);
    const midCopy = killed.filter((o) => o.landed > 0 || o.temps > 0);
    report("SIGKILL of a one-shot pass", {
      tried: killed.length,
      survived: killed.length,
      detail: `kill point: files landed+temp files left: ${outcomes.map((o) => `${o.what}${o.killed ? "" : " (had ended)"}: ${o.landed}+${o.temps}`).join(", ")}`,
      test: "test/crash.test.mjs",
    });
    assert.ok(killed.length >= outcomes.length - 2, `only ${killed.length} of ${outcomes.length} kills landed before the pass ended`);
    assert.ok(midCopy.length >= 2, "no kill landed while files were being copied: the kill points do not cover the pass");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("SIGKILL of the daemon during continuous work: nothing half-written, the next pass finishes the job", async () => {
  const root = mkdtempSync(join(tmpdir(), "wl-crash-daemon-"));
  const rounds = countFromEnv("WLSYNC_CRASH_DAEMON_ROUNDS", 3);
  let survived = 0;
  let tried = 0;
  const details = [];
  try {
    for (let round = 0; round < rounds; round++) {
      tried++;
      const dir = join(root, `r${round}`);
      mkdirSync(dir);
      const scenario = buildScenario(dir);
      const start = await wl(dir, ["container", "sync", "box", "--syncer", "naive"]);
      assert.is(start.code, 0, start.stderr);
      const pid = JSON.parse((await wl(dir, ["status", "--json"])).stdout).daemon.pid;
      const baseline = readTree(join(dir, "b")).files;
      // The user changes both sides in steps while the watcher feeds the daemon; it is killed
      // after a different step each round, and the user goes on changing files while it is dead.
      const killAfter = Math.floor(((round + 1) * scenario.mutations.length) / (rounds + 1));
      scenario.mutations.slice(0, killAfter).forEach((step) => step());
      await wait(15);
      process.kill(pid, "SIGKILL");
      await waitFor(() => !isAlive(pid), "the daemon to die");
      scenario.mutations.slice(killAfter).forEach((step) => step());
      const landed = checkAfterKill(dir, scenario, baseline, `daemon round ${round}`);
      const temps = readTree(join(dir, "a")).temps.length + readTree(join(dir, "b")).temps.length;
      await recoverAndCheck(dir, scenario, `daemon round ${round}`);
      details.push(`step ${killAfter}/${scenario.mutations.length}:${landed}+${temps}`);
      survived++;
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
    report("SIGKILL of the daemon in continuous work", { tried, survived, detail: `killed after user step:files landed+temp files left ${details.join(" ")}`, test: "test/crash.test.mjs" });
  }
});

/** A pid that was just used by a process that has exited. */
function deadPid() {
  const pid = Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]));
  assert.not.ok(isAlive(pid));
  return pid;
}

test("a lock file left empty by a process killed while taking it does not block the pair", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wl-crash-lock-"));
  try {
    localConfig(dir);
    writeFileSync(join(dir, "a", "x.txt"), "x");
    assert.is((await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"])).code, 0);
    writeFileSync(join(dir, ".state", "locks", "pair-1.lock"), ""); // created, killed before the pid was written
    writeFileSync(join(dir, "a", "y.txt"), "y");
    const r = await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"]);
    assert.is(r.code, 0, r.stderr);
    assert.ok(existsSync(join(dir, "b", "y.txt")));
    writeFileSync(join(dir, ".state", "locks", "pair-1.lock"), String(deadPid())); // a killed owner
    assert.is((await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"])).code, 0);
    writeFileSync(join(dir, ".state", "locks", "pair-1.lock"), String(process.pid)); // a live owner (an older wl's lock: a pid alone)
    const busy = await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"]);
    assert.is(busy.code, 3);
    assert.match(busy.stderr, new RegExp(`being synced by another wl process \\(pid ${process.pid}\\)`));
    // This wl's lock: pid, boot id and start time (field 22 of /proc/PID/stat).
    const stat = readFileSync("/proc/self/stat", "latin1");
    const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const lockedBy = (content) => writeFileSync(join(dir, ".state", "locks", "pair-1.lock"), content);
    lockedBy(`${process.pid} ${boot} ${start}`); // this live process
    assert.is((await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"])).code, 3, "a live owner blocks the pair");
    lockedBy(`${process.pid} ${boot} ${Number(start) - 1}`); // its pid, given to another process since
    writeFileSync(join(dir, "a", "z1.txt"), "z1");
    let r2 = await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"]);
    assert.is(r2.code, 0, `a reused pid holds the lock: ${r2.stderr}`);
    assert.is(readFileSync(join(dir, "b", "z1.txt"), "utf8"), "z1");
    lockedBy(`${process.pid} 00000000-0000-0000-0000-000000000000 ${start}`); // a process of an earlier boot (the state dir outlived a reboot)
    writeFileSync(join(dir, "a", "z2.txt"), "z2");
    r2 = await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"]);
    assert.is(r2.code, 0, `a lock from before a reboot holds the pair: ${r2.stderr}`);
    assert.is(readFileSync(join(dir, "b", "z2.txt"), "utf8"), "z2");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A process that has exited and was not reaped: a zombie. Its parent (`sh` exec'd into `sleep`)
 * never waits for it, as when a killed pass's parent died too and the container's init does not
 * reap orphans. kill(pid, 0) still succeeds for it. Returns its pid and a function that ends it.
 */
async function zombie() {
  const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 60"], { stdio: ["ignore", "pipe", "ignore"] });
  const pid = await new Promise((ok) => parent.stdout.once("data", (d) => ok(Number(String(d).trim()))));
  await waitFor(() => /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8")), "the child to exit unreaped");
  assert.ok(isAlive(pid), "kill(pid, 0) succeeds for a zombie");
  return { pid, end: () => parent.kill("SIGKILL") };
}

test("a lock held by a pass that was killed but not reaped (a zombie) does not block the pair", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wl-crash-zombie-lock-"));
  const z = await zombie();
  try {
    localConfig(dir);
    writeFileSync(join(dir, "a", "x.txt"), "x");
    assert.is((await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"])).code, 0);
    writeFileSync(join(dir, ".state", "locks", "pair-1.lock"), String(z.pid));
    writeFileSync(join(dir, "a", "y.txt"), "y");
    const r = await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"]);
    assert.is(r.code, 0, r.stderr);
    assert.is(readFileSync(join(dir, "b", "y.txt"), "utf8"), "y");
  } finally {
    z.end();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("temporary files of dead writers are removed by the next pass; a live writer's, a dry run's and another host's are left alone", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wl-crash-tmp-"));
  const z = await zombie();
  try {
    localConfig(dir);
    writeFileSync(join(dir, "a", "real.txt"), "real content");
    assert.is((await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"])).code, 0);
    // core's hostIdentity(): hostname, boot id and pid namespace
    const host = sha256([hostname(), readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim(), readlinkSync("/proc/self/ns/pid")].join("\u0000")).slice(0, 8);
    const dead = deadPid();
    const tmp = (name) => join(dir, "b", `.wlsync-tmp-${name}`);
    // killed between link(2) into place and unlink(2) of the temporary name: a second link to a real file
    linkSync(join(dir, "b", "real.txt"), tmp(`${host}-${dead}-aaaaaaaaaaaa`));
    writeFileSync(tmp(`${host}-${dead}-bbbbbbbbbbbb`), "half-writ"); // killed mid-write
    writeFileSync(tmp(`${host}-${z.pid}-ffffffffffff`), "half-writ"); // killed mid-write, not reaped
    writeFileSync(tmp(`${host}-${process.pid}-cccccccccccc`), "being written"); // a live writer (this process)
    writeFileSync(tmp(`00000000-${dead}-dddddddddddd`), "another host"); // a shared folder
    writeFileSync(tmp("eeeeeeeeeeee"), "no writer named"); // an older wl
    const old = new Date(Date.now() - 5000);
    for (const n of readdirSync(join(dir, "b"))) if (n.startsWith(".wlsync-tmp-")) utimesSync(join(dir, "b", n), old, old);
    let r = await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive", "--dry-run"]);
    assert.is(r.code, 0, r.stderr);
    assert.is(readTree(join(dir, "b")).temps.length, 6, "a dry run removes nothing");
    r = await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"]);
    assert.is(r.code, 0, r.stderr);
    assert.equal(readTree(join(dir, "b")).temps.sort(), [`.wlsync-tmp-00000000-${dead}-dddddddddddd`, `.wlsync-tmp-${host}-${process.pid}-cccccccccccc`, ".wlsync-tmp-eeeeeeeeeeee"]);
    assert.is(readFileSync(join(dir, "b", "real.txt"), "utf8"), "real content");
    assert.not.ok(existsSync(join(dir, "a", ".wlsync-tmp-eeeeeeeeeeee")), "temporary files are never synced");
    // Others' leftovers go after a day.
    const dayOld = new Date(Date.now() - 25 * 3600_000);
    utimesSync(tmp(`00000000-${dead}-dddddddddddd`), dayOld, dayOld);
    utimesSync(tmp("eeeeeeeeeeee"), dayOld, dayOld);
    assert.is((await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"])).code, 0);
    assert.equal(readTree(join(dir, "b")).temps, [`.wlsync-tmp-${host}-${process.pid}-cccccccccccc`]);
    // A running process's, untouched for a day: its pid was handed on (no pass leaves its work a day).
    utimesSync(tmp(`${host}-${process.pid}-cccccccccccc`), dayOld, dayOld);
    assert.is((await wl(dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"])).code, 0);
    assert.equal(readTree(join(dir, "b")).temps, []);
  } finally {
    z.end();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
