// Continuous sync through the daemon, end to end: `wl container sync` starts a job in a
// background daemon (one per test, its socket in the test's state dir) and returns after the
// initial pass; the tests then change files and wait for them to arrive.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { localConfig, wait, waitFor, wl, workspace } from "./wl.mjs";

/** `options` as defineScenarios's: `storage`, `label`, `skip`. */
export function defineContinuous(syncer, options = {}) {
const { storage, label = "", skip = [] } = options;
const test = suite(`continuous sync (--syncer ${syncer}${label})`);
const it = (name, fn) => {
  if (skip.some((s) => name.includes(s))) return;
  test(name, fn);
};
let ws;
const run = (...args) => wl(ws.dir, args);
const readOr = (rel) => (existsSync(ws.path(rel)) ? readFileSync(ws.path(rel), "utf8") : undefined);
const arrives = (rel, content, what = rel) => waitFor(() => readOr(rel) === content, `${what} to hold ${JSON.stringify(content)}`);
const vanishes = (rel) => waitFor(() => !existsSync(ws.path(rel)), `${rel} to be deleted`);
const status = async () => JSON.parse((await run("status", "--json")).stdout);
const daemonPid = async () => (await status()).daemon?.pid;
/** Waits until every job is watching with nothing in flight and no pass ran for a moment. */
async function settled() {
  let last = -1;
  await waitFor(async () => {
    const jobs = (await status()).jobs;
    const passes = jobs.reduce((n, j) => n + j.passes, 0);
    const quiet = jobs.every((j) => j.state === "watching" && !j.current) && passes === last;
    last = passes;
    if (!quiet) await wait(100);
    return quiet;
  }, "the jobs to settle");
}

async function start(...args) {
  const r = await run("container", "sync", ...args, "--syncer", syncer);
  assert.is(r.code, 0, `wl container sync exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

test.before.each(() => {
  ws = workspace("wl-cont-");
  localConfig(ws.dir, { storage });
});
test.after.each(async () => {
  await run("daemon", "stop");
  ws.cleanup();
});

it("a file created, edited, renamed and deleted in either storage reaches the other", async () => {
  ws.write("a/initial.txt", "initial");
  const r = await start("box");
  assert.match(r.stdout, /copy a → b: 1 file/);
  assert.match(r.stdout, /box:a->b: syncing continuously/);
  assert.is(readOr("b/initial.txt"), "initial", "the initial pass is done when wl returns");

  // Each step waits for the job to settle, as a person would (edits racing the sync itself are
  // covered by the race test below).
  ws.write("a/new.txt", "created on a");
  await arrives("b/new.txt", "created on a");
  await settled();
  ws.write("b/new.txt", "edited on b");
  await arrives("a/new.txt", "edited on b");
  await settled();
  renameSync(ws.path("a/new.txt"), ws.path("a/renamed.txt"));
  await arrives("b/renamed.txt", "edited on b");
  await vanishes("b/new.txt");
  await settled();
  rmSync(ws.path("b/renamed.txt"));
  await vanishes("a/renamed.txt");
  ws.write("b/from-b/deep/file.txt", "deep");
  await arrives("a/from-b/deep/file.txt", "deep");
  await settled(); // a polling watcher may be in a scan right now
  const s = await status();
  assert.is(s.jobs.length, 1);
  assert.is(s.jobs[0].state, "watching");
  assert.is(s.jobs[0].watchers.source, "LocalWatcher");
  assert.ok(s.jobs[0].passes >= 2);
});

it("a folder tree moved in, renamed, and moved out", async () => {
  // Something else stays in a: moving out all a storage holds is an emptied storage, which the
  // emptied-storage gate stops under the daemon as in a one-shot pass (test/continuous-safety).
  ws.write("a/keep.txt", "keep");
  await start("box");
  mkdirSync(ws.path("outside/tree/sub"), { recursive: true });
  writeFileSync(ws.path("outside/tree/one.txt"), "1");
  writeFileSync(ws.path("outside/tree/sub/two.txt"), "2");
  mkdirSync(ws.path("outside/tree/empty"));
  renameSync(ws.path("outside/tree"), ws.path("a/tree"));
  await arrives("b/tree/sub/two.txt", "2");
  await arrives("b/tree/one.txt", "1");
  await waitFor(() => existsSync(ws.path("b/tree/empty")), "the empty folder");
  await settled();
  renameSync(ws.path("b/tree"), ws.path("b/renamed-tree"));
  await arrives("a/renamed-tree/sub/two.txt", "2");
  await arrives("a/renamed-tree/one.txt", "1");
  await waitFor(() => existsSync(ws.path("a/renamed-tree/empty")), "the empty folder in a");
  await vanishes("a/tree");
  await settled();
  renameSync(ws.path("a/renamed-tree"), ws.path("outside/back"));
  await vanishes("b/renamed-tree");
  assert.is(readFileSync(ws.path("outside/back/one.txt"), "utf8"), "1");
});

it("edits on both sides are a conflict shown in wl status, both untouched; resolving lets edits flow again", async () => {
  ws.write("a/doc.txt", "base");
  await start("box");
  await run("container", "stop-sync", "box");
  // while stopped, both sides change
  ws.write("a/doc.txt", "edit on a");
  ws.write("b/doc.txt", "edit on b");
  const r = await run("container", "sync", "box", "--syncer", syncer);
  assert.is(r.code, 1, r.stdout + r.stderr);
  const s = await status();
  assert.equal(s.jobs[0].conflicts.map((c) => [c.path, c.reason]), [["doc.txt", "both-changed"]]);
  assert.is(readOr("a/doc.txt"), "edit on a");
  assert.is(readOr("b/doc.txt"), "edit on b");
  const text = await run("status");
  assert.match(text.stdout, /conflict: doc\.txt: changed on both sides/);
  // an edit on one side of a conflicted file keeps it a conflict, untouched
  ws.write("a/doc.txt", "edit on a, again");
  ws.write("a/marker.txt", "m");
  await arrives("b/marker.txt", "m");
  await wait(200);
  assert.is(readOr("b/doc.txt"), "edit on b");
  // resolve by copying the wanted version over
  writeFileSync(ws.path("b/doc.txt"), readFileSync(ws.path("a/doc.txt")));
  await waitFor(async () => (await status()).jobs[0].conflicts.length === 0, "the conflict to clear");
  ws.write("b/doc.txt", "flows again");
  await arrives("a/doc.txt", "flows again");
});

it("a chmod on either side reaches the other without copying content, and the job then stays quiet", async () => {
  chmodSync(ws.write("a/run.sh", "#!/bin/sh\n"), 0o644);
  await start("box");
  const modeOf = (rel) => statSync(ws.path(rel)).mode & 0o777;
  chmodSync(ws.path("a/run.sh"), 0o755);
  await waitFor(() => modeOf("b/run.sh") === 0o755, "a's chmod to reach b");
  chmodSync(ws.path("b/run.sh"), 0o700);
  await waitFor(() => modeOf("a/run.sh") === 0o700, "b's chmod to reach a");
  await settled();
  const [job] = (await status()).jobs;
  assert.is(job.counters.modesChanged, 2, `two chmods: ${JSON.stringify(job.counters)}`);
  assert.is(job.counters.copiedToTarget + job.counters.copiedToSource, 1, "only the initial copy moved content");
  const passes = job.passes;
  await wait(1000);
  assert.is((await status()).jobs[0].passes, passes, "its own chmods kept the job busy (ping-pong)");
});

it("edits made on both sides while the job runs never lose the later edit", async () => {
  ws.write("a/race.txt", "base");
  await start("box");
  writeFileSync(ws.path("a/race.txt"), "a wins?");
  writeFileSync(ws.path("b/race.txt"), "b wins?");
  // Two honest outcomes: both edits seen before either was synced (a conflict: both untouched),
  // or a's edit synced first and b's edit, made after it, then synced back to a. Never may
  // b's edit be overwritten by a's.
  const outcome = await waitFor(async () => {
    const a = readOr("a/race.txt");
    const b = readOr("b/race.txt");
    if ((await status()).jobs[0].conflicts.some((c) => c.path === "race.txt")) return a === "a wins?" && b === "b wins?" ? "conflict" : false;
    return a === "b wins?" && b === "b wins?" ? "sequential" : false;
  }, "a conflict, or b's later edit on both sides");
  await wait(300);
  assert.is(readOr("b/race.txt"), "b wins?", `b's edit was overwritten (${outcome})`);
});

it("stop-sync stops propagation; two containers at once do not leak into each other", async () => {
  writeFileSync(
    ws.path(".wlsyncrc"),
    JSON.stringify({
      containers: {
        one: { storages: [{ "backend-id": "a", type: "local", path: "./a" }, { "backend-id": "b", type: "local", path: "./b" }] },
        two: { storages: [{ "backend-id": "c", type: "local", path: "./c" }, { "backend-id": "d", type: "local", path: "./d" }] },
      },
    }),
  );
  mkdirSync(ws.path("c"));
  mkdirSync(ws.path("d"));
  await start("one");
  await start("two");
  ws.write("a/only-one.txt", "1");
  ws.write("c/only-two.txt", "2");
  await arrives("b/only-one.txt", "1");
  await arrives("d/only-two.txt", "2");
  assert.not.ok(existsSync(ws.path("c/only-one.txt")) || existsSync(ws.path("d/only-one.txt")));
  assert.not.ok(existsSync(ws.path("a/only-two.txt")) || existsSync(ws.path("b/only-two.txt")));
  assert.is((await status()).jobs.length, 2);
  const stopped = await run("container", "stop-sync", "one");
  assert.match(stopped.stdout, /stopped one:a->b/);
  ws.write("a/after-stop.txt", "x");
  ws.write("c/still-running.txt", "y");
  await arrives("d/still-running.txt", "y");
  await wait(300);
  assert.not.ok(existsSync(ws.path("b/after-stop.txt")), "a stopped job no longer propagates");
  assert.equal((await status()).jobs.map((j) => j.container), ["two"]);
});

it("a three-storage container with --all reaches all three", async () => {
  localConfig(ws.dir, { storage, storages: ["a", "b", "c"] });
  ws.write("b/from-b.txt", "b");
  const r = await start("box", "--all");
  assert.match(r.stdout, /box:a->b/);
  assert.match(r.stdout, /box:a->c/);
  await arrives("c/from-b.txt", "b", "a file from b to reach c through a");
  ws.write("c/from-c.txt", "c");
  await arrives("b/from-c.txt", "c");
  ws.write("a/from-a.txt", "a");
  await arrives("b/from-a.txt", "a");
  await arrives("c/from-a.txt", "a");
});

it("a storage with watcher-interval is served by the polling watcher", async () => {
  const config = localConfig(ws.dir, { storage });
  config.containers.box.storages[1]["watcher-interval"] = 0.2;
  writeFileSync(ws.path(".wlsyncrc"), JSON.stringify(config));
  await start("box");
  const s = await status();
  assert.equal(s.jobs[0].watchers, { source: "LocalWatcher", target: "PollingWatcher" });
  ws.write("b/polled.txt", "found by polling");
  await arrives("a/polled.txt", "found by polling");
});

it("killing the daemon with SIGKILL and syncing again recovers with nothing lost", async () => {
  ws.write("a/before.txt", "before");
  await start("box");
  const pid = await daemonPid();
  assert.ok(pid);
  process.kill(pid, "SIGKILL");
  await waitFor(() => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }, "the daemon to die");
  ws.write("a/while-dead.txt", "written while no daemon ran");
  rmSync(ws.path("b/before.txt"));
  // The job was remembered: a new daemon resumes it, and its first pass catches up.
  const r = await run("daemon", "start");
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 job\b/);
  await arrives("b/while-dead.txt", "written while no daemon ran");
  assert.not.ok(existsSync(ws.path("a/before.txt")), "the deletion made while the daemon was dead propagated");
  assert.not.equal(await daemonPid(), pid);
  ws.write("b/after.txt", "after");
  await arrives("a/after.txt", "after");
});

