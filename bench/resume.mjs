#!/usr/bin/env node
// Benchmark: resuming an interrupted large copy (issue 18, item 6). One file of 2 GiB (random
// bytes), local folder to local folder, in tmpfs (/dev/shm) and on the disk holding os.tmpdir(),
// local (tmpfs) to S3 on a one-node Ceph RADOS Gateway (scripts/ceph-rgw.sh, memstore), and
// local (tmpfs) to sftp through a real sshd on 127.0.0.1 (test/helpers/sshd.mjs; peer: rsync
// over that ssh):
//
//   full    a pass that copies the whole file (fresh target and state)
//   finish  the pass after one that was SIGKILLed once its partial file held 60% of the bytes
//
// and the same two for the peer `rsync -a --partial` (killed likewise; finished with
// `--append-verify`, which re-reads the kept part to check it, as wl does). Runs are
// interleaved; medians are printed with the load average. Target: wl finish ≤ 0.5 × wl full.
//
// For S3 the kill comes once wl's checkpoint covers 60% (uploads have no partial file to watch).
// `s3-down` is the other way: the file on S3 (put there before the timing, through another
// container), copied into a local folder in tmpfs; its partial file is watched as for local.
//
//   node bench/resume.mjs [--quick] [--runs N] [--size MiB] [--where tmpfs,disk,s3,s3-down,sftp] [--out FILE]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { sshdUnavailable, startSshd } from "../test/helpers/sshd.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"; // this script's own S3 client (wl sets it for itself)
const WL = join(ROOT, "packages", "core", "bin", "wl.js");
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const quick = args.includes("--quick");
const runs = Number(opt("--runs", quick ? 1 : 3));
const sizeMiB = Number(opt("--size", quick ? 256 : 2048));
const hasCeph = ["ceph-mon", "ceph-osd", "radosgw"].every((c) => spawnSync("sh", ["-c", `command -v ${c}`]).status === 0);
const noSshd = sshdUnavailable();
const where = opt("--where", [existsSync("/dev/shm") ? "tmpfs" : "", "disk", hasCeph ? "s3" : "", hasCeph ? "s3-down" : "", noSshd ? "" : "sftp"].filter(Boolean).join(",")).split(",");
if (!hasCeph && !args.includes("--where")) console.log("[not run] resume to S3: Ceph is not installed (apt-get install --no-install-recommends ceph-mon ceph-osd radosgw)");
if (noSshd && !args.includes("--where")) console.log(`[not run] resume to sftp: ${noSshd}`);
const out = resolve(opt("--out", join(ROOT, ".bench", "resume-results.json")));
const AT = 0.6;

const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};

const GNU_TIME = spawnSync("/usr/bin/time", ["-f", "%U %S", "true"], { encoding: "utf8" }).status === 0;

