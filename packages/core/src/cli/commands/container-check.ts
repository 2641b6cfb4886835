import type { CheckResult, Difference } from "../../containers/check-storages.js";
import type { Command } from "../commander.js";
import { allTargets, examples, globalsOf, loadApp, out } from "../context.js";
import { formatBytes } from "../format.js";

/** Options of `wl container check NAME`. */
export interface ContainerCheckOptions {
  sourceStorage?: string;
  targetStorage?: string;
  all?: boolean;
  exclude?: string[];
  include?: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `only on a: x`, `differs: x (12 vs 14 bytes)`, `file vs folder: x` */
export function formatDifference(d: Difference, names: { source: string; target: string }): string {
  switch (d.kind) {
    case "only-source":
      return `only on ${names.source}: ${d.path}`;
    case "only-target":
      return `only on ${names.target}: ${d.path}`;
    case "content":
      return `differs: ${d.path} (${d.detail})`;
    case "kind":
      return `${d.detail}: ${d.path}`;
    case "link":
      return `links differ: ${d.path} (${d.detail})`;
  }
}

export function register(container: Command): void {
  container
    .command("check")
    .description("compare two storages by sha256 and list the differences; change nothing")
    .argument("<name>", "container name")
    .option("--source-storage <id|type>", "one storage (default: the first listed)")
    .option("--target-storage <id|type>", "the other (default: as for container sync)")
    .option("--all", "check the source against every other storage")
    .option("--exclude <pattern>", "leave out paths matching this pattern (repeatable)", collect, [])
    .option("--include <pattern>", "check these paths whatever ignore files say (repeatable)", collect, [])
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      examples(
        ["wl container check photos", "are laptop and nas identical? exit 0 if so, 1 with the differences listed"],
        ["wl container check --all photos", "the first storage against every other one"],
      ),
    )
    .addHelpText("after", "Exit status: 0 identical, 1 differences found, 2 some items could not be read, 3 fatal.\n")
    .action(async (name: string, opts: ContainerCheckOptions, cmd: Command) => {
      const { app, logger } = await loadApp(globalsOf(cmd), true);
      const { ContainerService } = await import("../../containers/container-service.js");
      const service = app.resolve(ContainerService);
      const selection = { source: opts.sourceStorage, target: opts.targetStorage };
      const pairs = opts.all ? allTargets(service, name, selection) : [selection];
      const results: CheckResult[] = [];
      for (const pair of pairs) {
        const result = await service.check(name, { ...pair, exclude: opts.exclude, include: opts.include });
        results.push(result);
        if (opts.json) continue;
        for (const w of result.warnings) logger.warn(w);
        for (const e of result.errors) logger.error(`${e.path}: ${e.message}`);
        for (const d of result.differences) out(formatDifference(d, result));
        const n = result.differences.length;
        out(`${result.source} ↔ ${result.target}: ${result.files.toLocaleString("en-US")} files (${formatBytes(result.bytes)}) compared; ${n ? `${n} difference${n === 1 ? "" : "s"}` : "identical"}${result.errors.length ? `; ${result.errors.length} not readable` : ""}`);
      }
      if (opts.json) out(JSON.stringify(opts.all ? results : results[0]));
      const errors = results.some((r) => r.errors.length);
      process.exitCode = errors ? 2 : results.some((r) => r.differences.length) ? 1 : 0;
    });
}
