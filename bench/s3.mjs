#!/usr/bin/env node
// Benchmark: wl one-shot local → S3 against `rclone sync` to the same local S3 server, on the
// benchmark corpus: an initial upload, then a pass with nothing to do. The server is a one-node
// Ceph RADOS Gateway (scripts/ceph-rgw.sh, memstore) by default, or s3rver with --server s3rver.
//
//   node bench/s3.mjs [--quick] [--runs N] [--server ceph|s3rver] [--out FILE]
//
// Targets (issue "backend-s3"): wl initial ≤ 1.0 × rclone, wl no-change pass ≤ 0.5 × rclone.
// Results are printed as a table and written as JSON (default .bench/s3-results.json).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { makeShapedCorpus } from "./lib/corpus.mjs";
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WL = join(ROOT, "packages", "core", "bin", "wl.js");
const S3RVER_MAIN = join(ROOT, "test", "helpers", "s3rver-main.mjs");

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const runs = Number(args[args.indexOf("--runs") + 1]) || 1;
const out = args.includes("--out") ? resolve(args[args.indexOf("--out") + 1]) : join(ROOT, ".bench", "s3-results.json");
const serverKind = args.includes("--server") ? args[args.indexOf("--server") + 1] : "ceph";
if (!["ceph", "s3rver"].includes(serverKind)) {
  process.stderr.write(`bench/s3: --server must be ceph or s3rver (got ${serverKind})\n`);
  process.exit(1);
}
const corpusShape = quick ? { small: 1000, large: 2, largeMiB: 32 } : { small: 10000, large: 8, largeMiB: 32 };

let CREDENTIALS = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };
const CEPH_SCRIPT = join(ROOT, "scripts", "ceph-rgw.sh");
const BUCKET = "bench";

function fail(message) {
  process.stderr.write(`bench/s3: ${message}\n`);
  process.exit(1);
}

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

if (!existsSync(WL) || !existsSync(join(ROOT, "packages", "backend-s3", "dist", "index.js"))) fail("build first: pnpm build");
if (!has("rclone")) fail("rclone is not installed (Debian: apt-get install rclone)");
if (serverKind === "ceph" && !["ceph-mon", "ceph-osd", "radosgw"].every(has)) fail("Ceph is not installed (apt-get install --no-install-recommends ceph-mon ceph-osd radosgw), or use --server s3rver");

/** The corpus of shared/bench/mkcorpus.py; a JavaScript generator of the same shape if it is not there. */
const makeCorpus = (dir) => makeShapedCorpus(dir, corpusShape);

function measureTree(dir) {
  let files = 0;
  let dirs = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) {
        dirs++;
        walk(join(d, e.name));
      } else {
        files++;
        bytes += statSync(join(d, e.name)).size;
      }
    }
  };
  walk(dir);
  return { files, dirs, bytes };
}

function freePort() {
  const server = createServer();
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    }),
  );
}

function startServer(dir) {
  const child = spawn(process.execPath, ["--openssl-legacy-provider", S3RVER_MAIN, dir, "0", BUCKET], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((ok, ko) => {
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += d;
      if (buf.includes("\n")) ok({ child, port: JSON.parse(buf.split("\n")[0]).port });
    });
    child.once("exit", (code) => ko(new Error(`s3rver exited with ${code}`)));
  });
}

const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/**
 * Runs a command, timing it; with GNU time also its CPU seconds and peak RSS (else the RSS is
 * sampled from /proc). CPU seconds do not depend on what else the machine is doing.
 */
