#!/usr/bin/env node
// `pnpm test`'s runner: every test/*.test.mjs file through uvu, in a few shards at once. Most
// suites wait on real servers, daemons and disks rather than on the CPU, so shards that run side
// by side keep the whole suite within CI's time on a 2-core machine. Each shard is one uvu
// process over a fixed set of files, assigned by weight (longest first); its output is printed
// whole when it ends, and written as it runs to .test-logs/shard-N.log (`tail -f` one to follow
// a long run). Exit code: 1 if any shard failed.
// WLSYNC_TEST_SHARDS=1 runs everything in one process, as plain `uvu test` would.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const uvu = join(root, "node_modules", "uvu", "bin.js");
const shards = Math.max(1, Number(process.env.WLSYNC_TEST_SHARDS ?? 3));

// Rough minutes per file on a quiet 2-core machine (unlisted: 1), only to balance the shards.
const WEIGHT = {
  "scenarios-sftp": 8,
  "continuous-sftp": 5,
  "kit-backend-sftp": 3,
  "continuous-safety": 5,
  "s3-ceph": 4,
  "kit-backend-s3-ceph": 3,
  "s3-two-machines": 2,
  "s3": 2,
  "install-wlsync": 3,
  "syncer-rsync": 3,
  "crash": 3,
  "hostile-trees": 2,
  "scenarios-rsync": 2,
  "scenarios-naive": 2,
  "continuous-naive": 2,
  "continuous-rsync": 2,
  "filesystems": 2,
  "modes": 3,
  "rsync-crash-safety": 2,
  "versions": 2,
  "conflict-resolve": 2,
  "sftp": 2,
  "moves-sftp": 2,
  "moves-e2e": 1,
  "config-fuzz": 2,
  "model": 2,
  "plugin-install": 2,
  "resume-s3": 2,
};

const files = readdirSync(join(root, "test"))
  .filter((f) => f.endsWith(".test.mjs"))
  .map((f) => f.slice(0, -".test.mjs".length))
  .sort();
const sets = Array.from({ length: Math.min(shards, files.length) }, () => ({ names: [], weight: 0 }));
for (const name of [...files].sort((x, y) => (WEIGHT[y] ?? 1) - (WEIGHT[x] ?? 1))) {
  const lightest = sets.reduce((a, b) => (b.weight < a.weight ? b : a));
  lightest.names.push(name);
  lightest.weight += WEIGHT[name] ?? 1;
}

const started = Date.now();
const logs = join(root, ".test-logs");
mkdirSync(logs, { recursive: true });
const results = await Promise.all(
  sets.map(
    ({ names }, i) =>
      new Promise((resolve) => {
        const pattern = `^(${names.sort().join("|")})\\.test\\.mjs$`;
        const child = spawn(process.execPath, [uvu, "test", pattern, "-i", "fixtures", "-i", "helpers"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        const log = createWriteStream(join(logs, `shard-${i + 1}.log`));
        const take = (d) => {
          output += d;
          log.write(d);
        };
        child.stdout.on("data", take);
        child.stderr.on("data", take);
        child.on("close", (code) => {
          log.end();
          const report = `\n=== shard ${i + 1}/${sets.length}: ${names.join(", ")} (exit ${code}, ${((Date.now() - started) / 1000).toFixed(0)} s)\n${output}`;
          // A passing shard prints as it ends; a failing one is held back and printed last, so
          // that the tail of the run (all a CI page may keep) holds the failure.
          if (code === 0) process.stdout.write(report);
          resolve({ code, report });
        });
      }),
  ),
);
for (const { code, report } of results) if (code !== 0) process.stdout.write(report);
const failed = results.filter(({ code }) => code !== 0).length;
console.log(`\n${failed ? `${failed} of ${sets.length} shards failed` : `all ${sets.length} shards passed`} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
