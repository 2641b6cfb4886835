#!/usr/bin/env node
// pnpm bench: wl against its peers, local folder to local folder. See bench/README.md.
import { cpus, loadavg } from "node:os";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statfsSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { cloneCorpus, compareTrees, CORPORA, ensureCorpus, fileSizes, memAvailable, mutateOnePercent, tmpfsBytes, warmUp } from "./lib/corpus.mjs";
import { measure, memoryMethod } from "./lib/measure.mjs";
import { CASES, WL, evaluateTargets, median, renderTable, renderTargets, summarize } from "./lib/report.mjs";
import { opensslSha256Rate } from "./lib/sha256-baseline.mjs";
import { makeTools, versions } from "./lib/tools.mjs";

const USAGE = `usage: pnpm bench [-- options]
  --quick            corpora a twentieth the size, one run: finishes in under two minutes
  --runs N           runs of every case (default 3; --quick: 1)
  --tools a,b        only these tools (ids: wl (default syncer), wl-naive, wl-rsync, rsync, rsync-c, unison, rclone, rclone-bisync)
  --corpora a,b      only these corpora: standard, scale, large, million (default: all)
  --million-runs N   runs of the million corpus (default 1: each takes minutes); its tools are
                     wl (default syncer), rsync -a and unison -batch, in tmpfs (/dev/shm) when it fits
  --million-timeout M  minutes one command of the million corpus may take (default 90: unison's
                     initial pass of a million files took over 30 minutes here); other cases: 30
  --dir DIR          corpora and work folders here (default .bench/ in the repository); e.g. a
                     tmpfs such as /dev/shm/wlsync-bench to take the disk out of the comparison
  --out FILE         results JSON (default .bench/results-<timestamp>.json)`;

