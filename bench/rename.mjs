#!/usr/bin/env node
// Benchmark: a folder holding 1 GiB renamed on the source, then one pass (issue 18, "folder
// rename, 1 GB": 0 content bytes transferred). Local folder to local folder, in tmpfs when it
// has room (else the temp dir), each tool on its own copy of the target, in the same run:
//
//   wl (default syncer: rsync), wl --syncer naive   content bytes from the pass's --json counters
//   rsync -a --delete                                "Total transferred file size" of --stats
//   rclone sync --track-renames                      files transferred and renamed (its JSON stats)
//   unison -batch                                    (reports no byte count; time only)
//
//   node bench/rename.mjs [--quick] [--reps N] [--size-mib N] [--out FILE]
//
// Each repetition renames the folder there and back (two timed passes per tool and rep); the
// initial copy is not timed. Prints medians with the load average, writes JSON (default
// .bench/rename-results.json). A number taken on a loaded machine is noisy: read the peers'.
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, statfsSync, writeFileSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { measure, onPath } from "./lib/measure.mjs";
import { median } from "./lib/report.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WL = join(ROOT, "packages", "core", "bin", "wl.js");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const quick = args.includes("--quick");
const reps = Number(option("--reps", quick ? 1 : 3));
const sizeMiB = Number(option("--size-mib", quick ? 128 : 1024));
const out = resolve(option("--out", join(ROOT, ".bench", "rename-results.json")));
const FILES = 16;

/** tmpfs when it holds the corpus three times over (source, a target, slack), else the temp dir. */
function workRoot() {
  const need = sizeMiB * 3 * 1024 * 1024;
  try {
    const fs = statfsSync("/dev/shm");
    if (fs.bavail * fs.bsize > need) return "/dev/shm";
  } catch {
    // no /dev/shm
  }
  return tmpdir();
}

function writeCorpus(dir) {
  mkdirSync(join(dir, "deep", "er"), { recursive: true });
  const per = Math.floor((sizeMiB * 1024 * 1024) / FILES);
  const chunk = randomBytes(1 << 20);
  for (let i = 0; i < FILES; i++) {
    const fd = openSync(join(dir, i % 4 === 3 ? `deep/er/part-${i}.bin` : `part-${i}.bin`), "w");
    for (let done = 0; done < per; done += chunk.length) {
      chunk.writeUInt32LE(i, 0); // every file its own content
      chunk.writeUInt32LE(done, 4);
      writeSync(fd, chunk, 0, Math.min(chunk.length, per - done));
    }
    closeSync(fd);
  }
  writeFileSync(join(dir, "README.txt"), "a folder to rename\n");
}

const WLSYNCRC = (target) => JSON.stringify({ containers: { bench: { storages: [{ "backend-id": "src", type: "local", path: "./src" }, { "backend-id": "dst", type: "local", path: `./${target}` }] } } });

const tools = [
  {
    id: "wl",
    label: "wl (default syncer)",
    argv: (w, t) => [process.execPath, WL, "container", "sync", "--one-shot", "bench", "--json", "--config", join(w, `${t}.wlsyncrc.json`)],
    prepare: (w, t) => writeFileSync(join(w, `${t}.wlsyncrc.json`), WLSYNCRC(t)),
    env: (w, t) => ({ WLSYNC_STATE_DIR: join(w, `${t}.state`) }),
    content: (stdout) => {
      const c = JSON.parse(stdout).counters;
      return { bytes: c.contentBytes, note: `moved ${c.moved}, copied ${c.copiedToTarget}` };
    },
  },
  {
    id: "wl-naive",
    label: "wl --syncer naive",
    argv: (w, t) => [process.execPath, WL, "container", "sync", "--one-shot", "bench", "--json", "--syncer", "naive", "--config", join(w, `${t}.wlsyncrc.json`)],
    prepare: (w, t) => writeFileSync(join(w, `${t}.wlsyncrc.json`), WLSYNCRC(t)),
    env: (w, t) => ({ WLSYNC_STATE_DIR: join(w, `${t}.state`) }),
    content: (stdout) => {
      const c = JSON.parse(stdout).counters;
      return { bytes: c.contentBytes, note: `moved ${c.moved}, copied ${c.copiedToTarget}` };
    },
  },
  {
    id: "rsync",
    label: "rsync -a --delete",
    program: "rsync",
    argv: (w, t) => ["rsync", "-a", "--delete", "--stats", `${join(w, "src")}/`, `${join(w, t)}/`],
    content: (stdout) => {
      const m = /Total transferred file size: ([\d,.]+)/.exec(stdout);
      return { bytes: m ? Number(m[1].replace(/[,.]/g, "")) : null, note: "" };
    },
  },
  {
    id: "rclone",
    label: "rclone sync --track-renames",
    program: "rclone",
    argv: (w, t) => ["rclone", "sync", join(w, "src"), join(w, t), "--track-renames", "-v", "--stats", "1h", "--use-json-log"],
    content: (_stdout, stderr) => {
      const lines = stderr.split("\n").filter((l) => l.includes('"stats"'));
      const stats = lines.length ? JSON.parse(lines[lines.length - 1]).stats : null;
      // rclone's "bytes" counts what it read to hash too; its transfers say what was sent.
      return { bytes: null, note: stats ? `files transferred ${stats.transfers}, renamed ${stats.renames}` : "no stats" };
    },
  },
  {
    id: "unison",
    label: "unison -batch",
    program: "unison",
    argv: (w, t) => ["unison", join(w, "src"), join(w, t), "-batch", "-auto", "-times", "-perms", "0", "-ui", "text"],
    env: (w) => ({ UNISON: join(w, "unison-archive") }),
    content: () => ({ bytes: null, note: "no byte count" }),
  },
];

