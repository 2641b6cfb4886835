import { inject, injectable } from "../di/tsyringe.js";
import type { CopyDone, CopyTask, RunOptions, SyncEngine as SyncEngineContract, SyncerContext, TransferHooks } from "@wlsync/plugin-api";
import { DEFAULT_TRANSFERS, MaxDeleteError, errorMessage } from "@wlsync/plugin-api";
import type { Logger } from "@wlsync/plugin-api";
import type { StorageBackend } from "@wlsync/plugin-api";
import { TOKENS } from "../di/tokens.js";
import { PathFilter as IgnoreRules } from "./path-filter.js";
import { pruneListing, withNestedIgnoreFiles } from "./ignore-files.js";
import { ByteThrottle } from "./throttle.js";
import { PairLock } from "../state/pair-lock.js";
import type { PairState } from "../state/pair-state.js";
import type { StateStore } from "../state/state-store.js";
import { applyPlan } from "./apply.js";
import { plan as reconcile } from "./plan.js";
import { planMoves } from "./move-candidates.js";
import { SIDES, other } from "./side.js";
import { dropUnsupported, hashForPlan, scanScope, scanStorage, scopeRoots } from "./scan.js";
import { StateJournal } from "./state-journal.js";
import { StreamTransferer, copyOne } from "./stream-transferer.js";
import { TransferCheckpoints } from "./transfer-checkpoints.js";
import { checkStorageIdentity, refillAdvice, refillHint } from "./storage-identity.js";
import { ancestorsOf } from "../util/paths.js";
import type { PathFilter, SyncOptions, Transferer } from "@wlsync/plugin-api";
import { emptyCounters, type Conflict, type Intent, type Plan, type Side, type StorageEntry, type SyncResult, type SyncedRecord } from "@wlsync/plugin-api";
import { describeConflicts } from "./conflict-details.js";
import { resolveConflicts } from "./resolve-conflicts.js";
import { pruneVersions } from "../versions/version-service.js";
import { DEFAULT_CHUNK_ENTRIES, countPlan, forEachChunk, planChunk, planWeight, scanChunk, type ChunkHost, type ChunkSpec, type PassCounts } from "./chunked-pass.js";

export type { RunOptions } from "@wlsync/plugin-api";


/** How a storage's file system compares names, as probed (see SideScan.folding). */
function foldingOf(backend: StorageBackend): { case: boolean; unicode: boolean } {
  return { case: backend.capabilities.caseSensitive === false, unicode: backend.capabilities.normalizesNames === true };
}

/**
 * The reusable scan / plan / apply engine every syncer builds on: it keeps the rules of
 * docs/design.md, "The rules of a pass" (three-way merge against the stored state, conflicts touch nothing,
 * compare-and-swap, verification, the max-delete gate) whatever moves the bytes.
 */
@injectable()
export class SyncEngine implements SyncEngineContract {
  private readonly probed = new WeakSet<StorageBackend>();

