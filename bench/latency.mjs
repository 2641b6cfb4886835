#!/usr/bin/env node
// Continuous-sync latency, local to local: time from a small file's write being closed in one
// storage to the identical file being visible in the other. Prints p50 / p95 / p99.
// usage: node bench/latency.mjs [--samples N] [--syncer NAME] [--json FILE]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const WL = join(root, "packages", "core", "bin", "wl.js");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const samples = Number(arg("--samples", "200"));
const jsonOut = arg("--json");
const syncerArg = arg("--syncer");

export async function measureLatency(count = samples, syncer = syncerArg) {
  const dir = mkdtempSync(join(tmpdir(), "wl-latency-"));
  const env = { ...process.env, WLSYNC_STATE_DIR: join(dir, ".state"), XDG_RUNTIME_DIR: "", WLSYNC_SOCKET: "" };
  mkdirSync(join(dir, "a"));
  mkdirSync(join(dir, "b"));
  writeFileSync(join(dir, ".wlsyncrc"), JSON.stringify({ containers: { lat: { storages: [{ "backend-id": "a", type: "local", path: "./a" }, { "backend-id": "b", type: "local", path: "./b" }] } } }));
  const wl = (...args) => spawnSync(process.execPath, [WL, ...args], { cwd: dir, env, encoding: "utf8" });
  const started = wl("container", "sync", "lat", ...(syncer ? ["--syncer", syncer] : []));
  if (started.status !== 0) throw new Error(`wl container sync failed: ${started.stderr}`);
  const times = [];
  try {
    for (let i = 0; i < count; i++) {
      const name = `f${i}.txt`;
      const content = `sample ${i} ${"x".repeat(100 + (i % 50))}`;
      const target = join(dir, "b", name);
      const seen = new Promise((resolve) => {
        const check = () => existsSync(target) && readFileSync(target, "utf8") === content;
        const watcher = watch(join(dir, "b"), () => {
          if (check()) {
            watcher.close();
            clearInterval(poll);
            resolve(performance.now());
          }
        });
        const poll = setInterval(() => {
          if (check()) {
            watcher.close();
            clearInterval(poll);
            resolve(performance.now());
          }
        }, 2);
      });
      const t0 = performance.now();
      writeFileSync(join(dir, "a", name), content); // open, write, close
      const t1 = await seen;
      times.push(t1 - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    wl("daemon", "stop");
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((x, y) => x - y);
  const pct = (p) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)];
  return { syncer: syncer ?? "default", samples: times.length, p50: pct(50), p95: pct(95), p99: pct(99), max: times[times.length - 1] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureLatency();
  const ok = (v, limit) => (v <= limit ? "met" : "MISSED");
  console.log(`continuous sync latency, local → local, syncer ${r.syncer}, ${r.samples} small files (ms from close to identical file visible)`);
  console.log(`| metric | wl | target | |\n| --- | --- | --- | --- |`);
  console.log(`| p50 | ${r.p50.toFixed(1)} | < 50 | ${ok(r.p50, 50)} |`);
  console.log(`| p95 | ${r.p95.toFixed(1)} | | |`);
  console.log(`| p99 | ${r.p99.toFixed(1)} | < 250 | ${ok(r.p99, 250)} |`);
  console.log(`| max | ${r.max.toFixed(1)} | | |`);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ case: "latency", ...r }, null, 2));
}