/** Runs argv in its own process group; `done` gives exit code, output, wall seconds and (with GNU time) CPU seconds. */
function spawnTimed(argv, { cwd, env }) {
  const started = process.hrtime.bigint();
  const cpuFile = join(cwd, ".bench-cpu");
  const full = GNU_TIME ? ["/usr/bin/time", "-f", "%U %S", "-o", cpuFile, ...argv] : argv;
  const child = spawn(full[0], full.slice(1), { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise((ok) =>
    child.on("close", (code, signal) => {
      let cpuSeconds = null;
      try {
        const [user, sys] = readFileSync(cpuFile, "utf8").trim().split("\n").pop().split(" ").map(Number);
        if (Number.isFinite(user + sys)) cpuSeconds = user + sys;
      } catch {
        // killed, or no GNU time
      }
      rmSync(cpuFile, { force: true });
      ok({ code, signal, stdout, stderr, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds });
    }),
  );
  return { child, done };
}

/** Kills `child` (its process group) once a file in `dir` matching `isPart` holds `bytes` bytes. */
async function killAt(child, done, dir, isPart, bytes) {
  let finished = false;
  done.then(() => (finished = true));
  while (!finished) {
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      if (!isPart(name)) continue;
      const st = statSync(join(dir, name), { throwIfNoEntry: false });
      if (st && st.size >= bytes) {
        process.kill(-child.pid, "SIGKILL");
        return st.size;
      }
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return null;
}

let s3; // { endpoint, env, stop } once Ceph runs
let sshd; // test/helpers/sshd.mjs's server once started
let s3Runs = 0;
let s3Prefix;

/** Empties a run's prefix (Ceph's memstore keeps every object in memory). */
async function emptyS3Prefix(prefix) {
  const { DeleteObjectCommand, ListObjectsV2Command, S3Client } = await import("@aws-sdk/client-s3");
  const client = new S3Client({ region: "us-east-1", endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: s3.env.AWS_ACCESS_KEY_ID, secretAccessKey: s3.env.AWS_SECRET_ACCESS_KEY } });
  try {
    const r = await client.send(new ListObjectsV2Command({ Bucket: "bench", Prefix: prefix }));
    for (const o of r.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: "bench", Key: o.Key }));
  } finally {
    client.destroy();
  }
}
const TOOLS = {
  wl: {
    prepare(work, place) {
      s3Prefix = `run-${++s3Runs}/`;
      if (place.s3down) {
        // The object first (not timed): another container uploads the file to the prefix.
        const storage = { "backend-id": "src", type: "s3", bucket: "bench", prefix: s3Prefix, region: "us-east-1", endpoint: s3.endpoint, "force-path-style": true };
        mkdirSync(join(work, "seed"));
        spawnSync("ln", [join(work, "src", "big.bin"), join(work, "seed", "big.bin")]);
        rmSync(join(work, "src"), { recursive: true, force: true });
        writeFileSync(join(work, ".wlsyncrc"), JSON.stringify({ syncer: "naive", containers: { seed: { storages: [{ "backend-id": "seed", type: "local", path: "./seed" }, storage] }, bench: { storages: [storage, { "backend-id": "dst", type: "local", path: "./dst" }] } } }));
        const r = spawnSync(process.execPath, [WL, "container", "sync", "--one-shot", "seed"], { cwd: work, env: { ...process.env, ...TOOLS.wl.env(work, place) }, encoding: "utf8" });
        if (r.status !== 0) throw new Error(`seeding S3 failed: ${r.stderr}`);
        return;
      }
      const target = place.s3
        ? { "backend-id": "dst", type: "s3", bucket: "bench", prefix: s3Prefix, region: "us-east-1", endpoint: s3.endpoint, "force-path-style": true }
        : place.sftp
          ? { "backend-id": "dst", ...sshd.storage(join(work, "dst")) }
          : { "backend-id": "dst", type: "local", path: "./dst" };
      writeFileSync(join(work, ".wlsyncrc"), JSON.stringify({ syncer: "naive", containers: { bench: { storages: [{ "backend-id": "src", type: "local", path: "./src" }, target] } } }));
    },
    argv: () => [process.execPath, WL, "container", "sync", "--one-shot", "--unidirectional", "--json", "bench"],
    finishArgv: () => [process.execPath, WL, "container", "sync", "--one-shot", "--unidirectional", "--json", "bench"],
    isPart: (name) => name.startsWith(".wlsync-tmp-"),
    env: (work, place) => ({ WLSYNC_STATE_DIR: join(work, "state"), WLSYNC_DEBUG: "", XDG_RUNTIME_DIR: "", WLSYNC_SOCKET: "", ...(place.s3 || place.s3down ? s3.env : {}) }),
    resumed: (r) => JSON.parse(r.stdout).counters.bytesResumed,
  },
  "rsync --partial": {
    prepare() {},
    argv: (work, place) => ["rsync", "-a", "--partial", ...rsyncEnds(work, place)],
    finishArgv: (work, place) => ["rsync", "-a", "--partial", "--append-verify", ...rsyncEnds(work, place)],
    isPart: (name) => name.startsWith(".big.bin."),
    env: () => ({}),
    resumed: () => null,
  },
};

/** rsync's source and destination (over sshd's ssh for an sftp place). */
const rsyncEnds = (work, place) => (place.sftp ? ["-e", ["ssh", ...sshd.sshArgs].join(" "), "src/", `${sshd.user}@127.0.0.1:${join(work, "dst")}/`] : ["src/", "dst/"]);

