import type { Command } from "../commander.js";
import { examples, globalsOf, loadApp, out } from "../context.js";
import { formatBytes, showPath } from "../format.js";

/** `wl container versions NAME [PATH]`: what passes replaced or deleted, kept on each storage. */
export function register(container: Command): void {
  container
    .command("versions")
    .description("list the versions kept of what passes replaced or deleted")
    .argument("<name>", "container name")
    .argument("[path]", "a file or folder (default: everything)")
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      examples(
        ["wl container versions photos", "every version kept on every storage of photos"],
        ["wl container versions photos 2026/trip", "the versions of one file, or of everything below a folder"],
      ),
    )
    .action(async (name: string, path: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const { app } = await loadApp(globalsOf(cmd), true);
      const versions = await app.resolve((await import("../../containers/version-service.js")).VersionService).list(name, path);
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
        out(`${v.storage.padEnd(width)}  ${v.time}  ${what.padStart(9)}  ${showPath(v.path)}`);
      }
    });
}