function timed(cmd, argv, { cwd, env }) {
  return new Promise((ok, ko) => {
    const started = process.hrtime.bigint();
    const merged = { ...process.env, ...env };
    for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
    const usageFile = join(work, `usage-${process.hrtime.bigint()}`);
    const [file, fullArgv] = GNU_TIME ? [GNU_TIME, ["-f", "%U %S %M", "-o", usageFile, cmd, ...argv]] : [cmd, argv];
    const child = spawn(file, fullArgv, { cwd, env: merged, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let peakKb = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // gone
      }
    };
    const timer = setInterval(sample, 50);
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", ko);
    child.on("close", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let cpuSeconds = null;
      if (GNU_TIME && existsSync(usageFile)) {
        const [user, sys, maxKb] = readFileSync(usageFile, "utf8").trim().split("\n").pop().split(" ").map(Number);
        cpuSeconds = user + sys;
        peakKb = maxKb;
      }
      if (code !== 0) ko(new Error(`${cmd} ${argv.join(" ")} exited ${code}\n${stdout}\n${stderr}`));
      else ok({ seconds, cpuSeconds, peakMb: peakKb / 1024, stdout });
    });
  });
}

const work = mkdtempSync(join(tmpdir(), "wlsync-bench-s3-"));
const corpus = join(work, "corpus");
mkdirSync(corpus);
process.stdout.write(`corpus: ${corpusShape.small} small files + ${corpusShape.large} × ${corpusShape.largeMiB} MiB in ${corpus}\n`);
const generator = makeCorpus(corpus);
const tree = measureTree(corpus);

const serverDir = join(work, serverKind);
let endpoint;
let stopServer;
let serverName;
if (serverKind === "s3rver") {
  mkdirSync(serverDir);
  const { child: server, port } = await startServer(serverDir);
  endpoint = `http://127.0.0.1:${port}`;
  process.on("exit", () => server.kill("SIGKILL"));
  stopServer = () => server.kill("SIGTERM");
  serverName = "s3rver 3.7.1 on 127.0.0.1 (filesystem store)";
} else {
  const port = await freePort();
  const r = spawnSync(CEPH_SCRIPT, ["start", serverDir, String(port)], { encoding: "utf8" });
  if (r.status !== 0) fail(`Ceph did not start: ${r.stderr.trim()}`);
  const fields = Object.fromEntries(r.stdout.trim().split("\n").pop().split(" ").map((kv) => kv.split("=")));
  endpoint = fields.endpoint;
  CREDENTIALS = { AWS_ACCESS_KEY_ID: fields.access, AWS_SECRET_ACCESS_KEY: fields.secret };
  stopServer = () => spawnSync(CEPH_SCRIPT, ["stop", serverDir]);
  process.on("exit", stopServer);
  serverName = "Ceph RGW 16.2 (one node, memstore OSD) on 127.0.0.1";
}
const s3 = new S3Client({
  region: "us-east-1",
  endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY },
});
if (serverKind === "ceph") await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));

const rcloneEnv = {
  RCLONE_CONFIG_BENCH_TYPE: "s3",
  RCLONE_CONFIG_BENCH_PROVIDER: "Other",
  RCLONE_CONFIG_BENCH_ENV_AUTH: "false",
  RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: CREDENTIALS.AWS_ACCESS_KEY_ID,
  RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: CREDENTIALS.AWS_SECRET_ACCESS_KEY,
  RCLONE_CONFIG_BENCH_ENDPOINT: endpoint,
  RCLONE_CONFIG_BENCH_REGION: "us-east-1",
  RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: "true",
  RCLONE_CONFIG: join(work, "rclone.conf"), // absent: the remote is defined by the variables above
  // rclone's S3 client cannot combine a custom CA bundle with its own transport; plain http here.
  AWS_CA_BUNDLE: undefined,
};
const wlEnv = { ...CREDENTIALS, AWS_REGION: "us-east-1", AWS_EC2_METADATA_DISABLED: "true", WLSYNC_DEBUG: "" };

const RCLONE_FLAGS = serverKind === "s3rver" ? ["--s3-no-head"] : [];

