import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PluginRegistry } from "../plugins/plugin-registry.js";

/** The version of @wlsync/core (this package), from its package.json. */
export function coreVersion(): string {
  const manifest = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/** The package a `wl` executable comes from, when it is not core's own bin (the `wlsync` package). */
export interface Distribution {
  name: string;
  version: string;
}

/**
 * `wl --version`: the distribution (if any), core, and every plugin package found, one per line:
 * `wlsync 0.1.0`, `@wlsync/core 0.1.0`, `@wlsync/syncer-rsync 0.1.0 (syncer rsync)`, and
 * packages that failed to load with the reason.
 */
export async function versionLines(registry: PluginRegistry, distribution?: Distribution): Promise<string[]> {
  const lines: string[] = [];
  if (distribution) lines.push(`${distribution.name} ${distribution.version}`);
  lines.push(`@wlsync/core ${coreVersion()}`);
  const plugins = new Map<string, { version: string; what: string[] }>();
  const add = (pkg: { name: string; version: string }, what: string) => {
    const entry = plugins.get(pkg.name) ?? { version: pkg.version, what: [] };
    entry.what.push(what);
    plugins.set(pkg.name, entry);
  };
  for (const { cls, pkg } of await registry.backends()) add(pkg, `backend ${cls.TYPE}`);
  for (const { cls, pkg } of await registry.syncers()) add(pkg, `syncer ${cls.SYNCER_NAME}`);
  for (const [name, { version, what }] of [...plugins].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`${name} ${version} (${what.join(", ")})`);
  for (const s of await registry.skipped()) lines.push(`${s.name}${s.version ? ` ${s.version}` : ""} (skipped: ${s.reason})`);
  lines.push(`node ${process.versions.node}`);
  return lines;
}
