#!/usr/bin/env node
// Installs what the rsync syncer needs when it is missing: rsync, from Debian's packages when
// running as root with apt-get; otherwise says how. wl still works without it (the naive syncer
// serves local <-> sftp pairs too; local folders use naive anyway).
import { spawnSync } from "node:child_process";

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

if (has("rsync")) process.exit(0);
if (process.getuid?.() === 0 && has("apt-get")) {
  console.log("rsync is missing: installing it with apt-get");
  let r = spawnSync("apt-get", ["install", "-y", "-qq", "rsync"], { stdio: "inherit" });
  if (r.status !== 0) {
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    r = spawnSync("apt-get", ["install", "-y", "-qq", "rsync"], { stdio: "inherit" });
  }
  if (r.status === 0) process.exit(0);
}
console.warn("warning: rsync is not installed; wl will use the naive syncer between local and sftp storages too (rsync's delta transfer over ssh is then unavailable; local folders use naive anyway). Install it with your package manager (e.g. sudo apt-get install rsync).");
