#!/usr/bin/env node
// `pnpm bench`: every benchmark, one after the other, with the same arguments (--quick...):
// the local suite against the peers (run.mjs), start-up and daemon-answered passes against `node -e 0` (startup.mjs), rsync specifics (rsync.mjs), S3 against rclone
// (s3.mjs), local → sftp against rsync -e ssh and unison (sftp.mjs), a 1 GiB folder rename against
// rsync, rclone --track-renames and unison (rename.mjs), resuming an interrupted 2 GiB copy (resume.mjs), and continuous-sync latency for each local syncer (latency.mjs).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const steps = [
  ["run.mjs", args],
  ["startup.mjs", args],
  ["rsync.mjs", args],
  ["s3.mjs", args],
  ["sftp.mjs", args],
  ["rename.mjs", args],
  ["resume.mjs", args.filter((a) => a === "--quick")],
  ["latency.mjs", ["--syncer", "naive", ...(quick ? ["--samples", "50"] : [])]],
  ["latency.mjs", ["--syncer", "rsync", ...(quick ? ["--samples", "50"] : [])]],
];
let failed = 0;
for (const [script, stepArgs] of steps) {
  console.log(`\n=== bench/${script} ${stepArgs.join(" ")}`);
  const r = spawnSync(process.execPath, [join(here, script), ...stepArgs], { stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${script} exited ${r.status}`);
  }
}
process.exit(failed ? 1 : 0);