/** Kills `child` once the checkpoint in `stateDir` covers `bytes` (an upload has no partial file to watch); returns that offset. */
async function killAtCheckpoint(child, done, stateDir, bytes) {
  let finished = false;
  done.then(() => (finished = true));
  const dir = join(stateDir, "transfers");
  while (!finished) {
    for (const name of existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".json")) : []) {
      let offset = 0;
      try {
        offset = JSON.parse(readFileSync(join(dir, name), "utf8")).offset;
      } catch {
        // being replaced
      }
      if (offset >= bytes) {
        process.kill(-child.pid, "SIGKILL");
        return offset;
      }
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return null;
}

async function one(place, toolName, kind) {
  const tool = TOOLS[toolName];
  const work = mkdtempSync(join(place.dir, "wl-bench-resume-run-"));
  try {
    mkdirSync(join(work, "src"));
    mkdirSync(join(work, "dst"));
    spawnSync("ln", [place.file, join(work, "src", "big.bin")]);
    tool.prepare(work, place);
    const env = tool.env(work, place);
    if (kind === "full") {
      const r = await spawnTimed(tool.argv(work, place), { cwd: work, env }).done;
      if (r.code !== 0) throw new Error(`${toolName} full: exit ${r.code} ${r.stderr} ${r.stdout.slice(0, 2000)}`);
      return { seconds: r.seconds, cpuSeconds: r.cpuSeconds };
    }
    const run = spawnTimed(tool.argv(work, place), { cwd: work, env });
    const killedAt = place.s3
      ? await killAtCheckpoint(run.child, run.done, join(work, "state"), Math.ceil(place.size * AT))
      : await killAt(run.child, run.done, join(work, "dst"), tool.isPart, Math.ceil(place.size * AT));
    await run.done;
    if (killedAt === null) throw new Error(`${toolName}: the pass ended before the kill`);
    const r = await spawnTimed(tool.finishArgv(work, place), { cwd: work, env }).done;
    if (r.code !== 0) throw new Error(`${toolName} finish: exit ${r.code} ${r.stderr}`);
    if (place.s3) {
      // The uploaded object, compared by sha256 (downloaded through wl's own check command would time more than it tells).
      const check = await spawnTimed([process.execPath, WL, "container", "check", "bench", "--json"], { cwd: work, env }).done;
      if (check.code !== 0) throw new Error(`${toolName}: wl container check after the finish: exit ${check.code} ${check.stdout} ${check.stderr}`);
    } else if (spawnSync("cmp", ["-s", place.file, join(work, "dst", "big.bin")]).status !== 0) throw new Error(`${toolName}: the finished copy differs from the source`);
    return { seconds: r.seconds, cpuSeconds: r.cpuSeconds, killedAt, resumed: tool.resumed(r) };
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (place.s3 || place.s3down) await emptyS3Prefix(s3Prefix).catch(() => {});
  }
}