const root = mkdtempSync(join(workRoot(), "wlsync-bench-rename-"));
const samples = [];
try {
  console.log(`corpus: ${FILES} files, ${sizeMiB} MiB in one folder, in ${root}; ${reps} rep(s) of rename there and back`);
  const started = Date.now();
  writeCorpus(join(root, "src", "album"));
  console.log(`corpus written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const tool of tools) {
    if (tool.program && !onPath(tool.program)) {
      console.log(`${tool.label}: not installed, skipped`);
      continue;
    }
    const target = `dst-${tool.id}`;
    mkdirSync(join(root, target), { recursive: true });
    tool.prepare?.(root, target);
    const env = tool.env?.(root, target) ?? {};
    const initial = await measure(tool.argv(root, target), { cwd: root, env, captureStdout: true });
    if (initial.code !== 0) throw new Error(`${tool.label}: initial pass exited ${initial.code}: ${initial.stderr.slice(0, 2000)}`);
    let name = "album";
    for (let rep = 0; rep < reps * 2; rep++) {
      const next = name === "album" ? "album-renamed" : "album";
      renameSync(join(root, "src", name), join(root, "src", next));
      name = next;
      const load = loadavg()[0];
      const r = await measure(tool.argv(root, target), { cwd: root, env, captureStdout: true });
      if (r.code !== 0 && !(tool.id === "unison" && r.code === 1)) throw new Error(`${tool.label}: exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
      const content = tool.content(r.stdout, r.stderr);
      if (!existsSync(join(root, target, name, "part-0.bin"))) throw new Error(`${tool.label}: the renamed folder did not arrive`);
      samples.push({ tool: tool.id, label: tool.label, seconds: r.seconds, load, bytes: content.bytes, note: content.note });
      console.log(`  ${tool.label}: ${r.seconds.toFixed(2)} s, content ${content.bytes === null ? "—" : `${content.bytes} B`} ${content.note} (load ${load.toFixed(1)})`);
    }
    rmSync(join(root, target), { recursive: true, force: true });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

console.log(`\nfolder rename, ${sizeMiB} MiB (medians of ${reps * 2} passes; load average 1 min at each pass in brackets)`);
console.log("| tool | seconds | content bytes transferred | notes |");
console.log("| --- | --- | --- | --- |");
const rows = [];
for (const tool of tools) {
  const mine = samples.filter((s) => s.tool === tool.id);
  if (!mine.length) continue;
  const bytes = mine.map((s) => s.bytes).filter((b) => b !== null);
  const row = { tool: tool.id, label: tool.label, seconds: median(mine.map((s) => s.seconds)), contentBytes: bytes.length ? Math.max(...bytes) : null, notes: mine[mine.length - 1].note, loads: mine.map((s) => s.load) };
  rows.push(row);
  console.log(`| ${row.label} | ${row.seconds.toFixed(2)} | ${row.contentBytes === null ? "—" : row.contentBytes} | ${row.notes} (load ${row.loads.map((l) => l.toFixed(1)).join(", ")}) |`);
}
const wl = rows.find((r) => r.tool === "wl");
if (wl) console.log(`target "folder rename, 1 GB: 0 content bytes transferred": ${wl.contentBytes === 0 ? "met" : "MISSED"} (wl default syncer: ${wl.contentBytes} B)`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), sizeMiB, files: FILES, reps, samples, rows }, null, 2));
console.log(`results: ${out}`);
