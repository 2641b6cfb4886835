import { realpathSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";
import { inject, injectable, type DependencyContainer } from "../di/tsyringe.js";
import { resolveFrom, type LoadedConfig } from "../config/read-config.js";
import type { ContainerConfig, StorageConfig } from "../config/wlsyncrc.generated.js";
import type { BaseSyncer, SyncOptions, SyncerContext } from "@wlsync/plugin-api";
import { ConfigError, errorMessage, NoSyncerError, SyncerUnavailableError, UnknownContainerError, UnknownStorageError, UsageError } from "@wlsync/plugin-api";
import type { Logger } from "@wlsync/plugin-api";
import type { BackendContext, HashCache, StorageBackend, StorageBackendClass } from "@wlsync/plugin-api";
import { storageOptionProblems } from "../config/storage-options.js";
import { TOKENS } from "../di/tokens.js";
import { PathFilter, WLSYNC_IGNORE, type IgnoreSource } from "../engine/path-filter.js";
import { readSmallText } from "../engine/ignore-files.js";
import { checkStorages, type CheckResult } from "./check-storages.js";
import { parseRate } from "../engine/throttle.js";
import { parseConflictPolicy } from "../engine/conflict-policy.js";
import type { ConflictResolution } from "../engine/resolve-conflicts.js";
import { SyncEngine } from "../engine/sync-engine.js";
import { startContinuous } from "../engine/continuous-runner.js";
import type { Conflict, SyncEvent, SyncResult } from "@wlsync/plugin-api";
import { PluginRegistry } from "../plugins/plugin-registry.js";
import { rankSyncers, type LoadedSyncer, type SyncRequest } from "../plugins/select-syncer.js";
import type { StateStore } from "../state/state-store.js";

export interface PairSelection {
  source?: string;
  target?: string;
}

export interface SyncRunOptions extends PairSelection {
  unidirectional?: boolean;
  dryRun?: boolean;
  force?: boolean;
  /** backend-ids accepted although their identity marker changed (`--accept-storage`). */
  acceptStorages?: string[];
  syncer?: string;
  continuous?: boolean;
  /** `--exclude` patterns (gitignore syntax, from the storage root) for this pass. */
  exclude?: string[];
  /** `--include` patterns: what they match takes part whatever the ignore rules say. */
  include?: string[];
  /** `--bwlimit RATE` (see engine/throttle.ts parseRate): beats the storages' own only when lower. */
  bwlimit?: string;
  /** Stops the pass (Ctrl-C): see SyncOptions.signal. */
  signal?: AbortSignal;
  /** `--conflict-resolve POLICY` (beats the container's `conflict-resolve`). */
  conflictResolve?: string;
  /** A resolution built by `wl container resolve` (beats both). */
  resolution?: ConflictResolution;
}

export interface ResolvedPair {
  name: string;
  container: ContainerConfig;
  source: StorageConfig;
  target: StorageConfig;
}

export interface PairConflicts {
  source: string;
  target: string;
  scanned: boolean;
  conflicts: Conflict[];
}

/**
 * Where a storage lives, for the overlap check: a local folder by its real path (symlinks
 * resolved; a folder that does not exist yet by its nearest existing parent), an S3 prefix by
 * endpoint and bucket. `at` ends with "/", so a prefix test means "inside". Other types: null.
 */
function placeOf(storage: StorageConfig, configDir: string): { space: string; at: string; shown: string } | null {
  const params = storage as Record<string, unknown>;
  if (storage.type === "local" && typeof params.path === "string") {
    const full = resolveFrom(configDir, params.path);
    let real = full;
    for (let rest = ""; ; ) {
      try {
        real = join(realpathSync(real), rest);
        break;
      } catch {
        const parent = dirname(real);
        if (parent === real) break;
        rest = join(basename(real), rest);
        real = parent;
      }
    }
    return { space: "local", at: real.endsWith(sep) ? real : `${real}${sep}`, shown: full };
  }
  if (storage.type === "s3" && typeof params.bucket === "string") {
    const prefix = typeof params.prefix === "string" ? params.prefix.replace(/^\/+/, "") : "";
    return { space: `s3:${String(params.endpoint ?? "aws")}:${params.bucket}`, at: prefix.endsWith("/") || prefix === "" ? `/${prefix}` : `/${prefix}/`, shown: `s3://${params.bucket}/${prefix}` };
  }
  return null;
}

/** Whether a backend reports a folder on this machine (optional call: older plugin API copies lack localPath). */
function hasLocalPath(backend: StorageBackend): boolean {
  return !!(backend as Partial<Pick<StorageBackend, "localPath">>).localPath?.call(backend);
}

function findStorage(name: string, container: ContainerConfig, wanted: string, exclude?: StorageConfig): StorageConfig {
  const storages = container.storages;
  const found = storages.find((s) => s["backend-id"] === wanted) ?? storages.find((s) => s.type === wanted && s !== exclude);
  if (!found) throw new UnknownStorageError(name, wanted, storages.map((s) => `${s["backend-id"]} (${s.type})`));
  return found;
}

/** Turns a container name and CLI options into backends and a syncer, built through the DI container. */
@injectable()
export class ContainerService {
  /** Containers whose storages were found not to overlap (the config is read once per service). */
  private readonly overlapChecked = new Set<string>();

  constructor(
    @inject(TOKENS.Config) private readonly loaded: LoadedConfig,
    @inject(PluginRegistry) private readonly registry: PluginRegistry,
    @inject(TOKENS.Container) private readonly di: DependencyContainer,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  container(name: string): ContainerConfig {
    const containers = this.loaded.config.containers ?? {};
    // Own names only: "constructor" or "__proto__" must not find Object.prototype's members.
    const container = Object.hasOwn(containers, name) ? containers[name] : undefined;
    if (!container) throw new UnknownContainerError(name, Object.keys(containers));
    this.checkOverlap(name, container);
    return container;
  }

  /**
   * Storages of one container must not overlap: one inside another (after symlinks are
   * resolved), or the same folder twice, would sync a storage into itself (each pass nesting
   * one level deeper, a deletion of the copy deleting the original). A config error (exit 3).
   */
  private checkOverlap(name: string, container: ContainerConfig): void {
    if (this.overlapChecked.has(name)) return;
    const places = container.storages.map((storage) => ({ storage, place: placeOf(storage, this.loaded.dir) }));
    // Pairs found through each place's own ancestors (every cut of `at` after a "/"), not by
    // comparing every pair: a container of 50,000 storages is checked in a blink, not in minutes.
    const byPlace = new Map<string, number[]>();
    places.forEach(({ place }, i) => {
      if (!place) return;
      const key = `${place.space}\u0000${place.at}`;
      byPlace.set(key, [...(byPlace.get(key) ?? []), i]);
    });
    const pairs: Array<[number, number]> = [];
    places.forEach(({ place }, j) => {
      if (!place) return;
      const { space, at } = place;
      for (let cut = at.length; cut > 0; cut = cut > 1 ? at.lastIndexOf("/", cut - 2) + 1 : 0) {
        for (const i of byPlace.get(`${space}\u0000${at.slice(0, cut)}`) ?? []) {
          if (cut < at.length) pairs.push(i < j ? [i, j] : [j, i]);
          else if (i < j) pairs.push([i, j]);
        }
      }
    });
    pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    const problems: string[] = [];
    for (const [i, j] of pairs) {
      const x = places[i]!;
      const y = places[j]!;
      const [p, q] = [x.place!.at, y.place!.at];
      const how = p === q ? "are the same place" : q.startsWith(p) ? `: ${y.storage["backend-id"]} is inside ${x.storage["backend-id"]}` : `: ${x.storage["backend-id"]} is inside ${y.storage["backend-id"]}`;
      problems.push(`containers.${name}: storages ${x.storage["backend-id"]} (${x.place!.shown}) and ${y.storage["backend-id"]} (${y.place!.shown}) ${how.startsWith(":") ? `overlap${how}` : how}`);
    }
    if (problems.length) throw new ConfigError(`storages of one container must not overlap (a storage would be synced into itself); give each its own folder`, problems);
    this.overlapChecked.add(name);
  }

  /**
   * The pair of a pass (README, "Commands"): source defaults to the first storage; target to the first other storage
   * that is not `local`, else the next one listed. Either may be named by backend-id or type.
   */
  resolvePair(name: string, selection: PairSelection): ResolvedPair {
    const container = this.container(name);
    const storages = container.storages;
    const source = selection.source ? findStorage(name, container, selection.source) : storages[0]!;
    let target: StorageConfig | undefined;
    if (selection.target) target = findStorage(name, container, selection.target, source);
    else {
      const others = storages.filter((s) => s !== source);
      target = others.find((s) => s.type !== "local") ?? others[0];
    }
    if (!target) throw new UsageError(`container "${name}" has only one storage (${source["backend-id"]}); add another to sync with`);
    if (target === source) throw new UsageError(`source and target are the same storage (${source["backend-id"]})`);
    return { name, container, source, target };
  }

  /**
   * Checks every storage of the container against its backend's options schema, before anything
   * is built or touched: a misspelt or misplaced key is a ConfigError (exit 3) naming its place.
   */
  async checkStorages(name: string): Promise<void> {
    const container = this.container(name);
    const problems: string[] = [];
    for (const [i, storage] of container.storages.entries()) {
      const cls = await this.backendClassOf(storage);
      problems.push(...(await storageOptionProblems(cls, storage, `/containers/${name}/storages/${i}`, this.logger)));
    }
    if (problems.length) throw new ConfigError(`invalid config ${this.loaded.filepath}:`, problems);
  }

  private async backendClassOf(storage: StorageConfig): Promise<StorageBackendClass> {
    const found = await this.registry.backendFor(storage.type);
    if (!found) {
      const known = await this.registry.backendTypes();
      throw new ConfigError(`no backend for storage type "${storage.type}" (${storage["backend-id"]}); installed types: ${known.join(", ") || "none"}`);
    }
    if ("reason" in found) throw new ConfigError(`the backend for storage type "${storage.type}" (${found.pkg.name}) cannot be loaded: ${found.reason}; see wl syncers`);
    return found.cls;
  }

  /** Builds a storage's backend; `container` gives defaults the storage does not set (`versions`). */
  async buildBackend(storage: StorageConfig, container?: ContainerConfig): Promise<StorageBackend> {
    const found = { cls: await this.backendClassOf(storage) };
    const params = { ...storage } as BackendContext["params"];
    if (typeof params.path === "string") params.path = resolveFrom(this.loaded.dir, params.path);
    if (params.versions === undefined && container?.versions) params.versions = container.versions;
    const child = this.di.createChildContainer();
    const context: BackendContext = {
      params,
      configDir: this.loaded.dir,
      hashCache: this.lazyHashCache(),
      logger: this.logger,
    };
    child.register(TOKENS.BackendContext, { useValue: context });
    const cls = found.cls as unknown as new (ctx: BackendContext) => StorageBackend;
    child.register(cls, { useFactory: (dc) => new cls(dc.resolve<BackendContext>(TOKENS.BackendContext)) });
    return child.resolve(cls);
  }

  /**
   * Picks the syncer for a pair: forced by name, else the best eligible one that is available
   * here, with the reason in words (`-v` prints it). Chosen by traits (package manifests); only
   * the syncers looked at are imported.
   */
  async selectSyncer(req: SyncRequest): Promise<{ syncer: LoadedSyncer; warnings: string[]; reason: string }> {
    const verdicts = rankSyncers(await this.registry.syncerEntries(), req);
    const mode = `${req.continuous ? "continuous" : "one-shot"}${req.unidirectional ? " one-way" : " two-way"}`;
    const pair = `${req.sourceType} → ${req.targetType}`;
    const warnings: string[] = [];
    if (req.forced) {
      const forced = verdicts.find((v) => v.syncer.traits.SYNCER_NAME === req.forced);
      if (!forced) {
        const names = verdicts.map((v) => v.syncer.traits.SYNCER_NAME);
        throw new NoSyncerError(`no syncer named "${req.forced}" is installed (installed: ${names.join(", ") || "none"}); see wl syncers`);
      }
      if (!forced.eligible) throw new NoSyncerError(`syncer "${req.forced}" cannot serve ${pair} (${mode}): ${forced.reason}`);
    }
    for (const verdict of verdicts) {
      if (!verdict.eligible) break;
      const name = verdict.syncer.traits.SYNCER_NAME;
      const loaded = await verdict.syncer.load();
      const reason = loaded.ok ? await (loaded.syncer.cls.checkAvailable?.() ?? Promise.resolve(null)) : `its package ${verdict.syncer.pkg.name} cannot be loaded: ${loaded.reason}`;
      if (!reason && loaded.ok) {
        const passedOver = verdicts.filter((v) => v.eligible && v !== verdict && !warnings.some((w) => w.startsWith(`syncer ${v.syncer.traits.SYNCER_NAME} `)));
        const over = passedOver.map((v) => `${v.syncer.traits.SYNCER_NAME}: ${v.reason}`).join("; ");
        return { syncer: loaded.syncer, warnings, reason: `${verdict.reason}${over ? ` (also eligible, ranked lower: ${over})` : ""}` };
      }
      if (req.forced) throw new SyncerUnavailableError(`syncer "${req.forced}" cannot run here: ${reason}`);
      warnings.push(`syncer ${name} is unavailable (${reason}); falling back`);
    }
    throw new NoSyncerError(`no installed syncer can serve ${pair} (${mode}); see wl syncers`);
  }

  /**
   * The pass's filter: wl's own files, the config's `ignore` list, the root ignore files of both
   * storages (`.wlsyncignore`, and `.gitignore` with `ignore-gitignore: true`), then
   * `--exclude` and `--include`. Ignore files in sub-folders are added by the engine as its
   * scan finds them (engine/ignore-files.ts).
   */
  async loadFilter(container: ContainerConfig, backends: StorageBackend[], patterns: { exclude?: string[]; include?: string[] } = {}): Promise<PathFilter> {
    const gitignore = container["ignore-gitignore"] ?? this.loaded.config["ignore-gitignore"] ?? false;
    const ignoreFileNames = gitignore ? [WLSYNC_IGNORE, ".gitignore"] : [WLSYNC_IGNORE];
    const sources: IgnoreSource[] = [];
    if (container.ignore?.length) sources.push({ base: "", origin: "config ignore", patterns: container.ignore.map((pattern) => ({ pattern })) });
    const rootFiles: Array<{ path: string; text: string }> = [];
    for (const backend of backends) {
      for (const name of ignoreFileNames) {
        const entry = await backend.stat(name).catch(() => null);
        if (entry?.kind !== "file") continue;
        const text = await readSmallText(backend, name);
        if (text !== undefined) rootFiles.push({ path: name, text });
      }
    }
    if (patterns.exclude?.length) sources.push({ base: "", origin: "--exclude", patterns: patterns.exclude.map((pattern) => ({ pattern })) });
    if (patterns.include?.length) sources.push({ base: "", origin: "--include", kind: "include", patterns: patterns.include.map((pattern) => ({ pattern })) });
    // The state store (and the daemon's socket and log) must never be synced, wherever it lives.
    const internal: string[] = [];
    const stateDir = this.di.resolve<string>(TOKENS.StateDir);
    for (const backend of backends) {
      const inside = backend.relativePathOf(stateDir);
      if (inside) internal.push(`/${inside.replace(/([\\*?[\]])/g, "\\$1")}/`);
    }
    return new PathFilter({ sources, internal, ignoreFileNames }).withIgnoreFiles(rootFiles);
  }

  /** The pass's options; `storages` are the pair's (their `bwlimit:` counts). */
  syncOptions(container: ContainerConfig, options: SyncRunOptions, storages: readonly StorageConfig[] = []): SyncOptions {
    const limits = [
      ...(options.bwlimit !== undefined ? [parseRate(options.bwlimit, "--bwlimit")] : []),
      ...storages.flatMap((s) => (s.bwlimit !== undefined ? [parseRate(s.bwlimit as string | number, `${s["backend-id"]}: bwlimit`)] : [])),
    ].filter((x) => x > 0);
    return {
      unidirectional: !!options.unidirectional,
      dryRun: !!options.dryRun,
      force: !!options.force,
      maxDelete: container["max-delete"] ?? this.loaded.config["max-delete"] ?? 50,
      ...(options.acceptStorages?.length ? { acceptStorages: options.acceptStorages } : {}),
      ...(limits.length ? { bwlimit: Math.min(...limits) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
  }

  /**
   * Which conflicts a pass of `pair` settles: `wl container resolve`'s resolution, else
   * `--conflict-resolve`, else the container's `conflict-resolve`; none by default. `--force`
   * only lets a pass through the safety gates: it never settles a conflict (a one-way pass that
   * should make the target a copy of the source, as `rclone sync` does, says
   * `--conflict-resolve SOURCE-ID`).
   */
  conflictResolution(pair: ResolvedPair, options: SyncRunOptions): ConflictResolution | undefined {
    if (options.resolution) return options.resolution;
    const ids = pair.container.storages.map((s) => s["backend-id"]);
    const text = options.conflictResolve ?? pair.container["conflict-resolve"];
    if (text) return { policy: parseConflictPolicy(text, ids) };
    return undefined;
  }

  /** The syncer forced for a pair: the command line beats the container, which beats the file. */
  forcedSyncer(pair: ResolvedPair, explicit?: string): string | undefined {
    return explicit ?? pair.container.syncer ?? this.loaded.config.syncer;
  }

  /** Builds the pair's backends and the chosen syncer (with its collaborators) through the container. */
  async prepare(name: string, options: SyncRunOptions): Promise<{ syncer: BaseSyncer; pair: ResolvedPair; backends: StorageBackend[]; warnings: string[]; reason: string }> {
    const pair = this.resolvePair(name, options);
    const conflictResolve = this.conflictResolution(pair, options);
    await this.checkStorages(name);
    const forced = this.forcedSyncer(pair, options.syncer);
    // Built before the syncer is chosen (constructors do no I/O): REQUIRES_MOUNT depends on them.
    const source = await this.buildBackend(pair.source, pair.container);
    const target = await this.buildBackend(pair.target, pair.container);
    const backends = [source, target];
    try {
      return await this.prepareWith(name, pair, backends, forced, options, conflictResolve);
    } catch (err) {
      await Promise.all(backends.map((b) => b.close().catch(() => {})));
      throw err;
    }
  }

  /**
   * The state store's hash cache, opened on first use: building a backend (to ask it for its
   * localPath while choosing a syncer) must not create the state store of a run that is refused.
   */
  private lazyHashCache(): HashCache {
    const store = () => this.di.resolve<StateStore>(TOKENS.StateStore).hashes;
    return {
      get: (storage, path, token) => store().get(storage, path, token),
      put: (storage, path, token, hash, mtimeMs) => store().put(storage, path, token, hash, mtimeMs),
      forget: (storage, path) => store().forget(storage, path),
    };
  }

  /** Whether both storages of a pair have a folder on this machine (builds, asks and closes their backends). */
  async isMounted(pair: ResolvedPair): Promise<boolean> {
    const backends = [await this.buildBackend(pair.source, pair.container), await this.buildBackend(pair.target, pair.container)];
    try {
      return backends.every(hasLocalPath);
    } finally {
      await Promise.all(backends.map((b) => b.close().catch(() => {})));
    }
  }

  private async prepareWith(
    name: string,
    pair: ResolvedPair,
    backends: StorageBackend[],
    forced: string | undefined,
    options: SyncRunOptions,
    conflictResolve: ConflictResolution | undefined,
  ) {
    const [source, target] = backends as [StorageBackend, StorageBackend];
    const { syncer: chosen, warnings, reason } = await this.selectSyncer({
      sourceType: pair.source.type,
      targetType: pair.target.type,
      continuous: !!options.continuous,
      unidirectional: !!options.unidirectional,
      forced,
      mounted: backends.every(hasLocalPath),
    });
    let filter: PathFilter;
    try {
      await Promise.all(backends.map((b) => b.checkRoot()));
      filter = await this.loadFilter(pair.container, backends, { exclude: options.exclude, include: options.include });
    } catch (err) {
      // A remote storage holds a connection open: close it, or the process cannot exit.
      await Promise.all(backends.map((b) => b.close().catch(() => {})));
      throw err;
    }
    const context: SyncerContext = {
      container: name,
      source,
      target,
      options: { ...this.syncOptions(pair.container, options, [pair.source, pair.target]), ...(conflictResolve ? { conflictResolve } : {}) },
      filter,
      reloadFilter: () => this.loadFilter(pair.container, backends, { exclude: options.exclude, include: options.include }),
      engine: this.di.resolve(SyncEngine),
      continuous: startContinuous,
      logger: this.logger,
    };
    const child = this.di.createChildContainer();
    child.register(TOKENS.SyncerContext, { useValue: context });
    const cls = chosen.cls as unknown as new (ctx: SyncerContext) => BaseSyncer;
    child.register(cls, { useFactory: (dc) => new cls(dc.resolve<SyncerContext>(TOKENS.SyncerContext)) });
    return { syncer: child.resolve(cls), pair, backends, warnings, reason };
  }

  async oneShot(name: string, options: SyncRunOptions, onEvent: (event: SyncEvent) => void): Promise<SyncResult> {
    const { syncer, backends, warnings, reason } = await this.prepare(name, { ...options, continuous: false });
    for (const w of warnings) this.logger.warn(w);
    const off = syncer.on(onEvent);
    try {
      return { ...(await syncer.oneShotSync()), syncerReason: reason };
    } finally {
      off();
      await Promise.all(backends.map((b) => b.close()));
    }
  }

  /** The conflicts the last pass of a pair reported, oriented source → target (undefined: never ran). */
  async shownConflicts(pair: ResolvedPair): Promise<Conflict[] | undefined> {
    const source = await this.buildBackend(pair.source, pair.container);
    const target = await this.buildBackend(pair.target, pair.container);
    try {
      return this.di.resolve(SyncEngine).shownConflicts(source, target);
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
  }

  /** Conflicts of every pair of the container's storages: remembered from the last pass, or scanned now. */
  /** `wl container check`: compares a pair of storages by sha256, changing nothing (see check-storages.ts). */
  async check(name: string, selection: PairSelection & { exclude?: string[]; include?: string[] }): Promise<CheckResult> {
    await this.checkStorages(name);
    const pair = this.resolvePair(name, selection);
    const source = await this.buildBackend(pair.source, pair.container);
    const target = await this.buildBackend(pair.target, pair.container);
    try {
      await Promise.all([source.checkRoot(), target.checkRoot()]);
      const filter = await this.loadFilter(pair.container, [source, target], selection);
      return await checkStorages(source, target, filter);
    } finally {
      try {
        this.di.resolve<StateStore>(TOKENS.StateStore).hashes.flush(); // hashes read now answer the next check
      } catch (err) {
        this.logger.warn(errorMessage(err));
      }
      await Promise.all([source.close(), target.close()]);
    }
  }

  async listConflicts(name: string, forceScan: boolean): Promise<PairConflicts[]> {
    const container = this.container(name);
    await this.checkStorages(name);
    const out: PairConflicts[] = [];
    const storages = container.storages;
    const engine = this.di.resolve(SyncEngine);
    for (let i = 0; i < storages.length; i++) {
      for (let j = i + 1; j < storages.length; j++) {
        const a = await this.buildBackend(storages[i]!, container);
        const b = await this.buildBackend(storages[j]!, container);
        try {
          const stored = forceScan ? undefined : engine.storedConflicts(a, b);
          if (stored) {
            out.push({ source: a.backendId, target: b.backendId, scanned: false, conflicts: stored });
            continue;
          }
          await Promise.all([a.checkRoot(), b.checkRoot()]);
          const context: SyncerContext = {
            container: name,
            source: a,
            target: b,
            // A scan for conflicts, not a pass: the safety gates (which a dry run keeps) do not apply.
            options: { ...this.syncOptions(container, {}), dryRun: true, force: true },
            filter: await this.loadFilter(container, [a, b]),
            engine,
            continuous: startContinuous,
            logger: this.logger,
          };
          const result = await engine.run(context, { syncer: "scan", emit: () => {} });
          out.push({ source: a.backendId, target: b.backendId, scanned: true, conflicts: result.conflicts });
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      }
    }
    return out;
  }
}
