import { inject, injectable } from "../di/tsyringe.js";
import type { SyncerClass } from "@wlsync/plugin-api";
import type { StorageBackendClass } from "@wlsync/plugin-api";
import type { Logger } from "@wlsync/plugin-api";
import { TOKENS } from "../di/tokens.js";
import { findPluginPackages, type PluginKind, type PluginPackage } from "./find-packages.js";
import { loadPlugin } from "./load-plugin.js";
import { provideCoreWhereMissing } from "./provide-core.js";
import type { LoadedSyncer } from "./select-syncer.js";

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

/**
 * Finds plugin packages by keyword, imports each lazily and once, and keeps going past broken
 * ones: every failure is collected with its reason for `wl syncers`.
 */
@injectable()
export class PluginRegistry {
  private loaded?: Promise<{ syncers: LoadedSyncer[]; backends: LoadedBackend[]; skipped: SkippedPackage[] }>;

  constructor(
    @inject(TOKENS.PluginRoots) private readonly roots: string[],
    @inject(TOKENS.PluginPolicy) private readonly policy: PluginPolicy,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  private load() {
    this.loaded ??= (async () => {
      const { packages, problems } = findPluginPackages(this.roots);
      const skipped: SkippedPackage[] = problems.map((p) => ({ ...p }));
      const syncers: LoadedSyncer[] = [];
      const backends: LoadedBackend[] = [];
      provideCoreWhereMissing(packages.filter((pkg) => !this.denial(pkg.name)), this.logger);
      // Promise.all keeps discovery order (nearest first), which decides duplicates.
      const results = await Promise.all(
        packages.map(async (pkg) => {
          const denied = this.denial(pkg.name);
          if (denied) return { pkg, reason: denied };
          const result = await loadPlugin<SyncerClass | StorageBackendClass>(pkg);
          return result.ok ? { pkg, classes: result.classes } : { pkg, reason: result.reason };
        }),
      );
      for (const { pkg, classes, reason } of results as Array<{ pkg: PluginPackage; classes?: Array<SyncerClass | StorageBackendClass>; reason?: string }>) {
        if (!classes) {
          this.logger.debug(`plugin ${pkg.name} skipped: ${reason}`);
          skipped.push({ name: pkg.name, version: pkg.version, kind: pkg.kind, dir: pkg.dir, reason: reason ?? "unknown" });
          continue;
        }
        for (const cls of classes) {
          if (pkg.kind === "syncer") syncers.push({ cls: cls as SyncerClass, pkg });
          else backends.push({ cls: cls as StorageBackendClass, pkg });
        }
      }
      // Code-unit order: localeCompare would load ICU's collator (about 10 ms of every start) for this.
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

  async syncers(): Promise<LoadedSyncer[]> {
    return (await this.load()).syncers;
  }

  async backends(): Promise<LoadedBackend[]> {
    return (await this.load()).backends;
  }

  async skipped(): Promise<SkippedPackage[]> {
    return (await this.load()).skipped;
  }

  async backendFor(type: string): Promise<LoadedBackend | undefined> {
    return (await this.backends()).find((b) => b.cls.TYPE === type);
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
