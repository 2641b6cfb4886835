// `pnpm mutate [--retest-survivors] [--concurrency N] [group...]`: builds, then runs Stryker
// (stryker.config.mjs) once per group of safety-critical code (planner, compare-and-swap,
// verification), and prints the mutation score per file: killed (or timed out) mutants over all
// mutants. Not part of `pnpm test`: a run takes minutes per group. Reports:
// reports/mutation/<group>.json, and reports/stryker-incremental-<group>.json for the next run.
//
// --retest-survivors: after adding tests, re-runs only the mutants the last run of the group did
// not kill (Stryker's --incremental, with those dropped from its incremental file). Stryker's own
// incremental mode cannot see that tests changed behind the command runner, so it would reuse
// every survivor; killed mutants are reused (new tests do not revive them), and a mutant whose
// code changed is tested again either way. Without it, every mutant is tested (--force).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { GROUPS } from "../stryker.config.mjs";

const args = process.argv.slice(2);
const retest = args.includes("--retest-survivors");
// Other options go to Stryker as they are (e.g. `--concurrency 1`).
const strykerArgs = args.filter((a, i) => a !== "--retest-survivors" && (a.startsWith("--") || args[i - 1]?.startsWith("--concurrency")));
const named = args.filter((a) => a !== "--retest-survivors" && !strykerArgs.includes(a));
const groups = named.length ? named : Object.keys(GROUPS);
for (const g of groups) if (!GROUPS[g]) throw new Error(`unknown group ${g}; groups: ${Object.keys(GROUPS).join(", ")}`);

// Unbundled (WLSYNC_NO_BUNDLE, scripts/bundle.mjs): Stryker mutates tsc's modules in place, and
// the tests and `wl` must run those files, not a bundle made from them before.
execFileSync("pnpm", ["build"], { stdio: "inherit", env: { ...process.env, WLSYNC_NO_BUNDLE: "1" } });
const rows = [];
let failed = false;
for (const group of groups) {
  console.log(`\n== mutation testing: ${group}`);
  const incremental = `reports/stryker-incremental-${group}.json`;
  if (retest && existsSync(incremental)) {
    const previous = JSON.parse(readFileSync(incremental, "utf8"));
    for (const file of Object.values(previous.files)) file.mutants = file.mutants.filter((m) => m.status === "Killed" || m.status === "Timeout");
    writeFileSync(incremental, JSON.stringify(previous));
  }
  const run = spawnSync("node_modules/.bin/stryker", ["run", "--incremental", ...(retest ? [] : ["--force"]), ...strykerArgs], { stdio: "inherit", env: { ...process.env, WLSYNC_MUTATE_GROUP: group, WLSYNC_MUTATION_RUN: "1" } });
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
execFileSync("node", ["scripts/bundle.mjs"], { stdio: "inherit" });
console.log("\nmutation score (killed / mutants) per file:");
console.table(rows);
process.exit(failed ? 1 : 0);