/** Sends raw bytes on the daemon's socket and collects the reply lines. */
function raw(payload, { waitMs = 300 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = createConnection(join(ws.state, "wlsync.sock"));
    let data = "";
    socket.on("data", (d) => (data += d));
    socket.on("error", reject);
    socket.on("connect", () => {
      socket.write(payload);
      setTimeout(() => {
        socket.destroy();
        resolve(data.split("\n").filter(Boolean).map((l) => JSON.parse(l)));
      }, waitMs);
    });
  });
}

it("garbage, wrong types, unknown commands and an oversized message get error replies while jobs keep syncing", async () => {
  await start("box");
  const replies = await raw(
    `${["this is not json", JSON.stringify({ id: 7, cmd: "start", args: { container: 5 } }), JSON.stringify({ id: 8, cmd: "launch-missiles" }), JSON.stringify({ id: 9, cmd: "status", args: { extra: true } }), JSON.stringify({ id: 10, cmd: "status" })].join("\n")}\n`,
  );
  assert.is(replies.length, 5, JSON.stringify(replies));
  assert.is(replies[0].ok, false);
  assert.is(replies[0].error.code, "E_PARSE");
  assert.equal([replies[1].id, replies[1].ok, replies[1].error.code], [7, false, "E_INVALID"]);
  assert.match(replies[1].error.message, /args\/container|args.container: must be string/);
  assert.equal([replies[2].id, replies[2].error.code], [8, "E_INVALID"]);
  assert.equal([replies[3].id, replies[3].error.code], [9, "E_INVALID"]);
  assert.equal([replies[4].id, replies[4].ok], [10, true]);
  const big = await raw("x".repeat(2 * 1024 * 1024), { waitMs: 3000 }); // 2 MB through a loaded machine
  assert.is(big[0]?.error?.code, "E_TOO_LARGE");
  ws.write("a/still-syncing.txt", "yes");
  await arrives("b/still-syncing.txt", "yes");
  assert.is((await status()).jobs[0].state, "watching");
});

