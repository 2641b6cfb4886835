#!/usr/bin/env node
// Start-up and passes that cost what changed: `wl` against `node -e 0`, in the same run.
//   node -e 0                                   the floor: Node starting and exiting
//   wl --help                                   the CLI alone
//   no-change, 3 files                          `wl container sync --one-shot` run in the process
//   no-change, standard corpus, daemon watching `wl container sync --one-shot` answered by the daemon
// (The same pass run in the process cannot be timed meanwhile: the daemon's job holds the pair's
// lock. bench/run.mjs times it, against unison.)
// Cases are interleaved run by run (each run starts with the next case), so load from other
// work on the machine falls on all of them alike. Medians of wall and CPU time (GNU time).
// Targets (issue 18): the 3-file pass and the daemon-answered pass at most 2 x `node -e 0`.
// usage: node bench/startup.mjs [--quick] [--runs N] [--dir DIR] [--out FILE]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { cloneCorpus, ensureCorpus } from "./lib/corpus.mjs";
import { measure } from "./lib/measure.mjs";
import { median } from "./lib/report.mjs";

const argv = process.argv.slice(2).filter((a) => a !== "--");
const { values: opts } = parseArgs({
  args: argv,
  options: { quick: { type: "boolean", default: false }, runs: { type: "string" }, dir: { type: "string" }, out: { type: "string" } },
  strict: false,
});
const repo = new URL("..", import.meta.url).pathname;
const WL = join(repo, "packages", "wlsync", "bin", "wl.js");
const benchDir = resolve(opts.dir ?? join(repo, ".bench"));
const runs = Number(opts.runs ?? (opts.quick ? 5 : 15));
const log = (line) => process.stderr.write(`${line}\n`);
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

mkdirSync(benchDir, { recursive: true });
const work = mkdtempSync(join(benchDir, "startup-"));
const env = { WLSYNC_STATE_DIR: join(work, ".state"), WLSYNC_DAEMON_DIR: join(work, ".daemon"), WLSYNC_SOCKET: join(work, "wl.sock"), XDG_RUNTIME_DIR: "", WLSYNC_DEBUG: "" };
const wl = (cwd, args) => spawnSync(process.execPath, [WL, ...args], { cwd, env: { ...process.env, ...env }, encoding: "utf8" });
const config = (dir, name) =>
  writeFileSync(join(dir, ".wlsyncrc"), JSON.stringify({ containers: { [name]: { storages: [{ "backend-id": "src", type: "local", path: "./src" }, { "backend-id": "dst", type: "local", path: "./dst" }] } } }));
const must = (r, what) => {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}: ${r.stderr}`);
  return r;
};

// Three small files, synced once.
const small = join(work, "small");
for (const side of ["src", "dst"]) mkdirSync(join(small, side), { recursive: true });
for (const n of ["one", "two", "three"]) writeFileSync(join(small, "src", `${n}.txt`), n);
config(small, "small");
must(wl(small, ["container", "sync", "--one-shot", "--no-daemon", "small"]), "the initial 3-file pass");

// The standard corpus, watched by the daemon after its initial pass.
const corpusName = opts.quick ? "standard-quick" : "standard";
const corpus = ensureCorpus(benchDir, corpusName, log);
const big = join(work, "big");
mkdirSync(big);
cloneCorpus(corpus.dir, join(big, "src"));
mkdirSync(join(big, "dst"));
config(big, "big");
log(`initial pass of the ${corpusName} corpus (${corpus.files} files) in the daemon...`);
must(wl(big, ["container", "sync", "big"]), "starting the daemon's job");
let probe;
try {
  probe = must(wl(big, ["container", "sync", "--one-shot", "--json", "big"]), "the daemon-answered pass");
} catch (err) {
  wl(big, ["daemon", "stop"]);
  throw err;
}
const answeredBy = JSON.parse(probe.stdout).answeredBy;
if (answeredBy !== "daemon") log("warning: the daemon did not answer the probe pass; its row measures a local pass");

const cases = [
  { id: "node-e0", label: "node -e 0", argv: [process.execPath, "-e", "0"], cwd: small },
  { id: "help", label: "wl --help", argv: [process.execPath, WL, "--help"], cwd: small },
  { id: "small", label: "no-change, 3 files (no daemon)", argv: [process.execPath, WL, "container", "sync", "--one-shot", "small"], cwd: small, target: 2 },
  { id: "daemon", label: `no-change, ${corpusName} corpus, daemon watching`, argv: [process.execPath, WL, "container", "sync", "--one-shot", "big"], cwd: big, target: 2 },
];
const samples = Object.fromEntries(cases.map((c) => [c.id, []]));
const loadBefore = load();
log(`${runs} runs of ${cases.length} cases, interleaved (load average ${loadBefore})`);
try {
  for (let run = 0; run < runs; run++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(run + k) % cases.length];
      const m = await measure(c.argv, { cwd: c.cwd, env });
      if (m.code !== 0) throw new Error(`${c.label} exited ${m.code}: ${m.stderr}`);
      samples[c.id].push({ seconds: m.seconds, cpuSeconds: m.cpuSeconds });
    }
  }
} finally {
  wl(big, ["container", "stop-sync", "big"]);
  wl(big, ["daemon", "stop"]);
}
const loadAfter = load();

const floor = { wall: median(samples["node-e0"].map((s) => s.seconds)), cpu: median(samples["node-e0"].map((s) => s.cpuSeconds ?? Number.NaN)) };
const rows = cases.map((c) => {
  const wall = median(samples[c.id].map((s) => s.seconds));
  const cpu = median(samples[c.id].map((s) => s.cpuSeconds ?? Number.NaN));
  return { id: c.id, label: c.label, runs: samples[c.id].length, wall, cpu, wallRatio: wall / floor.wall, cpuRatio: cpu / floor.cpu, target: c.target };
});
const ms = (s) => (Number.isFinite(s) ? `${Math.round(s * 1000)} ms` : "n/a");
const x = (r) => (Number.isFinite(r) ? `${r.toFixed(2)} x` : "n/a");
console.log(`\nstart-up and daemon-answered passes (medians of ${runs} runs; load average ${loadBefore} before, ${loadAfter} after)`);
console.log(`| case | wall | CPU | wall / node -e 0 | CPU / node -e 0 | target |`);
console.log(`| --- | --- | --- | --- | --- | --- |`);
for (const r of rows) {
  const verdict = r.target ? `≤ ${r.target} x wall: ${r.wallRatio <= r.target ? "met" : "missed"}` : "";
  console.log(`| ${r.label} | ${ms(r.wall)} | ${ms(r.cpu)} | ${x(r.wallRatio)} | ${x(r.cpuRatio)} | ${verdict} |`);
}
if (answeredBy !== "daemon") console.log("(the daemon did not answer: the daemon row is a local pass)");
const out = opts.out ?? join(benchDir, `startup-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, loadBefore, loadAfter, corpus: { name: corpusName, files: corpus.files }, answeredBy, rows, samples }, null, 2));
log(`samples in ${out}`);
rmSync(work, { recursive: true, force: true });
