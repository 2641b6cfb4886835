#!/usr/bin/env node
// Runs a demo sync of examples/demo: seeds the "laptop" folder on first run, puts one file only
// in "backup", then syncs both ways with the built `wl` and shows what each folder holds.
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const demo = join(root, "examples", "demo");
const wl = join(root, "packages", "core", "bin", "wl.js");

if (!existsSync(join(demo, "laptop"))) cpSync(join(demo, "seed"), join(demo, "laptop"), { recursive: true });
mkdirSync(join(demo, "backup"), { recursive: true });
if (!existsSync(join(demo, "backup", "from-backup.txt"))) writeFileSync(join(demo, "backup", "from-backup.txt"), "written on the backup side\n");

const run = (...args) => {
  console.log(`$ wl ${args.join(" ")}`);
  const r = spawnSync(process.execPath, [wl, ...args], { cwd: demo, stdio: "inherit", env: { ...process.env, WLSYNC_STATE_DIR: "" } });
  return r.status ?? 3;
};

const list = (dir) => {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, name.name);
      if (name.isDirectory()) walk(p);
      else out.push(relative(join(demo, dir), p));
    }
  };
  walk(join(demo, dir));
  return out.sort();
};

let code = run("syncers");
code = Math.max(code, run("container", "sync", "--one-shot", "demo"));
console.log(`\nlaptop: ${list("laptop").join(", ")}\nbackup: ${list("backup").join(", ")}`);
console.log(`\nThe demo lives in ${relative(process.cwd(), demo) || "."}; edit files there and run:\n  cd examples/demo && pnpm exec wl container sync --one-shot demo`);
process.exit(code);
