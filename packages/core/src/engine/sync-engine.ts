import { inject, injectable } from "../di/tsyringe.js";
import type { CopyDone, CopyTask, RunOptions, SyncEngine as SyncEngineContract, SyncerContext, TransferHooks } from "@wlsync/plugin-api";
import { MaxDeleteError, errorMessage } from "@wlsync/plugin-api";
import type { Logger } from "@wlsync/plugin-api";
import type { StorageBackend } from "@wlsync/plugin-api";
import { TOKENS } from "../di/tokens.js";
import { PairLock } from "../state/pair-lock.js";
import type { PairState } from "../state/pair-state.js";
import type { StateStore } from "../state/state-store.js";
import { applyPlan } from "./apply.js";
import { plan as reconcile } from "./plan.js";
import { SIDES, other } from "./side.js";
import { dropUnsupported, hashForPlan, scanScope, scanStorage, scopeRoots } from "./scan.js";
import type { PathFilter } from "@wlsync/plugin-api";
import { StateJournal } from "./state-journal.js";
import { StreamTransferer, copyOne } from "./stream-transferer.js";
import { ancestorsOf } from "../util/paths.js";
import type { Transferer } from "@wlsync/plugin-api";
import type { WriteListener } from "./apply.js";
import { emptyCounters, type Conflict, type ItemError, type Plan, type Side, type StorageEntry, type SyncEvent, type SyncResult } from "@wlsync/plugin-api";
import { describeConflicts } from "./conflict-details.js";
import { resolveConflicts } from "./resolve-conflicts.js";
import { pruneVersions } from "../versions/version-service.js";

export type { RunOptions } from "@wlsync/plugin-api";

/**
 * The reusable scan / plan / apply engine every syncer builds on: it keeps the rules of
 * SPEC section 2 (three-way merge against the stored state, conflicts touch nothing,
 * compare-and-swap, verification, the max-delete gate) whatever moves the bytes.
 */
@injectable()
export class SyncEngine implements SyncEngineContract {
  constructor(
    @inject(TOKENS.StateStore) private readonly state: StateStore,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  streamTransferer(): Transferer {
    return new StreamTransferer();
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
      const [sourceScan, targetScan] = await Promise.all([scan(source), scan(target)]);
      const scans = { source: sourceScan, target: targetScan };
      dropUnsupported(scans.source.listing, target, warnings);
      dropUnsupported(scans.target.listing, source, warnings);
      options.emit({ type: "state", state: "planning" });
      const synced = partial ? pair.loadSyncedUnder(roots, parents) : pair.loadSynced();
      const hashErrors = await hashForPlan(scans, { source, target }, synced);
      const plan = reconcile(
        { synced, openConflicts: new Map(pair.loadConflicts().map((c) => [c.path, c])) },
        { entries: scans.source.listing, unknown: scans.source.opaque, shallow: parents },
        { entries: scans.target.listing, unknown: scans.target.opaque, shallow: parents },
        { direction: ctx.options.unidirectional ? "one-way" : "two-way" },
      );
      plan.errors.push(...scans.source.errors, ...scans.target.errors, ...hashErrors);
      // Conflicts name each storage and show both sides; then a policy, if any, settles them.
      const hash = (side: Side, entry: StorageEntry) => (side === "source" ? source : target).getHash(entry.path, entry);
      const listings = { source: scans.source.listing, target: scans.target.listing };
      await describeConflicts(plan.conflicts, { ...listings, base: synced, names: { source: source.backendId, target: target.backendId }, hash });
      const resolution = ctx.options.conflictResolve;
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
      if (ctx.options.dryRun) {
        result.durationMs = Date.now() - started;
        return result;
      }
      if (partial) {
        // A change-driven pass sees part of each side: the gate weighs deletions against all synced files.
        const files = pair.countSyncedFiles();
        plan.fileCounts = { source: Math.max(files, plan.fileCounts.source), target: Math.max(files, plan.fileCounts.target) };
      }
      if (!partial) this.checkEmptied(plan, { source: scans.source.listing.size, target: scans.target.listing.size }, pair, ctx);
      this.checkMaxDelete(plan, ctx);
      pair.commit(plan.records, plan.forgets);
      options.emit({ type: "state", state: "applying" });
      const outcome = await applyPlan(plan, {
        source,
        target,
        transferer: options.transferer ?? new StreamTransferer(),
        journal: new StateJournal(pair),
        emit: options.emit,
        onWrite: options.onWrite,
      });
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
   * disk that is not mounted (its empty mount point) than a user who deleted everything: below
   * the max-delete gate's 10 files too, its emptiness is not propagated without --force (Unison
   * asks the same question). Deleting one's only file is not stopped.
   */
  private checkEmptied(plan: Plan, entries: Record<Side, number>, pair: PairState, ctx: SyncerContext): void {
    if (ctx.options.force) return;
    const storages = { source: ctx.source, target: ctx.target };
    for (const side of SIDES) {
      if (entries[side] > 0) continue;
      if (plan.actions.filter((a) => a.type === "delete" && a.to === other(side) && a.kind !== "dir").length < 2) continue;
      const synced = pair.countSyncedFiles();
      const backend = storages[side];
      throw new MaxDeleteError(
        `storage ${backend.backendId} is empty, but ${synced} file${synced === 1 ? " was" : "s were"} synced with it at the last pass: is its disk mounted (${backend.describe()})? ` +
          `Nothing was changed. If you emptied it on purpose, run again with --force to delete the same files on ${storages[other(side)].backendId}.`,
      );
    }
  }

  private checkMaxDelete(plan: Plan, ctx: SyncerContext): void {
    if (ctx.options.force) return;
    for (const side of SIDES) {
      const files = plan.fileCounts[side];
      if (files < 10) continue;
      const deletions = plan.actions.filter((a) => a.type === "delete" && a.to === side && a.kind !== "dir").length;
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
