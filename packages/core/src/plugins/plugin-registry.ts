import { inject, injectable } from "../di/tsyringe.js";
import { checkManifest, PLUGIN_MANIFEST_KEY, type Logger, type StorageBackendClass, type SyncerClass } from "@wlsync/plugin-api";
import { TOKENS } from "../di/tokens.js";
import { findPluginPackages, type PluginKind, type PluginPackage } from "./find-packages.js";
import { loadPlugin } from "./load-plugin.js";
import { provideCoreWhereMissing } from "./provide-core.js";
import type { LoadedSyncer, SyncerCandidate } from "./select-syncer.js";

export interface LoadedBackend {
  cls: StorageBackendClass;
  pkg: PluginPackage;
}

export interface SkippedPackage {
  name: string;
  version?: string;
  kind?: PluginKind;
  dir: string;
  reason: string;
}

export interface PluginPolicy {
  allow?: string[];
  deny?: string[];
}

/** A syncer chosen from its traits; `load()` imports its package (once) and gives the class, or why it cannot. */
export interface SyncerEntry extends SyncerCandidate {
  load(): Promise<{ ok: true; syncer: LoadedSyncer } | { ok: false; reason: string }>;
}

type Loaded = { ok: true; classes: Array<SyncerClass | StorageBackendClass> } | { ok: false; reason: string };

/**
 * Finds plugin packages by keyword and keeps going past broken ones: every failure is collected
 * with its reason for `wl syncers`. A package that declares its classes' traits in package.json
 * (`wlsyncPlugin`, see plugin-api plugin-manifest.ts) is imported only when one of its classes
 * is used, and then only if its code says what its manifest says; one without is imported to
 * read them. Each package is imported at most once.
 */
@injectable()
export class PluginRegistry {
  private discovered?: { packages: PluginPackage[]; skipped: SkippedPackage[] };
  private readonly imports = new Map<PluginPackage, Promise<Loaded>>();
  private loaded?: Promise<{ syncers: LoadedSyncer[]; backends: LoadedBackend[]; skipped: SkippedPackage[] }>;

