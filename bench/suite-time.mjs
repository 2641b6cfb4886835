#!/usr/bin/env node
// Times the test suite of two checkouts (each installed and built), file by file: every test
// file runs alone (`uvu test '^NAME\.test\.mjs$'`, one process, as one shard would run it), and
// the two checkouts alternate file by file (which one goes first alternates too), so load from
// other work on the machine falls on both alike. Files only one checkout has run once each.
//
//   node bench/suite-time.mjs --before DIR --after DIR [--runs N] [--out results.json] [--only REGEX]
//
// Prints, per file: wall seconds (median over the runs), tests run (uvu's "Total"), and the
// 1-minute load average when the file started; writes every run to --out (JSON) as it goes.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { before: { type: "string" }, after: { type: "string" }, runs: { type: "string", default: "1" }, out: { type: "string" }, only: { type: "string" } },
});
if (!values.before || !values.after) {
  console.error("usage: node bench/suite-time.mjs --before DIR --after DIR [--runs N] [--out FILE] [--only REGEX]");
  process.exit(2);
}
const trees = { before: resolve(values.before), after: resolve(values.after) };
for (const dir of Object.values(trees)) if (!existsSync(join(dir, "packages/core/dist"))) throw new Error(`${dir}: not built (pnpm install && pnpm build)`);
const only = values.only ? new RegExp(values.only) : null;
const filesOf = (dir) =>
  readdirSync(join(dir, "test"))
    .filter((f) => f.endsWith(".test.mjs"))
    .map((f) => f.slice(0, -".test.mjs".length))
    .filter((n) => !only || only.test(n))
    .sort();
const names = { before: new Set(filesOf(trees.before)), after: new Set(filesOf(trees.after)) };
const common = [...names.after].filter((n) => names.before.has(n));
const runs = [];

function runFile(tree, name) {
  const load = loadavg()[0];
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [join(trees[tree], "node_modules/uvu/bin.js"), "test", `^${name}\\.test\\.mjs$`], {
    cwd: trees[tree],
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const out = `${child.stdout}${child.stderr}`;
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? Number.NaN);
  const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? Number.NaN);
  const run = { tree, name, seconds: Number(seconds.toFixed(2)), tests: total, passed, exit: child.status, load: Number(load.toFixed(2)) };
  runs.push(run);
  console.log(JSON.stringify(run));
  if (values.out) writeFileSync(values.out, JSON.stringify(runs, null, 1));
}

const rounds = Number(values.runs);
for (let r = 0; r < rounds; r++) {
  common.forEach((name, i) => {
    const order = (i + r) % 2 === 0 ? ["before", "after"] : ["after", "before"];
    for (const tree of order) runFile(tree, name);
  });
}
for (const tree of ["before", "after"]) for (const name of names[tree]) if (!common.includes(name)) runFile(tree, name);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const rows = [];
for (const name of [...new Set([...names.before, ...names.after])].sort()) {
  const row = { file: name };
  for (const tree of ["before", "after"]) {
    const mine = runs.filter((r) => r.tree === tree && r.name === name);
    if (!mine.length) continue;
    row[`${tree} s`] = Number(median(mine.map((r) => r.seconds)).toFixed(1));
    row[`${tree} tests`] = mine[0].tests;
    if (mine.some((r) => r.exit !== 0)) row[`${tree} failed`] = true;
  }
  rows.push(row);
}
console.table(rows);