it("a state dir inside a storage is never synced, and its writes do not keep the job busy", async () => {
  const state = ws.path("a", ".wlsync-state");
  const env = { WLSYNC_STATE_DIR: state };
  let r = await wl(ws.dir, ["container", "sync", "box", "--syncer", syncer], { env });
  assert.is(r.code, 0, r.stderr);
  ws.write("a/doc.txt", "doc");
  await arrives("b/doc.txt", "doc");
  assert.not.ok(existsSync(ws.path("b/.wlsync-state")), "the state store was copied");
  const passes = JSON.parse((await wl(ws.dir, ["status", "--json"], { env })).stdout).jobs[0].passes;
  await wait(500);
  const later = JSON.parse((await wl(ws.dir, ["status", "--json"], { env })).stdout).jobs[0].passes;
  assert.is(later, passes, "state-store writes triggered passes");
  r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", syncer], { env });
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(existsSync(ws.path("b/.wlsync-state")));
  await wl(ws.dir, ["daemon", "stop"], { env });
});

it("wl daemon start / status / stop, and wl status without a daemon", async () => {
  let r = await run("status");
  assert.match(r.stdout, /no sync daemon is running/);
  r = await run("daemon", "start");
  assert.match(r.stdout, /daemon running \(pid \d+/);
  r = await run("daemon", "status", "--json");
  assert.is(JSON.parse(r.stdout).running, true);
  r = await run("daemon", "stop");
  assert.match(r.stdout, /daemon stopped/);
  r = await run("daemon", "status", "--json");
  assert.is(JSON.parse(r.stdout).running, false);
});

return test;
}
