#!/usr/bin/env node
// Benchmark of the rsync syncer against its peers, on the shared benchmark corpus.
//
//   node bench/rsync.mjs [--quick] [--reps N] [--out FILE] [--work DIR]
//   node bench/rsync.mjs --report [--out FILE]     (re-print the table of a saved run)
//
// Cases (each tool, each repetition, in a fresh copy of the corpus):
//   initial  one pass into an empty folder
//   noop     a second pass with nothing to do
//   mut1pct  a pass after 1% of the files were appended to (the files and bytes of
//            /work/shared/bench/peers.sh: random.Random(1).sample of the sorted list)
//   bigedit  each large file gets 4 KiB of new bytes in the middle, then a pass: wall time,
//            and the bytes the tool's process tree wrote to disk (write_bytes of /proc/PID/io,
//            collected by a wrapper that reaps the tool; state stores and Unison's archive are
//            put on /dev/shm for this case, so the count is the target's writes)
// Tools: wl --syncer rsync, wl --syncer naive, rsync -a, rsync -a --checksum, unison -batch.
// Prints a table of medians with ratios and writes JSON (default .bench/rsync-results.json).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WL = join(ROOT, "packages", "core", "bin", "wl.js");
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const quick = flag("--quick");
const reps = Number(option("--reps", quick ? 1 : 3));
const work = resolve(option("--work", join(ROOT, ".bench", "rsync")));
const out = resolve(option("--out", join(ROOT, ".bench", "rsync-results.json")));
const corpusShape = quick ? [1000, 2, 32] : [10000, 8, 32];

function findMkcorpus() {
  const candidates = [process.env.WLSYNC_BENCH_SHARED && join(process.env.WLSYNC_BENCH_SHARED, "mkcorpus.py"), join(ROOT, "..", "shared", "bench", "mkcorpus.py"), "/work/shared/bench/mkcorpus.py"];
  const found = candidates.find((c) => c && existsSync(c));
  if (!found) throw new Error(`mkcorpus.py not found (looked at ${candidates.filter(Boolean).join(", ")}); set WLSYNC_BENCH_SHARED to the shared/bench folder`);
  return found;
}

function run(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 1 << 28, ...options });
  if (r.error) throw r.error;
  return r;
}

function need(cmd) {
  if (run("sh", ["-c", `command -v ${cmd}`]).status !== 0) throw new Error(`${cmd} is not installed; the benchmark compares against it`);
}

function corpus() {
  const dir = join(work, `corpus-${corpusShape.join("-")}`);
  if (existsSync(join(dir, ".complete"))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`making the corpus in ${dir} (${corpusShape[0]} small files, ${corpusShape[1]} × ${corpusShape[2]} MiB)…\n`);
  const r = run("python3", [findMkcorpus(), dir, ...corpusShape.map(String)]);
  if (r.status !== 0) throw new Error(`mkcorpus.py failed: ${r.stderr}`);
  writeFileSync(join(dir, ".complete"), "");
  return dir;
}

// ---- tools -------------------------------------------------------------------------------

const wlTool = (syncer) => ({
  name: `wl --syncer ${syncer}`,
  prepare(ws) {
    writeFileSync(join(ws.dir, ".wlsyncrc"), JSON.stringify({ containers: { bench: { storages: [{ "backend-id": "src", type: "local", path: "./src" }, { "backend-id": "dst", type: "local", path: "./dst" }] } } }));
  },
  command: (ws) => [process.execPath, [WL, "container", "sync", "--one-shot", "bench", "--syncer", syncer], { cwd: ws.dir, env: { ...process.env, WLSYNC_STATE_DIR: ws.state } }],
});
const rsyncTool = (name, extra) => ({
  name,
  prepare() {},
  command: (ws) => ["rsync", [...extra, `${ws.dir}/src/`, `${ws.dir}/dst/`], { cwd: ws.dir }],
});
const TOOLS = [
  wlTool("rsync"),
  wlTool("naive"),
  rsyncTool("rsync -a", ["-a"]),
  rsyncTool("rsync -a --checksum", ["-a", "--checksum"]),
  {
    name: "unison -batch",
    prepare() {},
    command: (ws) => ["unison", ["-batch", "-auto", "-silent", `${ws.dir}/src`, `${ws.dir}/dst`], { cwd: ws.dir, env: { ...process.env, UNISON: ws.state } }],
  },
];

// ---- measuring ---------------------------------------------------------------------------

