import type { SyncRunOptions } from "../../containers/container-service.js";
import { UsageError } from "@wlsync/plugin-api";
import { parseConflictPolicy, type ConflictPolicy } from "../../engine/conflict-policy.js";
import type { ConflictResolution } from "../../engine/resolve-conflicts.js";
import type { Conflict, SyncResult } from "@wlsync/plugin-api";
import type { Command } from "../commander.js";
import { examples, globalsOf, loadApp, out } from "../context.js";
import { exitCodeOf, formatConflict, formatItemError, formatResolved, formatSummary } from "../format.js";

interface ResolveOptions {
  keep?: string;
  all?: boolean;
  sourceStorage?: string;
  targetStorage?: string;
  syncer?: string;
  dryRun?: boolean;
  json?: boolean;
}

const atOrBelow = (path: string, roots: readonly string[]) => roots.some((r) => r === "" || path === r || path.startsWith(`${r}/`));

/**
 * `wl container resolve NAME [PATH...] --keep POLICY [--all]`, and without `--keep` on a
 * terminal, one conflict at a time (keep a / keep b / both / skip / quit), as Unison asks.
 * Either way the decisions are carried out by one pass of the pair through its syncer: the kept
 * content goes to the other side by compare-and-swap (a side changed since it was shown stays
 * in conflict), and the replaced content is kept as a version.
 */
export function register(container: Command): void {
  container
    .command("resolve")
    .description("settle conflicts: keep one side (by storage, newer, older, larger, smaller) or both; interactive on a terminal without --keep")
    .argument("<name>", "container name")
    .argument("[paths...]", "the conflicted files or folders to settle")
    .option("--keep <policy>", "newer, older, larger, smaller, both, or a storage's backend-id")
    .option("--all", "every conflict of the pair")
    .option("--source-storage <id|type>", "the pair's first storage (default as for sync)")
    .option("--target-storage <id|type>", "the pair's second storage (default as for sync)")
    .option("--syncer <name>", "force a syncer by SYNCER_NAME")
    .option("--dry-run", "show what would be kept and change nothing")
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      examples(
        ["wl container resolve photos", "on a terminal: each conflict with both sides shown; keep a, b, both, or skip"],
        ["wl container resolve photos notes.txt --keep laptop", "laptop's notes.txt goes to the other storage; the other is kept as a version"],
        ["wl container resolve photos --all --keep newer --dry-run", "show what keeping the newer side of every conflict would do"],
        ["wl container resolve photos --all --keep both", "keep both: the loser as name.conflict-<storage>-<time>.ext on both storages"],
      ),
    )
    .action(async (name: string, paths: string[], opts: ResolveOptions, cmd: Command) => {
      const { app } = await loadApp(globalsOf(cmd), true);
      const [{ ContainerService }, { normalisePath }] = await Promise.all([import("../../containers/container-service.js"), import("../../containers/version-service.js")]);
      const service = app.resolve(ContainerService);
      const pair = service.resolvePair(name, { source: opts.sourceStorage, target: opts.targetStorage });
      const ids = pair.container.storages.map((s) => s["backend-id"]);
      const wanted = paths.map(normalisePath);
      const base: SyncRunOptions = { source: pair.source["backend-id"], target: pair.target["backend-id"], syncer: opts.syncer };
      let resolution: ConflictResolution;
      if (opts.keep) {
        if (!wanted.length && !opts.all) throw new UsageError(`name the conflicts to settle (wl container resolve ${name} PATH... --keep ${opts.keep}), or settle all of them with --all`);
        const policy = parseConflictPolicy(opts.keep, ids);
        const shown = await service.shownConflicts(pair);
        resolution = { policy, ...(wanted.length ? { paths: wanted } : {}), ...(shown ? { shown: tokensOf(shown) } : {}) };
      } else {
        if (!process.stdin.isTTY || !process.stdout.isTTY) {
          throw new UsageError(`--keep POLICY is needed when not on a terminal (newer, older, larger, smaller, both, or a storage: ${ids.join(", ")})`);
        }
        const scan = await service.oneShot(name, { ...base, dryRun: true }, () => {});
        const conflicts = scan.conflicts.filter((c) => !wanted.length || atOrBelow(c.path, wanted));
        if (!conflicts.length) {
          out(`no conflicts between ${scan.source} and ${scan.target}${wanted.length ? ` at ${wanted.join(", ")}` : ""}`);
          return;
        }
        const decisions = await ask(conflicts);
        if (!decisions.size) {
          out("nothing decided; nothing changed");
          process.exitCode = 1;
          return;
        }
        resolution = { decisions, shown: tokensOf(conflicts) };
      }
      const result = await service.oneShot(name, { ...base, dryRun: !!opts.dryRun, resolution }, () => {});
      report(result, !!opts.json);
      process.exitCode = exitCodeOf(result);
    });
}

function tokensOf(conflicts: readonly Conflict[]): Map<string, { sourceToken?: string; targetToken?: string }> {
  return new Map(conflicts.map((c) => [c.path, { sourceToken: c.sourceToken, targetToken: c.targetToken }]));
}

/** Walks through the conflicts on the terminal; returns the decisions (skipped ones left out). */
async function ask(conflicts: readonly Conflict[]): Promise<Map<string, ConflictPolicy>> {
  // node:readline here, not at start: every wl command loads this module to declare its options.
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const decisions = new Map<string, ConflictPolicy>();
  try {
    for (const [i, conflict] of conflicts.entries()) {
      const [a, b] = conflict.sides ?? [];
      if (!a || !b) continue;
      out("");
      out(`conflict ${i + 1} of ${conflicts.length}: ${formatConflict(conflict).join("\n")}`);
      for (;;) {
        const answer = (await rl.question(`keep (a) ${a.storage}, (b) ${b.storage}, (2) both, (s) skip, (q) quit? `)).trim().toLowerCase();
        if (answer === "a" || answer === a.storage.toLowerCase()) decisions.set(conflict.path, { kind: "storage", storage: a.storage });
        else if (answer === "b" || answer === b.storage.toLowerCase()) decisions.set(conflict.path, { kind: "storage", storage: b.storage });
        else if (answer === "2" || answer === "both") decisions.set(conflict.path, { kind: "both" });
        else if (answer === "s" || answer === "skip" || answer === "") {
          // left in conflict
        } else if (answer === "q" || answer === "quit") return decisions;
        else {
          out("  answer a, b, 2 (both), s (skip) or q (quit)");
          continue;
        }
        break;
      }
    }
    return decisions;
  } finally {
    rl.close();
  }
}

function report(result: SyncResult, json: boolean): void {
  if (json) {
    out(JSON.stringify(result, null, 2));
    return;
  }
  for (const r of result.resolved ?? []) out(formatResolved(r, result.dryRun));
  for (const c of result.conflicts) process.stderr.write(`conflict: ${formatConflict(c).join("\n")}\n`);
  for (const e of result.errors) process.stderr.write(`error: ${formatItemError(e)}\n`);
  out(`${result.dryRun ? "dry run: " : ""}${formatSummary(result)} [${result.syncer}, ${result.direction}, ${(result.durationMs / 1000).toFixed(2)} s]`);
}
