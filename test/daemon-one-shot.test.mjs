// `wl container sync --one-shot NAME` answered by the daemon when it watches the pair: the same
// lines and exit codes as a pass run in the process, a change made just before the command is
// synced (the daemon first makes sure its watchers delivered every event), and a local pass
// whenever the daemon cannot vouch for the pair. Real daemon, real inotify, through the built wl.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { localConfig, wl, workspace } from "./helpers/wl.mjs";

const test = suite("one-shot passes answered by the daemon");
let ws;
// A long batch delay: the job never syncs a change on its own within a test, so a change is on
// the other side only if the one-shot request made the daemon sync it.
const ENV = { WLSYNC_BATCH_MS: "60000" };
const run = (args, env = {}) => wl(ws.dir, args, { env: { ...ENV, ...env } });
const oneShot = (...args) => run(["container", "sync", "--one-shot", ...args, "box"]);
const json = (r) => JSON.parse(r.stdout);
/** The summary line without its duration (a daemon's pass and a local one take different times). */
const summary = (r) => r.stdout.trim().split("\n").at(-1).replace(/, [\d.]+ s\]$/, "]");

test.before.each(async () => {
  ws = workspace("wl-flush-");
  localConfig(ws.dir);
  ws.write("a/one.txt", "one");
  const r = await run(["container", "sync", "box"]);
  assert.is(r.code, 0, r.stderr);
});
test.after.each(async () => {
  await run(["daemon", "stop"]);
  ws.cleanup();
});

test("a no-change pass is answered by the daemon: same summary and exit code as a local pass, said by -v and --json", async () => {
  const answered = await oneShot("--json");
  assert.is(answered.code, 0, answered.stderr);
  assert.is(json(answered).answeredBy, "daemon");
  assert.is(json(answered).job, "box:a->b");
  assert.equal(json(answered).counters.copiedToTarget, 0);
  const verbose = await oneShot("-v");
  assert.is(verbose.code, 0);
  assert.match(verbose.stderr, /answered by the daemon \(job box:a->b\)/);
  const local = await oneShot("--no-daemon");
  assert.is(local.code, 0, local.stderr);
  assert.is(summary(verbose), summary(local));
  assert.is(local.stderr, "", "a local pass says nothing on stderr");
  const localJson = await oneShot("--no-daemon", "--json");
  assert.is(json(localJson).answeredBy, undefined);
  const { answeredBy, job, durationMs, ...fromDaemon } = json(answered);
  const { durationMs: _d, ...fromHere } = json(localJson);
  assert.equal(fromDaemon, fromHere, "the same JSON document, but for who answered and how long it took");
});

test("a change made just before the command is synced by it, not answered from stale knowledge", async () => {
  ws.write("a/new.txt", "fresh");
  ws.write("b/sub/back.txt", "back");
  rmSync(ws.path("a/one.txt"));
  const r = await oneShot("-v");
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /answered by the daemon/);
  assert.is(readFileSync(ws.path("b/new.txt"), "utf8"), "fresh");
  assert.is(readFileSync(ws.path("a/sub/back.txt"), "utf8"), "back");
  assert.not.ok(existsSync(ws.path("b/one.txt")), "the deletion was synced too");
  assert.match(r.stdout, /^\+ a→b new\.txt 5 B$/m);
  assert.match(r.stdout, /^\+ b→a sub\/back\.txt 4 B$/m);
  assert.match(r.stdout, /^- b one\.txt$/m);
  assert.match(r.stdout, /copy a → b: 1 file, 5 B; b → a: 1 file, 4 B/);
});

test("conflicts: exit 1 and the same conflict lines as a local pass", async () => {
  ws.write("a/c.txt", "from a");
  ws.write("b/c.txt", "from b!");
  const answered = await oneShot();
  assert.is(answered.code, 1, answered.stderr);
  const local = await oneShot("--no-daemon");
  assert.is(local.code, 1);
  assert.is(answered.stderr, local.stderr, "the conflict, described the same way on stderr");
  assert.is(summary(answered), summary(local));
  const again = await oneShot("--json");
  assert.is(again.code, 1);
  assert.is(json(again).answeredBy, "daemon");
  assert.equal(json(again).conflicts.map((c) => c.path), ["c.txt"]);
});

test("falls back to a pass here: other options, another direction, no daemon", async () => {
  for (const args of [["--dry-run", "--json"], ["--force", "--json"], ["--exclude", "*.tmp", "--json"], ["--syncer", "naive", "--json"]]) {
    const r = await oneShot(...args);
    assert.is(r.code, 0, `${args}: ${r.stderr}`);
    assert.is(json(r).answeredBy, undefined, `${args} runs here`);
  }
  ws.write("a/oneway.txt", "1");
  const oneWay = await oneShot("--unidirectional", "-v");
  assert.is(oneWay.code, 0, oneWay.stderr);
  assert.match(oneWay.stderr, /the daemon did not answer \(the job box:a->b syncs both ways\); running the pass here/);
  assert.is(readFileSync(ws.path("b/oneway.txt"), "utf8"), "1");
  const reversed = await oneShot("--source-storage", "b", "--json");
  assert.is(reversed.code, 0);
  assert.is(json(reversed).answeredBy, undefined, "b → a is another pair than the job's a → b");
  assert.is((await run(["daemon", "stop"])).code, 0);
  ws.write("a/late.txt", "late");
  const none = await oneShot("-v");
  assert.is(none.code, 0, none.stderr);
  assert.is(none.stderr, "");
  assert.is(readFileSync(ws.path("b/late.txt"), "utf8"), "late");
});

test("falls back when the watchers cannot vouch: a polling watcher, a pending full rescan", async () => {
  // A .wlsyncignore changed: the job reloads its filter and rescans everything, which is pending.
  ws.write("a/.wlsyncignore", "*.log\n");
  ws.write("a/x.log", "ignored");
  const pending = await oneShot("-v");
  assert.is(pending.code, 0, pending.stderr);
  assert.match(pending.stderr, /the daemon did not answer \(a full rescan is pending/);
  assert.not.ok(existsSync(ws.path("b/x.log")), "the local pass read the new ignore file");
  await run(["container", "stop-sync", "box"]);
  localConfig(ws.dir, { storage: (id) => ({ type: "local", path: `./${id}`, ...(id === "b" ? { "watcher-interval": 1 } : {}) }) });
  assert.is((await run(["container", "sync", "box"])).code, 0);
  const polled = await oneShot("-v");
  assert.is(polled.code, 0, polled.stderr);
  assert.match(polled.stderr, /the daemon did not answer \(a watcher of the pair polls/);
});

test("a config that changed since the job started: the daemon restarts the job on it, then answers", async () => {
  localConfig(ws.dir, { container: { ignore: ["*.bak"] } });
  ws.write("a/keep.txt", "k");
  ws.write("a/skip.bak", "b");
  const r = await oneShot("-v");
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /answered by the daemon \(job box:a->b, restarted on the changed config\)/);
  assert.is(readFileSync(ws.path("b/keep.txt"), "utf8"), "k");
  assert.not.ok(existsSync(ws.path("b/skip.bak")), "the new ignore list applies");
  assert.match(r.stdout, /copy a → b: 1 file, 1 B/);
  const status = JSON.parse((await run(["status", "--json"])).stdout);
  assert.ok(status.jobs[0].notes.some((n) => n.includes("restarted: its config changed")), JSON.stringify(status.jobs[0].notes));
});

test.run();