async function runRclone(run) {
  const remote = `bench:${BUCKET}/rclone-${run}/`;
  // On s3rver, --s3-no-head: rclone HEADs each object after uploading it to check its size;
  // s3rver answers a PUT before the object is on its disk, so under load that check fails
  // ("sizes differ N vs 0"). On Ceph, rclone's defaults.
  const argv = ["sync", ...RCLONE_FLAGS, corpus, remote];
  const initial = await timed("rclone", argv, { cwd: work, env: rcloneEnv });
  const nochange = await timed("rclone", argv, { cwd: work, env: rcloneEnv });
  return { initial, nochange };
}

async function runWl(run, variant = "") {
  const name = `wl${variant}-${run}`;
  const dir = join(work, name);
  mkdirSync(dir);
  const config = {
    containers: {
      bench: {
        storages: [
          { "backend-id": "corpus", type: "local", path: corpus },
          {
            "backend-id": "bucket",
            type: "s3",
            bucket: BUCKET,
            prefix: `${name}/`,
            endpoint,
            "force-path-style": true,
            // s3rver ignores conditional headers; forcing them on shows the request pattern (and the
            // cost) wl has on a server that honours them (AWS S3, recent MinIO): no HEAD re-check.
            ...(variant === "-conditional" ? { "conditional-writes": true } : {}),
          },
        ],
      },
    },
  };
  writeFileSync(join(dir, ".wlsyncrc"), JSON.stringify(config, null, 2));
  const env = { ...wlEnv, WLSYNC_STATE_DIR: join(dir, "state") };
  const argv = [WL, "container", "sync", "--one-shot", "bench"];
  const step = (what) => (err) => {
    throw new Error(`wl's ${what} pass (${name}): ${err.message}`);
  };
  const initial = await timed(process.execPath, argv, { cwd: dir, env }).catch(step("initial"));
  const nochange = await timed(process.execPath, argv, { cwd: dir, env }).catch(step("no-change"));
  if (!/corpus → bucket: 0 files/.test(nochange.stdout)) throw new Error(`wl's second pass copied something:\n${nochange.stdout}`);
  return { initial, nochange };
}

