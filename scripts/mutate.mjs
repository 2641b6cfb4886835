// `pnpm mutate [group...]`: builds, then runs Stryker (stryker.config.mjs) once per group of
// safety-critical code (planner, compare-and-swap, verification), and prints the mutation score
// per file: killed (or timed out) mutants over all mutants. Not part of `pnpm test`: a run
// takes minutes per group. Reports: reports/mutation/<group>.json.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { GROUPS } from "../stryker.config.mjs";

const groups = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(GROUPS);
for (const g of groups) if (!GROUPS[g]) throw new Error(`unknown group ${g}; groups: ${Object.keys(GROUPS).join(", ")}`);

execFileSync("pnpm", ["build"], { stdio: "inherit" });
const rows = [];
let failed = false;
for (const group of groups) {
  console.log(`\n== mutation testing: ${group}`);
  const run = spawnSync("node_modules/.bin/stryker", ["run"], { stdio: "inherit", env: { ...process.env, WLSYNC_MUTATE_GROUP: group, WLSYNC_MUTATION_RUN: "1" } });
  if (run.status !== 0) {
    failed = true;
    continue;
  }
  const report = JSON.parse(readFileSync(`reports/mutation/${group}.json`, "utf8"));
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const count = (s) => mutants.filter((m) => s.includes(m.status)).length;
    const killed = count(["Killed", "Timeout"]);
    const valid = mutants.length - count(["CompileError", "RuntimeError", "Ignored"]);
    rows.push({ group, file, killed, survived: count(["Survived"]), noCoverage: count(["NoCoverage"]), total: valid, score: valid ? ((100 * killed) / valid).toFixed(1) : "-" });
  }
}
// Stryker puts the files back after an in-place run; a forced build makes sure of it.
execFileSync("node_modules/.bin/tsc", ["-b", "--force", "packages/core", "packages/backend-local", "packages/syncer-rsync"], { stdio: "inherit" });
console.log("\nmutation score (killed / mutants) per file:");
console.table(rows);
process.exit(failed ? 1 : 0);
