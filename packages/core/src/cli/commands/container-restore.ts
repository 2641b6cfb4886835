import type { Command } from "../commander.js";
import { examples, globalsOf, loadApp, out } from "../context.js";
import { showPath } from "../format.js";

/** `wl container restore NAME PATH [--version TIME] [--to STORAGE]`: a kept version back in place. */
export function register(container: Command): void {
  container
    .command("restore")
    .description("bring back a version (a normal change: the next pass syncs it); a folder brings back its deleted files")
    .argument("<name>", "container name")
    .argument("<path>", "the file (or folder) to bring back")
    .option("--version <time>", "which version, by its time as listed (a prefix is enough; default: the newest)")
    .option("--to <storage>", "write it on this storage (default: the storage that keeps the version)")
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      examples(
        ["wl container restore photos notes.txt", "the newest version of notes.txt, on the storage that keeps it"],
        ["wl container restore photos notes.txt --version 2026-11-30T13:49 --to laptop", "that version, written on laptop"],
        ["wl container restore photos 2026/trip", "every deleted file below 2026/trip that has a version"],
      ),
    )
    .action(async (name: string, path: string, opts: { version?: string; to?: string; json?: boolean }, cmd: Command) => {
      const { app } = await loadApp(globalsOf(cmd), true);
      const report = await app.resolve((await import("../../containers/version-service.js")).VersionService).restore(name, path, { version: opts.version, to: opts.to });
      if (opts.json) {
        out(JSON.stringify({ restored: report.restored.map((r) => ({ path: r.path, storage: r.to, from: r.from, version: r.version.time, result: r.result })), skipped: report.skipped }, null, 2));
        return;
      }
      for (const r of report.restored) {
        const source = r.from === r.to ? "" : ` (kept on ${r.from})`;
        out(r.result === "unchanged" ? `${showPath(r.path)}: ${r.to} already holds the version of ${r.version.time}` : `restored ${showPath(r.path)} on ${r.to} from the version of ${r.version.time}${source}`);
      }
      for (const s of report.skipped) out(`skipped ${showPath(s.path)} on ${s.storage}: ${s.reason}`);
      if (report.restored.some((r) => r.result === "restored")) out(`the next pass syncs it to the other storages (wl container sync --one-shot ${name})`);
    });
}
