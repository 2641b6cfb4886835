// The continuous runner in process (core's ContinuousRunner over the real engine, local
// backends and their inotify watchers): what it promises about events and passes, checked
// without a daemon, so each test can hold a pass open at the exact moment it needs.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import "./helpers/engine.mjs"; // loads reflect-metadata before core
const { ContinuousRunner, PathFilter, StateStore, StreamTransferer, SyncEngine } = await import("@wlsync/core");
const { LocalBackend } = await import("@wlsync/backend-local");

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** Resolves once `check()` is true, polling; rejects after `ms` with `what`. */
async function until(check, ms, what) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("a write made while a pass is running is synced after that pass (events that arrive mid-pass are queued, not dropped)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wl-runner-"));
  mkdirSync(join(dir, "a"));
  mkdirSync(join(dir, "b"));
  const state = new StateStore(join(dir, ".state"));
  const engine = new SyncEngine(state, quiet);
  const backend = (id) => new LocalBackend({ params: { "backend-id": id, type: "local", path: `./${id}` }, configDir: dir, hashCache: state.hashes, logger: quiet });
  const a = backend("a");
  const b = backend("b");
  // Every path the source's watcher has reported, seen before the runner gets the batch.
  const reported = new Set();
  const watcherOf = a.watcher.bind(a);
  a.watcher = () => {
    const w = watcherOf();
    const start = w.start.bind(w);
    w.start = (onEvents) => start((events) => {
      for (const e of events) reported.add(e.path);
      onEvents(events);
    });
    return w;
  };
  // A pass that copies slow.txt is held open until the test releases it.
  let release;
  const gate = new Promise((r) => (release = r));
  let holding = false;
  const streams = new StreamTransferer();
  const transferer = {
    async copy(tasks, hooks) {
      if (tasks.some((t) => t.action.path === "slow.txt")) {
        holding = true;
        await gate;
      }
      return streams.copy(tasks, hooks);
    },
  };
  const ctx = { container: "box", source: a, target: b, options: { unidirectional: false, dryRun: false, force: true, maxDelete: 100 }, filter: new PathFilter(), engine, logger: quiet };
  // No periodic full pass: only the events can bring during.txt over.
  const runner = new ContinuousRunner(ctx, { syncer: "naive", emit: () => {}, transferer, rescanMs: 0 });
  try {
    await runner.start();
    writeFileSync(join(dir, "a/slow.txt"), "a pass copies me slowly");
    await until(() => holding, 15_000, "the pass copying slow.txt never started");
    writeFileSync(join(dir, "a/during.txt"), "written while that pass runs");
    await until(() => reported.has("during.txt"), 15_000, "the watcher never reported during.txt");
    assert.ok(runner.isRunning());
    release();
    await until(() => existsSync(join(dir, "b/slow.txt")), 15_000, "slow.txt was not copied");
    await until(() => existsSync(join(dir, "b/during.txt")), 15_000, "during.txt, written while a pass ran, was never synced");
    await runner.idle();
    assert.is(readFileSync(join(dir, "b/during.txt"), "utf8"), "written while that pass runs");
  } finally {
    release();
    await runner.stop();
    state.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
