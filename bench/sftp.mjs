#!/usr/bin/env node
// Benchmark: wl local → sftp (a real sshd on 127.0.0.1, test/helpers/sshd.mjs) against its peers
// over the same ssh, in the same run:
//   delta     a 64 MiB file with a 4 KiB edit in the middle: bytes on the SSH connection (both
//             ways, counted by a TCP proxy in front of sshd) for wl (rsync syncer) and
//             `rsync -a -e ssh`. Target: wl ≤ 2% of the file.
//   initial   the benchmark corpus into an empty remote folder: wl vs `rsync -a -e ssh`.
//             Target: wl ≤ 1.2 × rsync.
//   no-change a second pass with nothing to do: wl vs `unison -batch` over ssh.
//             Target: wl ≤ 1.0 × unison.
//
//   node bench/sftp.mjs [--quick] [--runs N] [--out FILE]
//
// --quick: 1000 small files + 2 × 32 MiB instead of 10,000 + 8 × 32 MiB. Writes JSON (default
// .bench/sftp-results.json) and prints a table.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { makeShapedCorpus } from "./lib/corpus.mjs";
import { startCountingProxy, startSshd } from "../test/helpers/sshd.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WL = join(ROOT, "packages", "core", "bin", "wl.js");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const runs = Number(args[args.indexOf("--runs") + 1]) || 1;
const out = args.includes("--out") ? resolve(args[args.indexOf("--out") + 1]) : join(ROOT, ".bench", "sftp-results.json");
const corpusShape = quick ? { small: 1000, large: 2, largeMiB: 32 } : { small: 10000, large: 8, largeMiB: 32 };

const fail = (message) => {
  process.stderr.write(`bench/sftp: ${message}\n`);
  process.exit(1);
};
const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
if (!existsSync(WL) || !existsSync(join(ROOT, "packages", "backend-sftp", "dist", "index.js"))) fail("build first: pnpm build");
for (const tool of ["rsync", "unison", "ssh"]) if (!has(tool)) fail(`${tool} is not installed (Debian: apt-get install ${tool === "ssh" ? "openssh-client" : tool})`);

const work = mkdtempSync(join(tmpdir(), "wlsync-bench-sftp-"));
const unisonDir = join(work, "unison-archives");
mkdirSync(unisonDir);
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const server = await startSshd({ env: { UNISON: unisonDir } });
if (!server) fail("sshd is not available (apt-get install openssh-server)");
const target = `${server.user}@127.0.0.1`;
/** ssh for the peers: the server's options, with this run's known_hosts (which also holds the proxy's port). */
function sshCommand(port) {
  const argv = [];
  for (let i = 0; i < server.sshArgs.length; i++) {
    const a = server.sshArgs[i];
    if (a === "-o" && server.sshArgs[i + 1].startsWith("UserKnownHostsFile=")) {
      i++;
      continue;
    }
    argv.push(server.sshArgs[i - 1] === "-p" ? String(port) : a);
  }
  return ["ssh", ...argv, "-o", `UserKnownHostsFile=${join(work, "known_hosts")}`].join(" ");
}

const makeCorpus = (dir) => makeShapedCorpus(dir, corpusShape);

function timed(cmd, argv, { cwd = work, env = {} } = {}) {
  return new Promise((ok, ko) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", ko);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) ko(new Error(`${cmd} ${argv.join(" ")} exited ${code}\n${stdout}\n${stderr}`));
      else ok({ seconds, stdout });
    });
  });
}

function wlConfig(dir, src, remoteDir, port) {
  mkdirSync(dir, { recursive: true });
  mkdirSync(remoteDir, { recursive: true });
  const storage = { ...server.storage(remoteDir), port, "known-hosts": join(work, "known_hosts") };
  writeFileSync(join(dir, ".wlsyncrc"), JSON.stringify({ containers: { bench: { storages: [{ "backend-id": "src", type: "local", path: src }, { "backend-id": "remote", ...storage }] } } }, null, 2));
}
const wlSync = (dir) => timed(process.execPath, [WL, "container", "sync", "--one-shot", "bench"], { cwd: dir, env: { WLSYNC_STATE_DIR: join(dir, "state"), WLSYNC_DEBUG: "" } });
const rsyncTo = (src, remoteDir, port) => timed("rsync", ["-a", "-e", sshCommand(port), `${src}/`, `${target}:${remoteDir}/`]);
const unisonSync = (src, remoteDir) =>
  timed("unison", [src, `ssh://${target}/${remoteDir}`, "-batch", "-auto", "-silent", "-times", "-perms", "0", "-sshargs", sshCommand(server.port).replace(/^ssh /, "")], { env: { UNISON: unisonDir } });

function sameTree(a, b) {
  // (wl's own folder at each root, with the storage's identity marker, is not part of the copy)
  const r = spawnSync("diff", ["-r", "-q", "-x", ".wlsync", a, b], { encoding: "utf8" });
  if (r.status !== 0) fail(`${a} and ${b} differ:\n${r.stdout.slice(0, 2000)}`);
}

const proxy = await startCountingProxy(server.port);
writeFileSync(join(work, "known_hosts"), `[127.0.0.1]:${server.port} ${server.hostKeyPub}\n[127.0.0.1]:${proxy.port} ${server.hostKeyPub}\n`);

