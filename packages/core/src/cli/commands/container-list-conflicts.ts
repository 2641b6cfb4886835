import type { Command } from "../commander.js";
import { examples, globalsOf, loadApp, out } from "../context.js";
import { formatConflict } from "../format.js";

/** Options of `wl container list-conflicts NAME`. */
export interface ListConflictsOptions {
  forceScan?: boolean;
  json?: boolean;
}

export function register(container: Command): void {
  container
    .command("list-conflicts")
    .description("conflicts between every pair of the container's storages")
    .argument("<name>", "container name")
    .option("--force-scan", "scan the storages now instead of reporting the last pass")
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      examples(
        ["wl container list-conflicts photos", "conflicts left by the last pass of each pair (exit 1 if any)"],
        ["wl container list-conflicts --force-scan photos", "scan every pair now"],
      ),
    )
    .action(async (name: string, opts: ListConflictsOptions, cmd: Command) => {
      const { app } = await loadApp(globalsOf(cmd), true);
      const { ContainerService } = await import("../../containers/container-service.js");
      const pairs = await app.resolve(ContainerService).listConflicts(name, !!opts.forceScan);
      const total = pairs.reduce((n, p) => n + p.conflicts.length, 0);
      if (opts.json) out(JSON.stringify(pairs, null, 2));
      else {
        for (const pair of pairs) {
          const note = pair.scanned ? "scanned now" : "as of the last pass";
          out(`${pair.source} ↔ ${pair.target} (${note}): ${pair.conflicts.length} conflict${pair.conflicts.length === 1 ? "" : "s"}`);
          for (const c of pair.conflicts) for (const line of formatConflict(c)) out(`  ${line}`);
        }
      }
      process.exitCode = total ? 1 : 0;
    });
}
