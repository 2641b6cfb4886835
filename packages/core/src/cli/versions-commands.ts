import type { Command } from "./commander.js";
import type { DependencyContainer } from "../di/tsyringe.js";
import { VersionService } from "../containers/version-service.js";
import { formatBytes } from "./format.js";

export type LoadApp = (cmd: Command) => Promise<{ app: DependencyContainer }>;

const out = (line: string) => process.stdout.write(`${line}\n`);

/** `wl container versions NAME [PATH]` and `wl container restore NAME PATH`. */
export function registerVersionCommands(containerCmd: Command, loadApp: LoadApp): void {
  containerCmd
    .command("versions")
    .description("list the versions kept of what passes replaced or deleted")
    .argument("<name>", "container name")
    .argument("[path]", "a file or folder (default: everything)")
    .option("--json", "machine-readable output")
    .action(async (name: string, path: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const { app } = await loadApp(cmd);
      const versions = await app.resolve(VersionService).list(name, path);
      if (opts.json) {
        out(JSON.stringify(versions.map(({ storage, path: p, time, size, kind, name: id, linkTarget }) => ({ storage, path: p, time, size, kind, name: id, ...(linkTarget !== undefined ? { linkTarget } : {}) })), null, 2));
        return;
      }
      if (!versions.length) {
        out(`no versions kept${path ? ` of ${path}` : ""} on ${name}'s storages`);
        return;
      }
      const width = Math.max(...versions.map((v) => v.storage.length));
      for (const v of versions) {
        const what = v.kind === "symlink" ? `-> ${v.linkTarget}` : formatBytes(v.size);
        out(`${v.storage.padEnd(width)}  ${v.time}  ${what.padStart(9)}  ${v.path}`);
      }
    });

  containerCmd
    .command("restore")
    .description("bring back a version (a normal change: the next pass syncs it); a folder brings back its deleted files")
    .argument("<name>", "container name")
    .argument("<path>", "the file (or folder) to bring back")
    .option("--version <time>", "which version, by its time as listed (a prefix is enough; default: the newest)")
    .option("--to <storage>", "write it on this storage (default: the storage that keeps the version)")
    .option("--json", "machine-readable output")
    .action(async (name: string, path: string, opts: { version?: string; to?: string; json?: boolean }, cmd: Command) => {
      const { app } = await loadApp(cmd);
      const report = await app.resolve(VersionService).restore(name, path, { version: opts.version, to: opts.to });
      if (opts.json) {
        out(JSON.stringify({ restored: report.restored.map((r) => ({ path: r.path, storage: r.to, from: r.from, version: r.version.time, result: r.result })), skipped: report.skipped }, null, 2));
        return;
      }
      for (const r of report.restored) {
        const source = r.from === r.to ? "" : ` (kept on ${r.from})`;
        out(r.result === "unchanged" ? `${r.path}: ${r.to} already holds the version of ${r.version.time}` : `restored ${r.path} on ${r.to} from the version of ${r.version.time}${source}`);
      }
      for (const s of report.skipped) out(`skipped ${s.path} on ${s.storage}: ${s.reason}`);
      if (report.restored.some((r) => r.result === "restored")) out(`the next pass syncs it to the other storages (wl container sync --one-shot ${name})`);
    });
}
