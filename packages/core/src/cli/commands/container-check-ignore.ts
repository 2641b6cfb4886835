import type { StorageBackend } from "@wlsync/plugin-api";
import type { FilterVerdict } from "../../engine/path-filter.js";
import type { Command } from "../commander.js";
import { examples, globalsOf, loadApp, out } from "../context.js";

/** Options of `wl container check-ignore NAME PATH...`. */
export interface CheckIgnoreOptions {
  exclude?: string[];
  include?: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `photos/x.env: excluded by photos/.wlsyncignore:3: *.env` */
export function describeVerdict(path: string, v: FilterVerdict): string {
  if (v.own) return `${path}: excluded: wl's own file (never synced)`;
  if (!v.rule) return `${path}: included (no rule matches)`;
  const where = `${v.rule.origin}${v.rule.line ? `:${v.rule.line}` : ""}: ${v.rule.pattern}`;
  const folder = v.viaFolder ? ` (its folder ${v.viaFolder}/ is excluded)` : "";
  return `${path}: ${v.included ? "included" : "excluded"} by ${where}${folder}`;
}

export function register(container: Command): void {
  container
    .command("check-ignore")
    .description("say whether paths take part in syncing, and which rule (file and line) decided")
    .argument("<name>", "container name")
    .argument("<path...>", "paths relative to the storage roots (a trailing / for a folder not on disk)")
    .option("--exclude <pattern>", "as with container sync: an extra exclude pattern", collect, [])
    .option("--include <pattern>", "as with container sync: an extra include pattern", collect, [])
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      examples(
        ["wl container check-ignore photos raw/tmp/x.cr2", "which ignore file and line leaves raw/tmp/x.cr2 out (exit 0), or exit 1 when it is synced"],
        ["wl container check-ignore photos build/ --exclude 'build/'", "the same with a pattern given on the command line"],
      ),
    )
    .addHelpText("after", "Exit status (as git check-ignore): 0 when at least one path is excluded, 1 when none is, 3 on errors.\n")
    .action(async (name: string, paths: string[], opts: CheckIgnoreOptions, cmd: Command) => {
      const { app } = await loadApp(globalsOf(cmd), true);
      const [{ ContainerService }, { readSmallText }] = await Promise.all([import("../../containers/container-service.js"), import("../../engine/ignore-files.js")]);
      const service = app.resolve(ContainerService);
      const config = service.container(name);
      await service.checkStorages(name);
      const backends: StorageBackend[] = [];
      try {
        for (const storage of config.storages) backends.push(await service.buildBackend(storage));
        let filter = await service.loadFilter(config, backends, { exclude: opts.exclude, include: opts.include });
        const verdicts = [];
        for (const raw of paths) {
          const path = raw.replace(/^\.?\/+/, "").replace(/\/+$/, "");
          // Ignore files in the folders above the path apply to it.
          const parts = path.split("/");
          const files: Array<{ path: string; text: string }> = [];
          for (let i = 1; i < parts.length; i++) {
            const folder = parts.slice(0, i).join("/");
            for (const file of filter.ignoreFileNames.map((n) => `${folder}/${n}`)) {
              for (const backend of backends) {
                const entry = await backend.stat(file).catch(() => null);
                if (entry?.kind !== "file") continue;
                const text = await readSmallText(backend, file);
                if (text !== undefined) files.push({ path: file, text });
              }
            }
          }
          if (files.length) filter = filter.withIgnoreFiles(files);
          let isDir = raw.endsWith("/");
          for (const backend of backends) if (!isDir) isDir = (await backend.stat(path).catch(() => null))?.kind === "dir";
          verdicts.push({ path, isDir, ...filter.explain(path, isDir) });
        }
        if (opts.json) out(JSON.stringify(verdicts, null, 2));
        else for (const v of verdicts) out(describeVerdict(v.isDir ? `${v.path}/` : v.path, v));
        process.exitCode = verdicts.some((v) => !v.included) ? 0 : 1;
      } finally {
        await Promise.all(backends.map((b) => b.close()));
      }
    });
}