/** Objects below a prefix (files and folder markers). */
async function countObjects(prefix) {
  let n = 0;
  let token;
  do {
    const r = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}/`, ContinuationToken: token }));
    n += r.KeyCount ?? (r.Contents ?? []).length;
    token = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (token);
  return n;
}

const loadBefore = loadavg();
const results = { wl: [], rclone: [], wlConditional: [] };
for (let run = 1; run <= runs; run++) {
  process.stdout.write(`run ${run}/${runs}: rclone…`);
  results.rclone.push(await runRclone(run));
  process.stdout.write(" wl…");
  results.wl.push(await runWl(run));
  if (serverKind === "s3rver") {
    process.stdout.write(" wl (conditional-write requests)…");
    results.wlConditional.push(await runWl(run, "-conditional"));
  }
  process.stdout.write(" done\n");
  const prefixes = [["rclone", `rclone-${run}`], ["wl", `wl-${run}`]];
  if (serverKind === "s3rver") prefixes.push(["wl", `wl-conditional-${run}`]);
  for (const [tool, prefix] of prefixes) {
    const objects = await countObjects(prefix);
    if (objects !== tree.files) fail(`${tool} left ${objects} objects under ${prefix} for ${tree.files} files (the corpus has no empty folders)`);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pick = (tool, step) => ({
  seconds: median(results[tool].map((r) => r[step].seconds)),
  cpuSeconds: results[tool][0][step].cpuSeconds === null ? null : median(results[tool].map((r) => r[step].cpuSeconds)),
  peakMb: Math.max(...results[tool].map((r) => r[step].peakMb)),
});
const rows = [
  { step: "initial upload", target: 1.0, wl: pick("wl", "initial"), rclone: pick("rclone", "initial") },
  { step: "no-change pass", target: 0.5, wl: pick("wl", "nochange"), rclone: pick("rclone", "nochange") },
];
if (serverKind === "s3rver") rows.push({ step: "initial upload, conditional-write requests*", target: 1.0, wl: pick("wlConditional", "initial"), rclone: pick("rclone", "initial") });
for (const row of rows) row.ratio = row.wl.seconds / row.rclone.seconds;

const mb = (n) => `${(n / 1e6).toFixed(0)} MB`;
const line = (cells) => `| ${cells.join(" | ")} |`;
const loadAfter = loadavg();
process.stdout.write(
  `\n${tree.files} files (${mb(tree.bytes)}) in ${tree.dirs} folders → ${serverName} (${generator}); ${runs} run(s), median times\n` +
    `${cpus().length} cores, load average ${loadBefore[0].toFixed(1)} before and ${loadAfter[0].toFixed(1)} after (other work on the machine slows everyone)\n\n`,
);
const cpu = (x) => (x.cpuSeconds === null ? "?" : `${x.cpuSeconds.toFixed(1)} s`);
const perFile = (x) => (x.cpuSeconds === null ? "?" : `${((x.cpuSeconds / tree.files) * 1000).toFixed(2)} ms`);
process.stdout.write(`${line(["step", "wl", "rclone sync", "wl / rclone", "target", "met", "CPU wl / rclone", "CPU per file wl / rclone", "peak RSS wl / rclone"])}\n`);
process.stdout.write(`${line(["---", "---:", "---:", "---:", "---:", "---", "---:", "---:", "---:"])}\n`);
for (const r of rows) {
  process.stdout.write(
    `${line([
      r.step,
      `${r.wl.seconds.toFixed(2)} s`,
      `${r.rclone.seconds.toFixed(2)} s`,
      `${r.ratio.toFixed(2)}×`,
      `≤ ${r.target.toFixed(1)}×`,
      r.ratio <= r.target ? "yes" : "NO",
      `${cpu(r.wl)} / ${cpu(r.rclone)}`,
      `${perFile(r.wl)} / ${perFile(r.rclone)}`,
      `${r.wl.peakMb.toFixed(0)} / ${r.rclone.peakMb.toFixed(0)} MB`,
    ])}\n`,
  );
}
if (serverKind === "s3rver") {
  process.stdout.write(
    "\n* wl with conditional-writes: true. s3rver ignores the headers, so this only shows the requests wl\n" +
      "  makes on a server that honours them (If-None-Match on the PUT instead of a HEAD re-check before it).\n",
  );
}
const rcloneVersion = spawnSync("rclone", ["version"], { encoding: "utf8" }).stdout.split("\n")[0];
const report = {
  date: new Date().toISOString(),
  quick,
  runs,
  corpus: { ...tree, generator, shape: corpusShape },
  server: serverName,
  rclone: { version: rcloneVersion, flags: `sync ${RCLONE_FLAGS.join(" ")} (otherwise defaults: --transfers 4 --checkers 8)` },
  node: process.version,
  machine: { cores: cpus().length, loadBefore, loadAfter },
  rows: rows.map((r) => ({
    step: r.step,
    wlSeconds: r.wl.seconds,
    rcloneSeconds: r.rclone.seconds,
    ratio: r.ratio,
    target: r.target,
    met: r.ratio <= r.target,
    wlCpuSeconds: r.wl.cpuSeconds,
    rcloneCpuSeconds: r.rclone.cpuSeconds,
    wlPeakMb: r.wl.peakMb,
    rclonePeakMb: r.rclone.peakMb,
    wlCpuMsPerFile: r.wl.cpuSeconds === null ? null : (r.wl.cpuSeconds / tree.files) * 1000,
    rcloneCpuMsPerFile: r.rclone.cpuSeconds === null ? null : (r.rclone.cpuSeconds / tree.files) * 1000,
  })),
  raw: results,
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`\nJSON: ${out}\n`);

s3.destroy();
stopServer();
rmSync(work, { recursive: true, force: true });