const corpus = join(work, "corpus");
mkdirSync(corpus);
process.stdout.write(`corpus: ${corpusShape.small} small files + ${corpusShape.large} × ${corpusShape.largeMiB} MiB\n`);
const generator = makeCorpus(corpus);
const loadBefore = loadavg();
const results = [];
for (let run = 1; run <= runs; run++) {
  process.stdout.write(`run ${run}/${runs}: delta…`);
  // delta: the same 64 MiB file and the same 4 KiB edit for both tools, through the counting proxy.
  const size = 64 << 20;
  const bigSrc = join(work, `big-src-${run}`);
  mkdirSync(bigSrc);
  writeFileSync(join(bigSrc, "large.bin"), randomBytes(size));
  const wlDir = join(work, `wl-delta-${run}`);
  const wlRemote = join(work, `remote-wl-delta-${run}`);
  const rsRemote = join(work, `remote-rsync-delta-${run}`);
  wlConfig(wlDir, bigSrc, wlRemote, proxy.port);
  await wlSync(wlDir);
  await rsyncTo(bigSrc, rsRemote, proxy.port);
  const fd = openSync(join(bigSrc, "large.bin"), "r+");
  writeSync(fd, randomBytes(4096), 0, 4096, 33_000_000);
  closeSync(fd);
  proxy.reset();
  const wlDelta = await wlSync(wlDir);
  const wlWire = proxy.counts.up + proxy.counts.down;
  proxy.reset();
  const rsDelta = await rsyncTo(bigSrc, rsRemote, proxy.port);
  const rsWire = proxy.counts.up + proxy.counts.down;
  sameTree(bigSrc, wlRemote);
  sameTree(bigSrc, rsRemote);

  process.stdout.write(" initial…");
  const wlCorpus = join(work, `wl-corpus-${run}`);
  const wlCorpusRemote = join(work, `remote-wl-corpus-${run}`);
  wlConfig(wlCorpus, corpus, wlCorpusRemote, server.port);
  const rsInitial = await rsyncTo(corpus, join(work, `remote-rsync-corpus-${run}`), server.port);
  const wlInitial = await wlSync(wlCorpus);
  sameTree(corpus, wlCorpusRemote);
  process.stdout.write(" no-change…");
  const unisonRemote = join(work, `remote-unison-corpus-${run}`);
  mkdirSync(unisonRemote);
  const unInitial = await unisonSync(corpus, unisonRemote);
  const unNoop = await unisonSync(corpus, unisonRemote);
  const wlNoop = await wlSync(wlCorpus);
  if (!/src → remote: 0 files/.test(wlNoop.stdout)) fail(`wl's second pass copied something:\n${wlNoop.stdout}`);
  sameTree(corpus, unisonRemote);
  process.stdout.write(" done\n");
  results.push({ wlWire, rsWire, wlDelta: wlDelta.seconds, rsDelta: rsDelta.seconds, wlInitial: wlInitial.seconds, rsInitial: rsInitial.seconds, unInitial: unInitial.seconds, wlNoop: wlNoop.seconds, unNoop: unNoop.seconds });
}
const loadAfter = loadavg();
await proxy.stop();
await server.stop();

const median = (key) => [...results.map((r) => r[key])].sort((a, b) => a - b)[Math.floor(results.length / 2)];
const size = 64 << 20;
const rows = [
  ["64 MiB file, 4 KiB edit: bytes on the SSH connection", `${median("wlWire")} B (${((100 * median("wlWire")) / size).toFixed(2)}% of the file)`, `rsync -a -e ssh: ${median("rsWire")} B`, "≤ 2% of the file", median("wlWire") <= 0.02 * size],
  ["same, wall time", `${median("wlDelta").toFixed(2)} s`, `rsync -a -e ssh: ${median("rsDelta").toFixed(2)} s`, "", null],
  ["corpus, initial pass local → sftp", `${median("wlInitial").toFixed(2)} s`, `rsync -a -e ssh: ${median("rsInitial").toFixed(2)} s (${(median("wlInitial") / median("rsInitial")).toFixed(2)}×)`, "≤ 1.2 × rsync", median("wlInitial") <= 1.2 * median("rsInitial")],
  ["corpus, no-change pass", `${median("wlNoop").toFixed(2)} s`, `unison -batch over ssh: ${median("unNoop").toFixed(2)} s (${(median("wlNoop") / median("unNoop")).toFixed(2)}×)`, "≤ 1.0 × unison", median("wlNoop") <= median("unNoop")],
  ["(corpus, unison's initial pass, for reference)", "", `${median("unInitial").toFixed(2)} s`, "", null],
];
const tree = { files: corpusShape.small + corpusShape.large };
process.stdout.write(
  `\n${tree.files} files (${generator}; ${quick ? "--quick corpus" : "standard corpus"}) → sshd on 127.0.0.1, ${runs} run(s), medians\n` +
    `${cpus().length} cores, load average ${loadBefore[0].toFixed(1)} before and ${loadAfter[0].toFixed(1)} after (other work on the machine slows everyone)\n` +
    `rsync ${/version (\S+)/.exec(spawnSync("rsync", ["--version"], { encoding: "utf8" }).stdout)?.[1]}, ${spawnSync("unison", ["-version"], { encoding: "utf8" }).stdout.trim()}, ${spawnSync("ssh", ["-V"], { encoding: "utf8" }).stderr.trim()}\n\n` +
    "| case | wl | peer | target | met |\n| --- | ---: | ---: | --- | --- |\n" +
    rows.map(([c, w, p, t, m]) => `| ${c} | ${w} | ${p} | ${t} | ${m === null ? "" : m ? "yes" : "NO"} |`).join("\n") +
    "\n",
);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), quick, runs, load: [loadBefore[0], loadAfter[0]], results }, null, 2));
process.stdout.write(`\nwritten to ${out}\n`);