async function startCeph(dir) {
  const port = await new Promise((ok) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const p = srv.address().port;
      srv.close(() => ok(p));
    });
  });
  const script = join(ROOT, "scripts", "ceph-rgw.sh");
  const r = spawnSync(script, ["start", dir, String(port)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`Ceph did not start: ${r.stderr.trim()}`);
  const fields = Object.fromEntries(r.stdout.trim().split("\n").pop().split(" ").map((kv) => kv.split("=")));
  const env = { AWS_ACCESS_KEY_ID: fields.access, AWS_SECRET_ACCESS_KEY: fields.secret, AWS_REGION: "us-east-1", AWS_EC2_METADATA_DISABLED: "true", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  const { CreateBucketCommand, S3Client } = await import("@aws-sdk/client-s3");
  const client = new S3Client({ region: "us-east-1", endpoint: fields.endpoint, forcePathStyle: true, credentials: { accessKeyId: fields.access, secretAccessKey: fields.secret } });
  await client.send(new CreateBucketCommand({ Bucket: "bench" }));
  client.destroy();
  const stop = () => spawnSync(script, ["stop", dir]);
  process.on("exit", stop);
  return { endpoint: fields.endpoint, env, stop };
}

const places = [];
for (const w of where) {
  const base = w === "disk" ? tmpdir() : existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  const dir = mkdtempSync(join(base, "wl-bench-resume-"));
  const file = join(dir, "big.bin");
  spawnSync("sh", ["-c", `head -c ${sizeMiB * 1048576} /dev/urandom > '${file}'`]);
  if (w === "s3" || w === "s3-down") {
    s3 ??= await startCeph(mkdtempSync(join(tmpdir(), "wl-bench-resume-ceph-")));
    if (w === "s3") places.push({ name: `S3 (Ceph RGW memstore; source in ${base})`, dir, file, size: sizeMiB * 1048576, s3: true });
    else places.push({ name: `from S3 (Ceph RGW memstore) to ${base}`, dir, file, size: sizeMiB * 1048576, s3down: true });
  } else if (w === "sftp") {
    sshd = await startSshd();
    if (!sshd) throw new Error("sshd cannot run here");
    places.push({ name: `sftp (sshd on 127.0.0.1, both folders in ${base})`, dir, file, size: sizeMiB * 1048576, sftp: true });
  } else places.push({ name: w === "tmpfs" ? "tmpfs (/dev/shm)" : `disk (${base})`, dir, file, size: sizeMiB * 1048576 });
}
const samples = [];
try {
  for (let run = 0; run < runs; run++) {
    for (const place of places) {
      const order = run % 2 ? ["rsync --partial", "wl"] : ["wl", "rsync --partial"];
      for (const tool of order) {
        if (tool !== "wl" && (place.s3 || place.s3down || spawnSync("sh", ["-c", "command -v rsync"]).status !== 0)) continue;
        for (const kind of ["full", "finish"]) {
          const before = load();
          try {
            const s = await one(place, tool, kind);
            samples.push({ place: place.name, tool, kind, ...s, load: before });
            console.log(`${place.name} ${tool} ${kind}: ${s.seconds.toFixed(2)} s (CPU ${s.cpuSeconds?.toFixed(2) ?? "-"} s)${s.resumed != null ? `, resumed ${(s.resumed / 1048576).toFixed(0)} MiB` : ""}${s.killedAt ? ` (killed at ${(s.killedAt / 1048576).toFixed(0)} MiB)` : ""}; load ${before}`);
          } catch (err) {
            samples.push({ place: place.name, tool, kind, error: String(err.message ?? err), load: before });
            console.log(`${place.name} ${tool} ${kind}: FAILED ${err.message ?? err}`);
          }
        }
      }
    }
  }
} finally {
  for (const place of places) rmSync(place.dir, { recursive: true, force: true });
  s3?.stop();
  sshd?.stop();
}

console.log(`\nresume ${sizeMiB >= 1024 ? `${sizeMiB / 1024} GiB` : `${sizeMiB} MiB`} at ${AT * 100}% (median of ${runs} run${runs === 1 ? "" : "s"}; load average at the end ${load()})`);
console.log("| where | tool | full (wall / CPU) | finish (wall / CPU) | finish / full (wall / CPU) |");
console.log("| --- | --- | --- | --- | --- |");
const rows = [];
const f = (x) => (x === null || x === undefined ? "-" : x.toFixed(2));
for (const place of places) {
  for (const tool of Object.keys(TOOLS)) {
    const pick = (kind, field) => median(samples.filter((s) => s.place === place.name && s.tool === tool && s.kind === kind && s[field]).map((s) => s[field]));
    const full = pick("full", "seconds");
    const finish = pick("finish", "seconds");
    if (full === null && finish === null) continue;
    const fullCpu = pick("full", "cpuSeconds");
    const finishCpu = pick("finish", "cpuSeconds");
    const ratio = full && finish ? finish / full : null;
    const cpuRatio = fullCpu && finishCpu ? finishCpu / fullCpu : null;
    rows.push({ where: place.name, tool, full, finish, ratio, fullCpu, finishCpu, cpuRatio });
    const verdict = tool === "wl" && ratio ? (ratio <= 0.5 ? " (target ≤ 0.5: met)" : " (target ≤ 0.5: missed)") : "";
    console.log(`| ${place.name} | ${tool} | ${f(full)} / ${f(fullCpu)} s | ${f(finish)} / ${f(finishCpu)} s | ${f(ratio)} / ${f(cpuRatio)}${verdict} |`);
  }
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ sizeMiB, at: AT, runs, samples, rows }, null, 2));