// Runs the tool under python3, which reaps it and then reads its own /proc/self/io: the
// kernel adds a reaped child's I/O counters (and those of the child's reaped children) to
// its parent's, so this is the tool's whole process tree.
const IO_WRAPPER = `
import json, subprocess, sys, time
t = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
dt = time.monotonic() - t
io = dict(l.split(": ") for l in open("/proc/self/io").read().splitlines() if l)
sys.stdout.write(json.dumps({"code": r.returncode, "seconds": dt, "write_bytes": int(io["write_bytes"]), "cancelled_write_bytes": int(io["cancelled_write_bytes"]), "stderr": r.stderr.decode("utf8", "replace")[-2000:]}))
`;

function timed(tool, ws) {
  const [cmd, argv, options] = tool.command(ws);
  const r = run("python3", ["-c", IO_WRAPPER, cmd, ...argv], options);
  if (r.status !== 0) throw new Error(`measuring ${tool.name} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function flush() {
  run("sync", []);
}

// The 1% mutation of shared/bench/peers.sh, byte for byte the same choice of files.
const MUTATE_1PCT = `
import os,sys,random
r=random.Random(1); fs=[]
for dp,_,f in os.walk(sys.argv[1]): fs += [os.path.join(dp,x) for x in f]
fs.sort()
for p in r.sample(fs, len(fs)//100):
    with open(p,'ab') as f: f.write(b'changed')
`;

function editBigFiles(src) {
  const dir = join(src, "big");
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const size = statSync(path).size;
    const fd = openSync(path, "r+");
    try {
      writeSync(fd, randomBytes(4096), 0, 4096, Math.floor(size / 2) - 2048);
    } finally {
      closeSync(fd);
    }
  }
}

/** Cheap check that a pass did its job: same relative files with the same sizes and bytes sampled at each end. */
function sameTrees(a, b) {
  const list = (root) => {
    const outList = new Map();
    for (const rel of readdirSync(root, { recursive: true })) {
      // wl's temporary files, and its own folder at the root (the storage's identity marker, the
      // versions replaced files are kept as): not part of the copy.
      if (/(^|\/)\.wlsync-tmp-/.test(rel) || /^\.wlsync(\/|$)/.test(rel)) continue;
      const st = statSync(join(root, rel));
      if (st.isFile()) outList.set(rel, st.size);
    }
    return outList;
  };
  const x = list(a);
  const y = list(b);
  if (x.size !== y.size) return `file count ${x.size} vs ${y.size}`;
  for (const [rel, size] of x) {
    if (y.get(rel) !== size) return `${rel}: size ${size} vs ${y.get(rel)}`;
    if (size > 0 && !sample(join(a, rel), size).equals(sample(join(b, rel), size))) return `${rel}: content differs`;
  }
  return null;
}

function sample(path, size) {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(Math.min(size, 64) * 2);
    const n = Math.min(size, 64);
    readSync(fd, buf, 0, n, 0);
    readSync(fd, buf, n, n, size - n);
    if (size > 1 << 20) {
      const mid = Buffer.alloc(8192);
      readSync(fd, mid, 0, 8192, Math.floor(size / 2) - 4096);
      return Buffer.concat([buf, mid]);
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

function oneRep(tool, source, rep) {
  const dir = join(work, "runs", `${tool.name.replace(/[^a-z0-9]+/gi, "-")}-${rep}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ws = { dir, state: join(dir, "state") };
  cpSync(source, join(dir, "src"), { recursive: true, preserveTimestamps: true });
  rmSync(join(dir, "src", ".complete"), { force: true });
  mkdirSync(join(dir, "dst"));
  tool.prepare(ws);
  flush();
  const result = { tool: tool.name, rep };
  const pass = (label) => {
    const m = timed(tool, ws);
    const problem = m.code === 0 ? sameTrees(join(dir, "src"), join(dir, "dst")) : `exit ${m.code}: ${m.stderr.trim().split("\n").pop()}`;
    result[label] = { seconds: m.seconds, writeBytes: m.write_bytes - m.cancelled_write_bytes, ok: !problem, ...(problem ? { problem } : {}) };
    flush();
  };
  pass("initial");
  pass("noop");
  run("python3", ["-c", MUTATE_1PCT, join(dir, "src")]);
  flush();
  pass("mut1pct");
  // Big files, small edits: the state and Unison's archive move to /dev/shm so that what is
  // counted is written to the target's disk.
  const shm = existsSync("/dev/shm") ? mkdtempSync("/dev/shm/wl-bench-") : null;
  if (shm) {
    if (existsSync(ws.state)) cpSync(ws.state, shm, { recursive: true });
    ws.state = shm;
  }
  editBigFiles(join(dir, "src"));
  flush();
  pass("bigedit");
  if (shm) rmSync(shm, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  return result;
}

// ---- report ------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const mib = (n) => `${(n / (1 << 20)).toFixed(1)} MiB`;

function report(results) {
  const cases = ["initial", "noop", "mut1pct", "bigedit"];
  const summary = {};
  for (const tool of TOOLS) {
    const mine = results.filter((r) => r.tool === tool.name);
    summary[tool.name] = {};
    for (const c of cases) {
      summary[tool.name][c] = {
        seconds: median(mine.map((r) => r[c].seconds)),
        writeBytes: median(mine.map((r) => r[c].writeBytes)),
        allOk: mine.every((r) => r[c].ok),
        problems: mine.filter((r) => !r[c].ok).map((r) => r[c].problem),
      };
    }
  }
  const base = summary["rsync -a"];
  const naive = summary["wl --syncer naive"];
  const lines = [];
  lines.push(`| tool | initial s (× rsync -a) | no-change s (×) | 1% appended s (×) | big files, small edits: s | written | × naive |`);
  lines.push(`| --- | --- | --- | --- | --- | --- | --- |`);
  for (const tool of TOOLS) {
    const s = summary[tool.name];
    const cell = (c) => `${s[c].seconds.toFixed(2)} (${(s[c].seconds / base[c].seconds).toFixed(2)}×)${s[c].allOk ? "" : " ✗"}`;
    lines.push(
      `| ${tool.name} | ${cell("initial")} | ${cell("noop")} | ${cell("mut1pct")} | ${s.bigedit.seconds.toFixed(2)}${s.bigedit.allOk ? "" : " ✗"} | ${mib(s.bigedit.writeBytes)} | ${(s.bigedit.writeBytes / naive.bigedit.writeBytes).toFixed(2)} |`,
    );
  }
  const wlr = summary["wl --syncer rsync"];
  const initialRatio = wlr.initial.seconds / base.initial.seconds;
  const bytesRatio = wlr.bigedit.writeBytes / naive.bigedit.writeBytes;
  lines.push("");
  lines.push(`target: wl+rsync initial ≤ 1.2 × rsync -a: ${initialRatio.toFixed(2)}× → ${initialRatio <= 1.2 ? "met" : "NOT met"}`);
  lines.push(`target: wl+rsync writes ≤ 0.1 × naive (big files, small edits): ${bytesRatio.toFixed(2)}× → ${bytesRatio <= 0.1 ? "met" : "NOT met"}`);
  const bad = Object.entries(summary).flatMap(([t, s]) => cases.flatMap((c) => s[c].problems.map((p) => `${t} ${c}: ${p}`)));
  if (bad.length) lines.push("", "problems (✗):", ...bad.map((b) => `  ${b}`));
  return { summary, table: lines.join("\n"), targets: { initialRatio, bytesRatio } };
}

// ---- main --------------------------------------------------------------------------------

if (flag("--report")) {
  // Re-print the table of an earlier run: node bench/rsync.mjs --report [--out FILE]
  const { readFileSync } = await import("node:fs");
  const saved = JSON.parse(readFileSync(out, "utf8"));
  process.stdout.write(`${report(saved.results).table}\n\nmedians of ${saved.reps} run(s), ${saved.date}; ${saved.rsync}; ${saved.unison}\n`);
  process.exit(0);
}

for (const cmd of ["python3", "rsync", "unison", "sync"]) need(cmd);
if (!existsSync(join(ROOT, "packages", "core", "dist", "cli", "main.js"))) throw new Error("build first: pnpm build");
mkdirSync(work, { recursive: true });
const source = corpus();
const results = [];
for (let rep = 0; rep < reps; rep++) {
  // Rotate the order each repetition so drift in the machine's speed does not favour a tool.
  const order = TOOLS.map((_, i) => TOOLS[(i + rep) % TOOLS.length]);
  for (const tool of order) {
    process.stderr.write(`rep ${rep + 1}/${reps}: ${tool.name}…`);
    const r = oneRep(tool, source, rep);
    results.push(r);
    process.stderr.write(` initial ${r.initial.seconds.toFixed(2)} s, noop ${r.noop.seconds.toFixed(2)} s, 1% ${r.mut1pct.seconds.toFixed(2)} s, big edits ${r.bigedit.seconds.toFixed(2)} s / ${mib(r.bigedit.writeBytes)}\n`);
  }
}
const { summary, table, targets } = report(results);
const info = {
  date: new Date().toISOString(),
  corpus: { smallFiles: corpusShape[0], largeFiles: corpusShape[1], largeMiB: corpusShape[2] },
  reps,
  node: process.version,
  rsync: run("rsync", ["--version"]).stdout.split("\n")[0],
  unison: run("unison", ["-version"]).stdout.trim(),
  bytesMeasure: "write_bytes - cancelled_write_bytes of the tool's process tree (/proc/self/io of a reaping wrapper); state and Unison archive on /dev/shm in the big-files case",
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ ...info, targets, summary, results }, null, 2)}\n`);
process.stdout.write(`${table}\n\nmedians of ${reps} run(s); JSON: ${out}\n`);