  constructor(
    @inject(TOKENS.PluginRoots) private readonly roots: string[],
    @inject(TOKENS.PluginPolicy) private readonly policy: PluginPolicy,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  /** package.json files only: no plugin code runs. Denied packages are left out (and listed as skipped). */
  private discover() {
    if (!this.discovered) {
      const { packages, problems } = findPluginPackages(this.roots);
      const skipped: SkippedPackage[] = problems.map((p) => ({ ...p }));
      const allowed: PluginPackage[] = [];
      for (const pkg of packages) {
        const denied = this.denial(pkg.name);
        if (denied) skipped.push({ name: pkg.name, version: pkg.version, kind: pkg.kind, dir: pkg.dir, reason: denied });
        else allowed.push(pkg);
      }
      this.discovered = { packages: allowed, skipped };
    }
    return this.discovered;
  }

  /** Imports a package once; a package whose manifest disagrees with its classes counts as broken. */
  private importPackage(pkg: PluginPackage): Promise<Loaded> {
    let loading = this.imports.get(pkg);
    if (!loading) {
      loading = (async (): Promise<Loaded> => {
        provideCoreWhereMissing([pkg], this.logger);
        const result = await loadPlugin<SyncerClass | StorageBackendClass>(pkg);
        if (!result.ok || !pkg.manifest) return result;
        const exported = pkg.kind === "syncer" ? { syncers: result.classes as SyncerClass[] } : { backends: result.classes as StorageBackendClass[] };
        const problems = checkManifest(pkg.manifest, exported);
        if (problems.length) return { ok: false, reason: `its package.json ${PLUGIN_MANIFEST_KEY} disagrees with its code: ${problems.join("; ")}` };
        return result;
      })();
      this.imports.set(pkg, loading);
    }
    return loading;
  }

  /**
   * Every syncer with its traits, for selection: from manifests without importing anything, and
   * by importing the packages that have none (those that fail are left out). Nearest first; a
   * SYNCER_NAME already taken by a nearer package is left out.
   */
  async syncerEntries(): Promise<SyncerEntry[]> {
    const entries: SyncerEntry[] = [];
    for (const pkg of this.discover().packages) {
      if (pkg.kind !== "syncer") continue;
      if (pkg.manifest) {
        for (const traits of pkg.manifest.syncers ?? []) {
          entries.push({
            traits,
            pkg,
            load: async () => {
              const loaded = await this.importPackage(pkg);
              if (!loaded.ok) return loaded;
              const cls = (loaded.classes as SyncerClass[]).find((c) => c.SYNCER_NAME === traits.SYNCER_NAME)!;
              return { ok: true, syncer: { cls, pkg } };
            },
          });
        }
        continue;
      }
      const loaded = await this.importPackage(pkg);
      if (!loaded.ok) continue;
      for (const cls of loaded.classes as SyncerClass[]) entries.push({ traits: cls, pkg, load: async () => ({ ok: true, syncer: { cls, pkg } }) });
    }
    const seen = new Set<string>();
    return entries.filter((e) => !seen.has(e.traits.SYNCER_NAME) && !!seen.add(e.traits.SYNCER_NAME));
  }

  /**
   * Every package imported and checked (`wl syncers`, `wl --version`): the classes that load, and
   * the packages skipped with their reasons.
   */
  private load() {
    this.loaded ??= (async () => {
      const { packages, skipped: found } = this.discover();
      const skipped: SkippedPackage[] = [...found];
      const syncers: LoadedSyncer[] = [];
      const backends: LoadedBackend[] = [];
      // Promise.all keeps discovery order (nearest first), which decides duplicates.
      const results = await Promise.all(packages.map(async (pkg) => ({ pkg, result: await this.importPackage(pkg) })));
      for (const { pkg, result } of results) {
        if (!result.ok) {
          this.logger.debug(`plugin ${pkg.name} skipped: ${result.reason}`);
          skipped.push({ name: pkg.name, version: pkg.version, kind: pkg.kind, dir: pkg.dir, reason: result.reason });
          continue;
        }
        for (const cls of result.classes) {
          if (pkg.kind === "syncer") syncers.push({ cls: cls as SyncerClass, pkg });
          else backends.push({ cls: cls as StorageBackendClass, pkg });
        }
      }
      // Code-unit order: localeCompare would load ICU's collator at every start for this (bench/README.md).
      const byName = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
      const uniqueSyncers = dedupe(syncers, (s) => s.cls.SYNCER_NAME, skipped).sort((x, y) => byName(x.cls.SYNCER_NAME, y.cls.SYNCER_NAME));
      const uniqueBackends = dedupe(backends, (b) => b.cls.TYPE, skipped).sort((x, y) => byName(x.cls.TYPE, y.cls.TYPE));
      skipped.sort((x, y) => byName(x.name, y.name));
      return { syncers: uniqueSyncers, backends: uniqueBackends, skipped };
    })();
    return this.loaded;
  }

  private denial(name: string): string | null {
    if (this.policy.deny?.includes(name)) return "denied by plugins.deny in the config";
    if (this.policy.allow && !this.policy.allow.includes(name)) return "not in plugins.allow in the config";
    return null;
  }

  /** Every syncer, imported (see load). */
  async syncers(): Promise<LoadedSyncer[]> {
    return (await this.load()).syncers;
  }

  /** Every backend, imported (see load). */
  async backends(): Promise<LoadedBackend[]> {
    return (await this.load()).backends;
  }

  async skipped(): Promise<SkippedPackage[]> {
    return (await this.load()).skipped;
  }

  /** The TYPE of every backend found, from manifests (packages without one are imported). */
  async backendTypes(): Promise<string[]> {
    const types = new Set<string>();
    for (const pkg of this.discover().packages) {
      if (pkg.kind !== "backend") continue;
      if (pkg.manifest) for (const b of pkg.manifest.backends ?? []) types.add(b.TYPE);
      else {
        const loaded = await this.importPackage(pkg);
        if (loaded.ok) for (const cls of loaded.classes as StorageBackendClass[]) types.add(cls.TYPE);
      }
    }
    return [...types];
  }

  /**
   * The backend class for a storage type, importing only the package that declares it (the
   * nearest; packages without a manifest are imported to look). `{ reason }`: the package that
   * declares it cannot be loaded; undefined: no package declares it.
   */
  async backendFor(type: string): Promise<LoadedBackend | { reason: string; pkg: PluginPackage } | undefined> {
    for (const pkg of this.discover().packages) {
      if (pkg.kind !== "backend") continue;
      if (pkg.manifest && !(pkg.manifest.backends ?? []).some((b) => b.TYPE === type)) continue;
      const loaded = await this.importPackage(pkg);
      if (!loaded.ok) {
        if (pkg.manifest) return { reason: loaded.reason, pkg };
        continue;
      }
      const cls = (loaded.classes as StorageBackendClass[]).find((c) => c.TYPE === type);
      if (cls) return { cls, pkg };
    }
    return undefined;
  }
}

/** Two packages claiming one SYNCER_NAME (or TYPE): the first found (nearest) wins, the other is reported. */
function dedupe<T extends { pkg: PluginPackage }>(items: T[], key: (item: T) => string, skipped: SkippedPackage[]): T[] {
  const seen = new Map<string, T>();
  return items.filter((item) => {
      const k = key(item);
      const first = seen.get(k);
      if (!first) {
        seen.set(k, item);
        return true;
      }
    skipped.push({ name: item.pkg.name, version: item.pkg.version, kind: item.pkg.kind, dir: item.pkg.dir, reason: `"${k}" is already provided by ${first.pkg.name}` });
    return false;
  });
}
