// Mutation testing of the safety-critical code with Stryker (`pnpm mutate`, not part of
// `pnpm test`): the planner, the racy-token rule, compare-and-swap and verification. Each group
// mutates the BUILT JavaScript (tsc's output is line for line the TypeScript, without types)
// in place, and runs the fast unit tests that cover it (uvu, through Stryker's command runner,
// stopping at the first failure). `scripts/mutate.mjs` runs the groups one after the other and
// rebuilds afterwards; WLSYNC_MUTATE_GROUP picks one group.
import { readFileSync } from "node:fs";

/** `file:from-to`: the lines of `file` from the one starting with `start` to the one before `end` (or the end of the file). */
function linesOf(file, start, end) {
  const lines = readFileSync(file, "utf8").split("\n");
  const from = lines.findIndex((l) => l.trimStart().startsWith(start));
  if (from < 0) throw new Error(`stryker.config.mjs: ${file} has no line starting with "${start}" (rebuild, or update the marker)`);
  const stop = end === undefined ? lines.length : lines.findIndex((l, i) => i > from && l.trimStart().startsWith(end));
  if (stop < 0) throw new Error(`stryker.config.mjs: ${file} has no line starting with "${end}" after "${start}"`);
  return `${file}:${from + 1}-${stop}`;
}

const uvu = (pattern) => `node node_modules/uvu/bin.js test "${pattern}" --bail`;
const LOCAL = "packages/backend-local/dist/local-backend.js";
const RSYNC = "packages/syncer-rsync/dist/rsync-transferer.js";

export const GROUPS = {
  planner: {
    mutate: () => [
      "packages/core/dist/engine/plan.js",
      "packages/core/dist/engine/side.js",
      "packages/core/dist/state/racy.js",
      linesOf("packages/core/dist/engine/scan.js", "function needsHash"),
    ],
    command: uvu("^(plan|scan|racy)\\.test\\.mjs$"),
  },
  "compare-and-swap": {
    mutate: () => [
      linesOf(LOCAL, "async assertExpected(", "ensureParent("),
      linesOf(LOCAL, "async openForSafeReplace(", "async openReader("),
      linesOf(LOCAL, "async replaceWhole(", "async mkdir("),
      linesOf(LOCAL, "async remove(", "watcher()"),
      "packages/syncer-rsync/dist/compare-and-swap.js",
      // The plugin API's verdict and safe placement, used by backend-local and syncer-rsync.
      "packages/plugin-api/dist/compare-and-swap.js",
      "packages/plugin-api/dist/local-files.js",
    ],
    // The direct unit tests first (a second together): most mutants die there, before the slower files run.
    command: `${uvu("^(place-file|local-backend-cas|rsync-compare-and-swap)\\.test\\.mjs$")} && ${uvu("^(copy-guards|kit-backend-local|rsync-transferer)\\.test\\.mjs$")}`,
  },
  verification: {
    mutate: () => [linesOf(RSYNC, "function carriesSourceTime(", "export class"), linesOf(RSYNC, "async settle(", "notTransferred(")],
    command: uvu("^rsync-transferer\\.test\\.mjs$"),
  },
};

const group = GROUPS[process.env.WLSYNC_MUTATE_GROUP ?? "planner"];
if (!group) throw new Error(`WLSYNC_MUTATE_GROUP must be one of ${Object.keys(GROUPS).join(", ")}`);

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "command",
  commandRunner: { command: group.command },
  mutate: group.mutate(),
  // In place: the tests import the packages by name, which resolves to the real folders.
  inPlace: true,
  // Stryker would add "// @ts-nocheck" to every source file (in place: the real ones) for its
  // TypeScript checker; the mutated files here are built JavaScript, no type check runs.
  disableTypeChecks: false,
  coverageAnalysis: "off",
  // Two cores, shared: one mutant at a time per core.
  concurrency: 2,
  timeoutMS: 30_000,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: `reports/mutation/${process.env.WLSYNC_MUTATE_GROUP ?? "planner"}.json` },
  // `stryker run --incremental` re-tests only the mutants whose code or tests changed; one file per group.
  incrementalFile: `reports/stryker-incremental-${process.env.WLSYNC_MUTATE_GROUP ?? "planner"}.json`,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
