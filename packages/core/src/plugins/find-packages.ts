import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { PLUGIN_MANIFEST_KEY, parsePluginManifest, type PluginManifest } from "@wlsync/plugin-api";

export const SYNCER_KEYWORD = "wildland.storage_sync";
export const BACKEND_KEYWORD = "wildland.storage_backend";

export type PluginKind = "syncer" | "backend";

/** Cheap metadata read from package.json; no plugin code is imported to find it. */
export interface PluginPackage {
  name: string;
  version: string;
  kind: PluginKind;
  /** Real path of the package folder. */
  dir: string;
  /** The module to import (resolved from `exports`, `main` or index.js). */
  entry: string;
  /**
   * Its classes' traits from package.json `wlsyncPlugin` (see plugin-api plugin-manifest.ts):
   * with it, the package is imported only when chosen; without, it is imported to read them.
   */
  manifest?: PluginManifest;
}

export interface PackageProblem {
  name: string;
  dir: string;
  reason: string;
}

interface PackageJson {
  name?: string;
  version?: string;
  keywords?: unknown;
  main?: string;
  exports?: unknown;
  [PLUGIN_MANIFEST_KEY]?: unknown;
}

/** The `.` export of a package: a string, or a conditions object (import > node > default). */
function entryOf(pkg: PackageJson): string | undefined {
  let target: unknown = pkg.exports;
  if (target && typeof target === "object" && "." in (target as Record<string, unknown>)) target = (target as Record<string, unknown>)["."];
  for (let depth = 0; target && typeof target === "object" && depth < 4; depth++) {
    const conditions = target as Record<string, unknown>;
    target = conditions.import ?? conditions.node ?? conditions.default;
  }
  if (typeof target === "string") return target;
  return pkg.main ?? "index.js";
}

/** node_modules folders from `start` up to the file-system root, nearest first. */
export function nodeModulesAbove(start: string): string[] {
  const out: string[] = [];
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, "node_modules");
    if (existsSync(candidate)) out.push(candidate);
    const parent = dirname(dir);
    if (parent === dir) return out;
    dir = parent;
  }
}

function packageDirsIn(nodeModules: string): string[] {
  const dirs: string[] = [];
  let names: string[];
  try {
    names = readdirSync(nodeModules);
  } catch {
    return dirs;
  }
  for (const name of names) {
    if (name.startsWith(".")) continue;
    if (name.startsWith("@")) {
      try {
        for (const scoped of readdirSync(join(nodeModules, name))) if (!scoped.startsWith(".")) dirs.push(join(nodeModules, name, scoped));
      } catch {
        // unreadable scope folder: nothing to find there
      }
    } else dirs.push(join(nodeModules, name));
  }
  return dirs;
}

/**
 * Every package carrying a plugin keyword in the node_modules folders above each root, nearest
 * root first. A package found twice (same name) is reported once: the nearer copy wins.
 */
export function findPluginPackages(roots: readonly string[]): { packages: PluginPackage[]; problems: PackageProblem[] } {
  const packages: PluginPackage[] = [];
  const problems: PackageProblem[] = [];
  const seenNames = new Set<string>();
  const seenFolders = new Set<string>();
  for (const root of roots) {
    for (const nodeModules of nodeModulesAbove(root)) {
      if (seenFolders.has(nodeModules)) continue;
      seenFolders.add(nodeModules);
      for (const packageDir of packageDirsIn(nodeModules)) {
        const manifest = join(packageDir, "package.json");
        let raw: string;
        try {
          raw = readFileSync(manifest, "utf8");
        } catch {
          continue; // not a package (or a dangling link): nothing installed here
        }
        if (!raw.includes("wildland.storage_")) continue;
        let pkg: PackageJson;
        try {
          pkg = JSON.parse(raw) as PackageJson;
        } catch (err) {
          problems.push({ name: packageDir, dir: packageDir, reason: `package.json is not valid JSON: ${(err as Error).message}` });
          continue;
        }
        const keywords = Array.isArray(pkg.keywords) ? pkg.keywords : [];
        const kinds: PluginKind[] = [];
        if (keywords.includes(SYNCER_KEYWORD)) kinds.push("syncer");
        if (keywords.includes(BACKEND_KEYWORD)) kinds.push("backend");
        if (kinds.length === 0) continue;
        const name = pkg.name ?? packageDir;
        if (seenNames.has(name)) continue;
        seenNames.add(name);
        const { manifest: traits, problem } = parsePluginManifest(pkg[PLUGIN_MANIFEST_KEY]);
        if (problem) {
          problems.push({ name, dir: packageDir, reason: `package.json: ${problem}` });
          continue;
        }
        let dir: string;
        try {
          dir = realpathSync(packageDir);
        } catch {
          dir = packageDir;
        }
        for (const kind of kinds) {
          packages.push({ name, version: pkg.version ?? "0.0.0", kind, dir, entry: resolve(dir, entryOf(pkg) ?? "index.js"), ...(traits ? { manifest: traits } : {}) });
        }
      }
    }
  }
  return { packages, problems };
}