const argv = process.argv.slice(2);
if (argv[0] === "--") argv.shift(); // `pnpm bench -- --quick` passes the separator on
const { values: opts } = parseArgs({
  args: argv,
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    tools: { type: "string" },
    corpora: { type: "string" },
    out: { type: "string" },
    dir: { type: "string" },
    "million-runs": { type: "string" },
    "million-timeout": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

const repo = new URL("..", import.meta.url).pathname;
const benchDir = resolve(opts.dir ?? join(repo, ".bench"));
const runs = Number(opts.runs ?? (opts.quick ? 1 : 3));
const wanted = new Set((opts.corpora ?? "standard,scale,large,million").split(","));
const millionRuns = Number(opts["million-runs"] ?? 1);
const log = (line) => process.stderr.write(`${line}\n`);

function cpuPressure() {
  try {
    return readFileSync("/proc/pressure/cpu", "utf8").split("\n")[0];
  } catch {
    return "n/a";
  }
}

let tools = makeTools();
if (opts.tools) {
  const ids = opts.tools.split(",");
  tools = tools.filter((t) => ids.includes(t.id));
}
for (const t of tools) if (t.missing) log(`${t.label}: missing (${t.missing})`);
const available = tools.filter((t) => !t.missing);

mkdirSync(benchDir, { recursive: true });
const corpusName = (base) => (opts.quick ? `${base}-quick` : base);
const corpora = {};
for (const base of ["standard", "scale"]) {
  if (wanted.has(base) || (base === "standard" && wanted.has("large"))) corpora[base] = ensureCorpus(benchDir, corpusName(base), log);
}
/**
 * The million corpus and its work folders go to tmpfs when the corpus (unless already there)
 * and one copy of it fit: in available memory with 4 GB to spare, and in the tmpfs's free
 * inodes (a hard-link clone costs neither); else beside the other corpora.
 */
let millionDir = benchDir;
if (wanted.has("million")) {
  const files = CORPORA[corpusName("million")].args[0];
  const shm = "/dev/shm/wlsync-bench";
  const copies = existsSync(`${shm}/corpora/${corpusName("million")}.json`) ? 1 : 2; // the corpus (unless there), and the copy a tool makes
  const fits = (() => {
    try {
      const fs = statfsSync("/dev/shm");
      return memAvailable() > copies * tmpfsBytes(files) + 4e9 && fs.ffree > copies * files * 1.05 && fs.bavail * fs.bsize > copies * tmpfsBytes(files);
    } catch {
      return false;
    }
  })();
  if (fits) millionDir = shm;
  log(`million corpus in ${millionDir}${fits ? " (tmpfs)" : ` (not tmpfs: /dev/shm lacks the memory, space or inodes for ${copies} cop${copies === 1 ? "y" : "ies"} of ${files} files)`}`);
  corpora.million = ensureCorpus(millionDir, corpusName("million"), log);
}

const started = new Date();
const samples = [];
const largeSamples = [];
const workRoot = join(benchDir, "work");

/** Fresh work folder: src = hard-link clone of `from`, dst empty, the tool's own set-up. */
function freshWork(name, from, tool, root = workRoot) {
  const w = join(root, name);
  rmSync(w, { recursive: true, force: true });
  mkdirSync(w, { recursive: true });
  cloneCorpus(from, join(w, "src"));
  mkdirSync(join(w, "dst"));
  tool.prepare(w);
  warmUp(join(w, "src"));
  return w;
}

/**
 * Flushes dirty pages (untimed) before a timed command: without it a tool paid for the writeback
 * of the tool before it (its 350 MB to 1 GB of copies, and the removal of its work folder), and
 * the same command's time swung from 1.6 to 6.2 s.
 */
function settle() {
  spawnSync("sync", { stdio: "ignore" });
}

async function step(tool, w, argv, record, timeoutMs = 30 * 60_000) {
  settle();
  const m = await measure(argv, { cwd: w, env: tool.env(w), timeoutMs });
  const ok = m.code === 0;
  const load1 = loadavg()[0];
  const sample = { ...record, tool: tool.id, seconds: m.seconds, cpuSeconds: m.cpuSeconds, maxRssKb: m.maxRssKb, load1, code: m.code, ok, problem: ok ? "" : `exit ${m.code}: ${m.stderr.split("\n").slice(-2).join(" ").slice(0, 300)}` };
  samples.push(sample);
  log(`  ${record.case.padEnd(20)} ${tool.label.padEnd(22)} ${m.seconds.toFixed(3).padStart(8)} s (cpu ${m.cpuSeconds?.toFixed(2) ?? "-"} s) ${String(Math.round((m.maxRssKb ?? 0) / 1024)).padStart(5)} MB  load ${load1.toFixed(1)}${ok ? "" : `  FAILED (${sample.problem})`}`);
  return sample;
}

function rotate(list, by) {
  const k = list.length ? by % list.length : 0;
  return [...list.slice(k), ...list.slice(0, k)];
}

/**
 * A later pass of a tool whose initial pass failed (a timeout, say) is not what its case names:
 * it still has the initial work to do. Marked failed, so that no ratio or target counts it.
 */
function after(initial, sample) {
  if (initial.ok || !sample.ok) return sample;
  sample.ok = false;
  sample.problem = `after a failed initial pass (${initial.problem}): not a ${sample.case.split("/")[1]} pass`;
  log(`    ${sample.problem}`);
  return sample;
}

/** A failed comparison of the trees marks the run's last sample as failed. */
function verify(w, sample) {
  const diff = compareTrees(join(w, "src"), join(w, "dst"));
  if (diff && sample.ok) {
    sample.ok = false;
    sample.problem = `trees differ after the pass: ${diff}`;
    log(`    ${sample.problem}`);
  }
}

for (let run = 1; run <= runs; run++) {
  for (const base of ["standard", "scale"]) {
    if (!wanted.has(base)) continue;
    log(`run ${run}/${runs}, ${corpusName(base)} corpus (${corpora[base].files} files, ${(corpora[base].bytes / 1e6).toFixed(0)} MB); cpu pressure: ${cpuPressure()}`);
    // Each run starts with a different tool, so no tool is always the first after a pause.
    for (const tool of rotate(available, run - 1)) {
      const w = freshWork(`${base}-${tool.id}`, corpora[base].dir, tool);
      const record = (step) => ({ case: `${base}/${step}`, run });
      const initial = await step(tool, w, tool.initial(w), record("initial"));
      const noop = after(initial, await step(tool, w, tool.repeat(w), record("no-change")));
      if (base === "standard") {
        mutateOnePercent(join(w, "src"));
        verify(w, after(initial, await step(tool, w, tool.repeat(w), record("1%-changed"))));
      } else verify(w, noop);
      rmSync(w, { recursive: true, force: true });
    }
  }
  if (wanted.has("million") && run <= millionRuns) {
    const c = corpora.million;
    log(`run ${run}/${millionRuns}, ${corpusName("million")} corpus (${c.files} files, ${(c.bytes / 1e6).toFixed(0)} MB); load ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
    for (const tool of rotate(available.filter((t) => ["wl", "rsync", "unison"].includes(t.id)), run - 1)) {
      // No clone: in tmpfs every hard link takes an inode, and the corpus, a clone and the copy
      // (3 million) do not fit; src is a link to the corpus, which no tool writes to (wl's marker
      // folder .wlsync/ aside, removed after each run).
      const w = join(millionDir, "work", `million-${tool.id}`);
      rmSync(w, { recursive: true, force: true });
      mkdirSync(join(w, "dst"), { recursive: true });
      symlinkSync(c.dir, join(w, "src"));
      tool.prepare(w);
      warmUp(c.dir);
      const record = (step) => ({ case: `million/${step}`, run });
      const timeout = Number(opts["million-timeout"] ?? 90) * 60_000;
      const initial = await step(tool, w, tool.initial(w), record("initial"), timeout);
      verify(w, after(initial, await step(tool, w, tool.repeat(w), record("no-change"), timeout)));
      rmSync(w, { recursive: true, force: true });
      rmSync(join(c.dir, ".wlsync"), { recursive: true, force: true });
    }
  }
  if (wanted.has("large")) {
    for (const tool of available.filter((t) => t.isWl)) {
      const w = freshWork(`large-${tool.id}`, join(corpora.standard.dir, "big"), tool);
      settle();
      const m = await measure(tool.json(w), { cwd: w, env: tool.env(w), captureStdout: true });
      let engineSeconds = null;
      try {
        engineSeconds = JSON.parse(m.stdout).durationMs / 1000;
      } catch {
        // reported as failed below
      }
      const ok = m.code === 0 && engineSeconds !== null && !compareTrees(join(w, "src"), join(w, "dst"));
      largeSamples.push({ tool: tool.id, run, seconds: m.seconds, engineSeconds, maxRssKb: m.maxRssKb, ok, code: m.code });
      log(`  ${"large files".padEnd(20)} ${tool.label.padEnd(22)} ${m.seconds.toFixed(3).padStart(8)} s (pass ${engineSeconds?.toFixed(3)} s)${ok ? "" : "  FAILED"}`);
      rmSync(w, { recursive: true, force: true });
    }
  }
}

let large;
if (wanted.has("large")) {
  const bytes = [...fileSizes(join(corpora.standard.dir, "big")).values()].reduce((a, b) => a + b, 0);
  const ok = largeSamples.filter((s) => s.ok && s.tool === WL);
  const openssl = opensslSha256Rate();
  const wall = median(ok.map((s) => s.seconds));
  const engine = median(ok.map((s) => s.engineSeconds));
  large = {
    bytes,
    files: CORPORA[corpusName("standard")].args[1],
    wallSeconds: wall,
    engineSeconds: engine,
    wallRate: wall ? bytes / wall : null,
    engineRate: engine ? bytes / engine : null,
    opensslRate: openssl.bytesPerSecond,
    opensslCommand: openssl.command,
    problem: openssl.problem || (ok.length ? "" : "wl failed on the large files"),
    samples: largeSamples,
  };
}

const rows = summarize(samples, tools);
const targets = evaluateTargets(rows, large);
const finished = new Date();

const title = `wlsync benchmark${opts.quick ? " (--quick: smaller corpora, indicative only)" : ""}: medians of ${runs} run${runs === 1 ? "" : "s"}, warm page cache (caches cannot be dropped here), ${cpus().length} CPUs (${cpus()[0]?.model.trim()})`;
console.log(`\n${title}\n`);
console.log(renderTable(rows));
if (large) {
  console.log(
    `\nlarge files (${large.files} x 32 MiB into an empty folder, wl with its default syncer): ${large.wallSeconds?.toFixed(3) ?? "-"} s per command, ` +
      `${large.engineSeconds?.toFixed(3) ?? "-"} s in the pass; openssl sha256 ${(large.opensslRate / 1e6).toFixed(0)} MB/s`,
  );
}
console.log(`\ntargets (issues 18 and 6; wl = wl with the syncer it picks itself, no daemon):\n${renderTargets(targets)}`);
console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
console.log(`\nmemory: ${memoryMethod}. CPU pressure at the end: ${cpuPressure()} (other work on this machine skews times).`);

mkdirSync(join(repo, ".bench"), { recursive: true });
const out = opts.out ?? join(repo, ".bench", `results-${started.toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(
  out,
  JSON.stringify(
    {
      started: started.toISOString(),
      finished: finished.toISOString(),
      quick: opts.quick,
      runs,
      machine: { cpus: cpus().length, model: cpus()[0]?.model.trim(), loadavg: loadavg(), cpuPressure: cpuPressure(), memoryMethod },
      versions: versions(),
      corpora: Object.fromEntries(Object.entries(corpora).map(([k, v]) => [k, { name: corpusName(k), files: v.files, dirs: v.dirs, bytes: v.bytes }])),
      cases: CASES,
      tools: tools.map((t) => ({ id: t.id, label: t.label, missing: t.missing || undefined, initial: t.initial("W"), repeat: t.repeat("W") })),
      rows,
      targets,
      large,
      samples,
    },
    null,
    2,
  ),
);
console.log(`results: ${out}`);