  constructor(
    @inject(TOKENS.StateStore) private readonly state: StateStore,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  streamTransferer(options: { bwlimit?: number; transfers?: number; signal?: AbortSignal } = {}): Transferer {
    return new StreamTransferer(options.transfers ?? DEFAULT_TRANSFERS, options.bwlimit ? new ByteThrottle(options.bwlimit) : undefined, options.signal, new TransferCheckpoints(this.state.dir));
  }

  copyOne(task: CopyTask, hooks: Pick<TransferHooks, "onBytes">): Promise<CopyDone> {
    return copyOne(task, hooks);
  }

  async run(ctx: SyncerContext, options: RunOptions): Promise<SyncResult> {
    const started = Date.now();
    const { source, target } = ctx;
    const warnings: string[] = [];
    const pair = this.state.pair(source.identity(), target.identity());
    const lock = ctx.options.dryRun ? undefined : PairLock.acquire(this.state.dir, pair.id, `${source.describe()} ↔ ${target.describe()}`);
    try {
      options.emit({ type: "state", state: "scanning" });
      const roots = options.scope ? scopeRoots(options.scope) : [""];
      const partial = roots[0] !== "";
      const parents = new Set<string>();
      if (partial) for (const root of roots) for (const parent of ancestorsOf(root)) parents.add(parent);
      for (const root of roots) parents.delete(root);
      // Temporary files left by a killed pass are removed on the way (never on a dry run).
      const clean = ctx.options.dryRun ? undefined : started;
      const scan = (backend: StorageBackend) =>
        partial ? scanScope(backend, ctx.filter, roots, parents, warnings, clean) : scanStorage(backend, ctx.filter, warnings, clean);
      // A storage is what it was: not another disk at the same path, not an older copy of itself.
      // Both are checked before either marker is advanced: a stopped pass writes nothing.
      const accept = (backend: StorageBackend) => !!ctx.options.acceptStorages?.includes(backend.backendId);
      const current: StorageBackend[] = [];
      // A dry run is judged as the real pass would be (the same refusals), but forgets nothing:
      // where the pass would be a first meeting, it plans against an empty base instead.
      let firstMeeting = false;
      const roles = (backend: StorageBackend) => ({
        other: (backend === source ? target : source).backendId,
        ...(ctx.options.unidirectional ? { oneWay: backend === source ? ("source" as const) : ("target" as const) } : {}),
      });
      for (const backend of [source, target]) {
        await backend.checkRoot();
        const check = await checkStorageIdentity(backend, pair, { accept: accept(backend), dryRun: true, emptiedIsUnmounted: !ctx.options.force, logger: this.logger, ...roles(backend) });
        if (check.current) current.push(backend);
        if (check.forgetBase) firstMeeting = true;
        if (check.forgetBase && ctx.options.dryRun) warnings.push(`${backend.backendId}: accepted (--accept-storage); the pass would compare the two sides as at a first meeting: nothing deleted, files that differ are conflicts`);
      }
      const advance = async (backends: StorageBackend[]) => {
        for (const backend of backends) {
          const check = await checkStorageIdentity(backend, pair, { accept: accept(backend), dryRun: false, logger: this.logger, ...roles(backend) });
          if (check.forgetBase) {
            pair.forgetBase();
            warnings.push(`${backend.backendId}: accepted (--accept-storage); this pass compared the two sides as at a first meeting: nothing was deleted, files that differ are conflicts`);
          }
        }
      };
      // Markers already at this pair's recorded generation advance before the pass's first write
      // (beforeWrite), so that a pass that changes nothing writes nothing; the others (a first
      // meeting, an accepted storage, a generation moved on by another host) now. Copies a killed
      // pass may have landed are recorded before planning: then both advance now.
      const deferred = ctx.options.dryRun || pair.loadIntents().length ? [] : current;
      if (!ctx.options.dryRun) await advance([source, target].filter((b) => !deferred.includes(b)));
      let pending = deferred;
      const beforeWrite = async () => {
        const due = pending;
        pending = [];
        await advance(due);
      };
      // What each file system can hold and how its timestamps behave, measured once per pass
      // (a change-driven pass reuses what its job's first pass measured).
      if (!partial || !this.probed.has(source)) await source.probeCapabilities();
      if (!partial || !this.probed.has(target)) await target.probeCapabilities();
      this.probed.add(source).add(target);
      if (!partial && this.chunkable(ctx, options, pair)) return await this.runChunked(ctx, options, pair, { started, warnings, beforeWrite });
      const [sourceScan, targetScan] = await Promise.all([scan(source), scan(target)]);
      const scans = { source: sourceScan, target: targetScan };
      // Ignore files in sub-folders apply below them: the walk could not know their rules yet.
      if (ctx.filter instanceof IgnoreRules) {
        const refined = await withNestedIgnoreFiles(ctx.filter, [{ backend: source, listing: scans.source.listing }, { backend: target, listing: scans.target.listing }], !partial);
        if (refined !== ctx.filter) {
          pruneListing(scans.source.listing, refined);
          pruneListing(scans.target.listing, refined);
          ctx.filter = refined; // later passes (continuous mode) and watchers use them from the start
        }
      }
      dropUnsupported(scans.source.listing, target, warnings);
      dropUnsupported(scans.target.listing, source, warnings);
      options.emit({ type: "state", state: "planning" });
      const forgotten = ctx.options.dryRun && firstMeeting;
      const synced = forgotten ? new Map<string, SyncedRecord>() : partial ? pair.loadSyncedUnder(roots, parents) : pair.loadSynced();
      const landed = ctx.options.dryRun ? [] : await this.recognizeLanded(pair, { source, target }, { source: scans.source.listing, target: scans.target.listing }, synced);
      const transfers = transfersOf(source, target);
      const hashErrors = await hashForPlan(scans, { source, target }, synced, transfers);
      const plan = reconcile(
        { synced, openConflicts: new Map(forgotten ? [] : pair.loadConflicts().map((c) => [c.path, c])) },
        { entries: scans.source.listing, unknown: scans.source.opaque, shallow: parents, folding: foldingOf(source) },
        { entries: scans.target.listing, unknown: scans.target.opaque, shallow: parents, folding: foldingOf(target) },
        { direction: ctx.options.unidirectional ? "one-way" : "two-way", mirror: mirrors(ctx.options, source.backendId) },
      );
      plan.errors.push(...scans.source.errors, ...scans.target.errors, ...hashErrors);
      // Renames and copies that move nothing: new files whose content is already on their side.
      await planMoves(plan, { source: scans.source.listing, target: scans.target.listing }, { source, target }, synced, transfers);
      // Conflicts name each storage and show both sides; then a policy, if any, settles them.
      const hash = (side: Side, entry: StorageEntry) => (side === "source" ? source : target).getHash(entry.path, entry);
      const listings = { source: scans.source.listing, target: scans.target.listing };
      await describeConflicts(plan.conflicts, { ...listings, base: synced, names: { source: source.backendId, target: target.backendId }, hash });
      const resolution = ctx.options.conflictResolve;
      if (resolution && plan.conflicts.length && !ctx.options.dryRun) await beforeWrite();
      const resolved =
        resolution && plan.conflicts.length
          ? await resolveConflicts(plan, { ...listings, backends: { source, target }, hash, unidirectional: ctx.options.unidirectional, dryRun: ctx.options.dryRun, now: started }, resolution)
          : [];
      for (const conflict of plan.conflicts) options.emit({ type: "conflict", conflict });
      for (const error of plan.errors) options.emit({ type: "error", error });
      const result: SyncResult = {
        source: source.backendId,
        target: target.backendId,
        syncer: options.syncer,
        direction: ctx.options.unidirectional ? "one-way" : "two-way",
        dryRun: ctx.options.dryRun,
        plan,
        counters: emptyCounters(),
        conflicts: [...plan.conflicts],
        errors: [...plan.errors],
        warnings,
        durationMs: 0,
        resolved,
      };
      if (ctx.options.signal?.aborted) {
        result.durationMs = Date.now() - started;
        return result;
      }
      const syncedFiles = forgotten ? 0 : pair.countSyncedFiles();
      if (partial) {
        // A change-driven pass sees part of each side: the gate weighs deletions against all synced files.
        plan.fileCounts = { source: Math.max(syncedFiles, plan.fileCounts.source), target: Math.max(syncedFiles, plan.fileCounts.target) };
      }
      if (!ctx.options.force && !ctx.options.dryRun) options.gate?.(plan, { partial });
      // The one-shot gates stop a dry run as they would stop the real pass (same message, exit 3).
      const entries = { source: scans.source.listing.size, target: scans.target.listing.size };
      await this.checkEmptied(deletionsOf(plan), partial ? undefined : entries, syncedFiles, ctx);
      const emptiedTarget = partial ? undefined : this.emptiedTargetWarning(entries, syncedFiles, ctx);
      if (emptiedTarget) warnings.push(emptiedTarget);
      this.checkMaxDelete(deletionsOf(plan), plan.fileCounts, ctx);
      if (ctx.options.dryRun) {
        result.durationMs = Date.now() - started;
        return result;
      }
      if (writes(plan)) await beforeWrite();
      pair.commit(plan.records, plan.forgets);
      // Every pass records what its copies will land (a one-shot pass killed mid-apply leaves the same leftovers as a daemon).
      const intents = await this.intentsOf(plan, { source, target }, partial && !!options.intents);
      if (intents.length) pair.saveIntents(intents);
      options.emit({ type: "state", state: "applying" });
      const outcome = await this.apply(plan, ctx, options, pair, options.transferer ?? this.streamTransferer({ bwlimit: ctx.options.bwlimit, transfers, signal: ctx.options.signal }), transfers);
      // Every outcome is recorded now (applyPlan flushed its journal): the intents are spent.
      if (intents.length || landed.length) pair.clearIntents([...intents.map((i) => i.path), ...landed]);
      result.counters = outcome.counters;
      result.conflicts.push(...outcome.conflicts);
      result.errors.push(...outcome.errors);
      if (partial) pair.saveConflictsUnder(roots, parents, result.conflicts);
      else pair.saveConflicts(result.conflicts);
      // Versions past the storages' keep policy go at the end of every whole pass.
      if (!partial) for (const backend of [source, target]) await pruneVersions(backend, Date.now(), (message) => warnings.push(message));
      options.emit({ type: "state", state: "idle" });
      result.durationMs = Date.now() - started;
      return result;
    } finally {
      try {
        this.state.hashes.flush();
      } catch (err) {
        // Only a cache: the pass's own outcome (or error) matters more.
        this.logger.warn(errorMessage(err));
      }
      lock?.release();
    }
  }

  /**
   * Whether a whole pass can run chunk by chunk in bounded memory (runChunked). Passes that
   * need the whole tree at once take the path above: a dry run (it prints the whole plan), a
   * conflict policy, a continuous job's gate or copy intents, copies a killed pass may have
   * landed (recognizeLanded), and a storage that folds names (collisions span the tree).
   */
  private chunkable(ctx: SyncerContext, options: RunOptions, pair: PairState): boolean {
    if (ctx.options.dryRun || ctx.options.conflictResolve || options.gate || options.intents) return false;
    const folds = (b: StorageBackend) => foldingOf(b).case || foldingOf(b).unicode;
    if (folds(ctx.source) || folds(ctx.target)) return false;
    return pair.loadIntents().length === 0;
  }

  /**
   * A whole pass in chunks (engine/chunked-pass.ts): a first round plans every chunk and counts
   * what the gates weigh, keeping plans up to the chunk size; once the gates pass, a second
   * round applies the kept plans and plans again, then applies, the others, chunk after chunk.
   */
  private async runChunked(
    ctx: SyncerContext,
    options: RunOptions,
    pair: PairState,
    { started, warnings, beforeWrite }: { started: number; warnings: string[]; beforeWrite: () => Promise<void> },
  ): Promise<SyncResult> {
    const { source, target } = ctx;
    const limit = chunkEntries();
    const transfers = transfersOf(source, target);
    const host: ChunkHost = {
      ctx,
      pair,
      backends: { source, target },
      warnings,
      cleanStaleTemp: started,
      transfers,
      openConflicts: new Map(pair.loadConflicts().map((c) => [c.path, c])),
      folding: { source: foldingOf(source), target: foldingOf(target) },
      limit,
    };
    const counts: PassCounts = { files: { source: 0, target: 0 }, entries: { source: 0, target: 0 }, deletions: { source: 0, target: 0 } };
    const chunks: Array<{ spec: ChunkSpec; plan?: Plan }> = [];
    const ignoreFiles = new Set<string>();
    let keptWeight = 0;
    await forEachChunk(host, async (spec, scans) => {
      if (!scans) {
        chunks.push({ spec });
        return;
      }
      const entries = { source: scans.source.listing.size, target: scans.target.listing.size };
      const plan = await planChunk(host, spec, scans, ignoreFiles);
      countPlan(counts, plan, entries);
      const weight = planWeight(plan);
      if (keptWeight + weight <= limit) {
        keptWeight += weight;
        chunks.push({ spec, plan });
      } else chunks.push({ spec });
    });
    options.emit({ type: "state", state: "planning" });
    const result: SyncResult = {
      source: source.backendId,
      target: target.backendId,
      syncer: options.syncer,
      direction: ctx.options.unidirectional ? "one-way" : "two-way",
      dryRun: false,
      plan: { actions: [], conflicts: [], records: [], forgets: [], fileCounts: counts.files, errors: [] },
      counters: emptyCounters(),
      conflicts: [],
      errors: [],
      warnings,
      durationMs: 0,
      resolved: [],
    };
    if (ctx.options.signal?.aborted) {
      result.durationMs = Date.now() - started;
      return result;
    }
    const syncedFiles = pair.countSyncedFiles();
    await this.checkEmptied(counts.deletions, counts.entries, syncedFiles, ctx);
    const emptiedTarget = this.emptiedTargetWarning(counts.entries, syncedFiles, ctx);
    if (emptiedTarget) warnings.push(emptiedTarget);
    this.checkMaxDelete(counts.deletions, counts.files, ctx);
    options.emit({ type: "state", state: "applying" });
    const transferer = options.transferer ?? this.streamTransferer({ bwlimit: ctx.options.bwlimit, transfers, signal: ctx.options.signal });
    for (const chunk of chunks) {
      if (ctx.options.signal?.aborted) break;
      const plan = chunk.plan ?? (await planChunk(host, chunk.spec, await scanChunk(host, chunk.spec), ignoreFiles));
      chunk.plan = undefined;
      for (const conflict of plan.conflicts) options.emit({ type: "conflict", conflict });
      for (const error of plan.errors) options.emit({ type: "error", error });
      result.conflicts.push(...plan.conflicts);
      result.errors.push(...plan.errors);
      result.plan.conflicts.push(...plan.conflicts);
      result.plan.errors.push(...plan.errors);
      if (writes(plan)) await beforeWrite();
      pair.commit(plan.records, plan.forgets);
      // What the chunk's copies will land, for the next pass if this one is killed (recognizeLanded).
      const intents = await this.intentsOf(plan, { source, target }, false);
      if (intents.length) pair.saveIntents(intents);
      const outcome = await this.apply(plan, ctx, options, pair, transferer, transfers);
      if (intents.length) pair.clearIntents(intents.map((i) => i.path));
      for (const key of Object.keys(outcome.counters) as Array<keyof typeof outcome.counters>) result.counters[key] += outcome.counters[key];
      result.conflicts.push(...outcome.conflicts);
      result.errors.push(...outcome.errors);
    }
    pair.saveConflicts(result.conflicts);
    // Rules of nested ignore files gone from both storages are dropped for the next passes.
    const rules = ctx.filter;
    if (rules instanceof IgnoreRules && !ctx.options.signal?.aborted) {
      const gone = rules.sources.filter((s) => s.base !== "" && rules.isIgnoreFile(s.origin) && !ignoreFiles.has(s.origin)).map((s) => s.origin);
      if (gone.length) ctx.filter = rules.withIgnoreFiles([], gone);
    }
    for (const backend of [source, target]) await pruneVersions(backend, Date.now(), (message) => warnings.push(message));
    const unique = [...new Set(warnings)];
    warnings.length = 0;
    warnings.push(...unique);
    options.emit({ type: "state", state: "idle" });
    result.durationMs = Date.now() - started;
    return result;
  }

  /** Applies a plan (a whole pass's or one chunk's) with the pass's transferer, journal and hooks. */
  private apply(plan: Plan, ctx: SyncerContext, options: RunOptions, pair: PairState, transferer: Transferer, transfers: number) {
    return applyPlan(plan, {
      source: ctx.source,
      target: ctx.target,
      transferer,
      concurrency: transfers,
      journal: new StateJournal(pair),
      signal: ctx.options.signal,
      emit: options.emit,
      onWrite: options.onWrite,
      onFallback: (action, reason) => this.logger.debug(`${action.path}: not made from ${action.from} on the ${action.to} (${errorMessage(reason)}); transferred instead`),
    });
  }

  /** Conflicts remembered from the last pass of a pair, `source` first (for list-conflicts without a scan). */
  storedConflicts(source: StorageBackend, target: StorageBackend): Conflict[] | undefined {
    return this.state.findPair(source.identity(), target.identity())?.loadConflicts();
  }

  /** The conflicts the last pass of this pair reported (what people were shown), `source` first; undefined when the pair never ran. */
  shownConflicts(source: StorageBackend, target: StorageBackend): Conflict[] | undefined {
    return this.storedConflicts(source, target);
  }

  /**
   * A storage with nothing in it, where the last pass left several files, is far more often a
   * disk that is not mounted (its empty mount point) or a new, empty disk put in its place than a
   * user who deleted everything: below the max-delete gate's 10 files too, its emptiness is not
   * propagated without --force (Unison asks the same question), and the message names the safe
   * way to refill it first (--accept-storage). Deleting one's only file is not stopped.
   * `syncedFiles`: files in the pair's base.
   */
  private async checkEmptied(deletions: Record<Side, number>, entries: Record<Side, number> | undefined, syncedFiles: number, ctx: SyncerContext): Promise<void> {
    if (ctx.options.force) return;
    const storages = { source: ctx.source, target: ctx.target };
    for (const side of SIDES) {
      if (deletions[other(side)] < 2) continue;
      if (entries ? entries[side] > 0 : await this.hasEntries(storages[side], ctx.filter)) continue;
      const backend = storages[side];
      throw new MaxDeleteError(
        `storage ${backend.backendId} is empty, but ${syncedFiles} file${syncedFiles === 1 ? " was" : "s were"} synced with it at the last pass: is its disk mounted (${backend.describe()})? ` +
          `Nothing was changed. ${refillAdvice(backend.backendId, storages[other(side)].backendId, ctx.options.unidirectional ? side : undefined)}`,
      );
    }
  }

  /**
   * A one-way pass never deletes on its source, so a target emptied by hand (its marker kept: an
   * unmounted disk or one without its marker stops at the identity check) risks nothing, but
   * the pass would copy nothing into it and look like success: it is said in a warning, with the
   * way to refill it. Whole passes only; `entries`: listed entries per side.
   */
  private emptiedTargetWarning(entries: Record<Side, number>, syncedFiles: number, ctx: SyncerContext): string | undefined {
    if (!ctx.options.unidirectional || syncedFiles < 2 || entries.target > 0 || entries.source === 0) return undefined;
    const { source, target } = ctx;
    return (
      `storage ${target.backendId} is empty, but ${syncedFiles} files were synced with it at the last pass: a one-way pass leaves the target's deletions there and copies nothing back into it. ` +
      `${refillHint(target.backendId, source.backendId)}.`
    );
  }

  /** Whether a storage holds anything the filter lets through (stops at the first entry). */
  private async hasEntries(backend: StorageBackend, filter: PathFilter): Promise<boolean> {
    for await (const batch of backend.walkBatches({ onWarning: () => {}, include: (path, isDir) => filter.includes(path, isDir) })) {
      if (batch.length) return true;
    }
    return false;
  }

  /**
   * The content each copy of the plan will land (sha256). `hashMissing`: also hash the copies the
   * plan did not need to (change-driven passes only: a whole pass of many new files would read
   * each twice).
   */
  private async intentsOf(plan: Plan, backends: Record<Side, StorageBackend>, hashMissing: boolean): Promise<Intent[]> {
    const out: Intent[] = [];
    for (const action of plan.actions) {
      if (action.type !== "copy") continue;
      let hash = action.hash;
      if (!hash && hashMissing) {
        const from = backends[action.to === "target" ? "source" : "target"];
        hash = await from.getHash(action.path, action.entry).catch(() => undefined);
        if (hash) action.hash = hash;
      }
      out.push(hash ? { path: action.path, to: action.to, hash } : { path: action.path, to: action.to, size: action.entry.size, mtimeMs: action.entry.mtimeMs });
    }
    return out;
  }

  /**
   * Copies a killed pass landed but did not record: a file that holds exactly the content an
   * intent says was being copied to its side is taken as that copy (the base becomes that
   * content), so an edit made since on the other side propagates instead of being a conflict.
   * An intent without a sha256 (the plan did not hash that source) knows its copy by the size
   * and the mtime the copy carries (the source's, within LANDED_MTIME_SLACK_MS), on a file that
   * is not the one the base recorded: the quick check rsync trusts, and a file that matches it
   * but is not that copy is one the user copied with its mtime, from the same version.
   * Returns the paths whose intents were looked at.
   */
  private async recognizeLanded(
    pair: PairState,
    backends: Record<Side, StorageBackend>,
    listings: Record<Side, ReadonlyMap<string, StorageEntry>>,
    base: Map<string, SyncedRecord>,
  ): Promise<string[]> {
    const seen: string[] = [];
    for (const intent of pair.loadIntents()) {
      const entry = listings[intent.to].get(intent.path);
      if (!entry && !listings[intent.to === "source" ? "target" : "source"].has(intent.path)) continue; // not in this pass
      seen.push(intent.path);
      if (entry?.kind !== "file") continue;
      const old = base.get(intent.path);
      if (!intent.hash) {
        const recorded = old?.kind === "file" ? old[intent.to === "source" ? "sourceToken" : "targetToken"] : null;
        const carries = entry.size === intent.size && intent.mtimeMs !== undefined && Math.abs(entry.mtimeMs - intent.mtimeMs) < LANDED_MTIME_SLACK_MS;
        if (!carries || (recorded && recorded === entry.token)) continue;
      }
      const hash = await backends[intent.to].getHash(intent.path, entry).catch(() => undefined);
      if (!hash || (intent.hash && hash !== intent.hash)) continue;
      entry.hash = hash;
      if (old?.kind === "file" && old.hash === hash) continue;
      base.set(intent.path, { path: intent.path, kind: "file", size: entry.size, hash, linkTarget: null, sourceToken: null, targetToken: null });
      this.logger.info(`${intent.path}: a copy to ${backends[intent.to].backendId} landed before a crash without being recorded; recorded now`);
    }
    return seen;
  }

  private checkMaxDelete(deletionCounts: Record<Side, number>, fileCounts: Record<Side, number>, ctx: SyncerContext): void {
    if (ctx.options.force) return;
    for (const side of SIDES) {
      const files = fileCounts[side];
      if (files < 10) continue;
      const deletions = deletionCounts[side];
      if (deletions > (files * ctx.options.maxDelete) / 100) {
        const backend = { source: ctx.source, target: ctx.target }[side];
        throw new MaxDeleteError(
          `this pass would delete ${deletions} of the ${files} files on ${backend.backendId} (more than max-delete ${ctx.options.maxDelete}%); nothing was changed. ` +
            `If that is intended, run again with --force or raise max-delete in the config.`,
        );
      }
    }
  }
}

/** How far a copy's mtime may be from its source's (utimes rounding) and still be taken for that copy. */
const LANDED_MTIME_SLACK_MS = 1;

/** Deletions of files and links (not folders) a plan makes on each side: what the gates weigh. */
function deletionsOf(plan: Plan): Record<Side, number> {
  const out = { source: 0, target: 0 };
  for (const a of plan.actions) if (a.type === "delete" && a.kind !== "dir") out[a.to]++;
  return out;
}

/** Entries per chunk of a whole pass (engine/chunked-pass.ts); env WLSYNC_CHUNK_ENTRIES tunes it (tests cut small trees with it). */
function chunkEntries(): number {
  const n = Number(process.env.WLSYNC_CHUNK_ENTRIES);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_CHUNK_ENTRIES;
}

/** Parallel transfers of a pass: the larger of what the two storages serve well (`transfers`). */
function transfersOf(a: StorageBackend, b: StorageBackend): number {
  return Math.max(a.capabilities.transfers ?? DEFAULT_TRANSFERS, b.capabilities.transfers ?? DEFAULT_TRANSFERS);
}

/** Whether applying `plan` writes anything: to either storage or to the pair's base. */
function writes(plan: Plan): boolean {
  return plan.actions.length > 0 || plan.records.length > 0 || plan.forgets.length > 0;
}

/**
 * Whether a pass makes the target a mirror of the source: one-way, with a conflict policy for
 * every conflict that names the source storage (`--unidirectional --conflict-resolve SOURCE-ID`).
 * Then the target's own changes are conflicts that the policy settles for the source (PlanMode
 * `mirror`). Other policies (newer, larger, both...) settle only real conflicts; a policy given
 * for some paths or conflicts (`wl container resolve`) makes no mirror.
 */
function mirrors(options: SyncOptions, sourceId: string): boolean {
  const resolution = options.conflictResolve;
  if (!options.unidirectional || !resolution || resolution.paths || resolution.decisions || resolution.shown) return false;
  return resolution.policy?.kind === "storage" && resolution.policy.storage === sourceId;
}
