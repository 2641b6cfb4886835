import { errorMessage, isWlError, MaxDeleteError, type FlushOutcome, type ContinuousOptions as BaseContinuousOptions, type ContinuousRunner as ContinuousRunnerContract, type ContinuousRunnerFactory, type SyncerContext } from "@wlsync/plugin-api";
import type { StorageWatcher, WatchEvent } from "@wlsync/plugin-api";
import type { Plan, Side, SyncResult } from "@wlsync/plugin-api";
import { parentOf } from "../util/paths.js";

export { signatureOf } from "@wlsync/plugin-api";
import { permissionsOf, signatureOf } from "@wlsync/plugin-api";

export interface ContinuousOptions extends BaseContinuousOptions {
  /** Events are gathered this long before a pass starts (ms). Env WLSYNC_BATCH_MS. */
  batchMs?: number;
  /** A full pass runs this often even without events, in case an event was lost (ms; 0 = never). Env WLSYNC_RESCAN_MS. */
  rescanMs?: number;
  /**
   * A pass that would delete waits until no change has been reported for this long (ms), so
   * that one user operation (an `rm -rf` of many folders, a loop of small `rm`s) is judged
   * by the max-delete gate as a whole, not batch by batch. Env WLSYNC_SETTLE_MS.
   */
  settleMs?: number;
  /** Deletions are also counted over this sliding window (ms) against the side's size at its start. Env WLSYNC_DELETE_WINDOW_MS. */
  deleteWindowMs?: number;
  /** A failed item is retried after this long (ms), doubling up to `retryMaxMs`. Env WLSYNC_RETRY_MS. */
  retryMs?: number;
  retryMaxMs?: number;
}

const OWN_WRITE_TTL_MS = 60_000;

/**
 * Errors that stop the runner until the user releases it: a tripped safety gate, and a storage
 * that is not the one it was (another disk at its path, an older copy of itself).
 */
const HALTS = new Set(["E_MAX_DELETE", "E_STORAGE_CHANGED"]);

function envMs(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value >= 0 && process.env[name] !== "" ? value : fallback;
}

/** Thrown by the gate hook: the pass would delete while changes are still coming in. */
class SettlingError extends Error {}

/** A deletion applied by a pass, kept for the sliding-window gate. */
interface Deleted {
  at: number;
  side: Side;
  files: number;
}

/** Why the runner stopped passing (a tripped gate): nothing more happens until it is restarted. */
export interface HaltInfo {
  code: string;
  message: string;
  /** What the stopped pass would have deleted, per side (first 50 paths each). */
  wouldDelete: Record<Side, string[]>;
  wouldDeleteCount: Record<Side, number>;
}

/**
 * Continuous sync for any syncer built on the engine: watchers on both storages feed
 * change-driven passes over just the paths they report, with the same three-way rules,
 * compare-and-swap and verification as a one-shot pass. The runner's own writes are recognised
 * by the signature they left (per runner, so one job's write is still news to another job), and
 * events arriving while a pass applies are queued for the next one, never dropped.
 *
 * A change-driven pass keeps every promise of a one-shot pass: the emptied-storage check runs on
 * every pass; deletions wait for changes to settle and are counted across passes (a sliding
 * window and since the last full pass) against the side's size, so the max-delete gate judges
 * user operations, not batches; a tripped gate halts the runner before anything is deleted;
 * `--force` covers the initial pass only. Failed items are retried with a backoff starting at a
 * second; a changed `.wlsyncignore` reloads the filter and rescans.
 */
export class ContinuousRunner implements ContinuousRunnerContract {
  private readonly pending: Record<Side, Set<string>> = { source: new Set(), target: new Set() };
  /** Paths to look at again without the own-write check (deferred passes, retries). */
  private readonly again = new Set<string>();
  private readonly ownWrites: Record<Side, Map<string, { signature: string; mode?: number; at: number }>> = { source: new Map(), target: new Map() };
  private readonly watchers: StorageWatcher[] = [];
  private fullRescan = false;
  private reloadIgnore = false;
  /** A pass found a storage gone: once one succeeds again, the watchers start afresh. */
  private storageLost = false;
  private running = false;
  private timer?: NodeJS.Timeout;
  private rescanTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private busy?: Promise<void>;
  private retryMs = 0;
  private lastEventAt = 0;
  private readonly deleted: Deleted[] = [];
  /** Files on each side at the last full pass, and deletions applied since. */
  private atFullPass?: { files: Record<Side, number>; deleted: Record<Side, number> };
  /** Failed items: path → attempts so far and when to try again. */
  private readonly retries = new Map<string, { attempts: number; due: number }>();
  private lastPlan?: Plan;
  private readonly settleMs: number;
  private readonly windowMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly batchMs: number;
  halted?: HaltInfo;
  /** Called with every pass's result (flush collects the passes it waited for). */
  private readonly passListeners = new Set<(result: SyncResult, scope?: string[]) => void>();
  lastResult?: SyncResult;
  lastError?: string;
  passes = 0;

  constructor(
    private readonly context: SyncerContext,
    private readonly options: ContinuousOptions,
  ) {
    this.settleMs = options.settleMs ?? envMs("WLSYNC_SETTLE_MS", 1000);
    this.windowMs = options.deleteWindowMs ?? envMs("WLSYNC_DELETE_WINDOW_MS", 60_000);
    this.retryBaseMs = options.retryMs ?? envMs("WLSYNC_RETRY_MS", 1000);
    this.retryMaxMs = options.retryMaxMs ?? 5 * 60_000;
    this.batchMs = options.batchMs ?? envMs("WLSYNC_BATCH_MS", 5);
  }

  isRunning(): boolean {
    return this.running;
  }

  /** Paths waiting for a pass (changes reported and not yet synced, and failed items waiting for a retry). */
  queued(): number {
    return this.pending.source.size + this.pending.target.size + this.again.size + this.retries.size;
  }

  /** Starts watching, runs the initial full pass (forced if the job was started with --force), and resolves with its result. */
  async start(): Promise<SyncResult> {
    this.running = true;
    // Watch first, so that a change made during the initial pass is not lost.
    await this.watch();
    let result: SyncResult;
    try {
      result = await this.pass(undefined, this.context.options.force);
    } catch (err) {
      if (isWlError(err) && HALTS.has(err.code)) this.halt(err, err.code);
      await this.stop();
      throw err;
    }
    const rescanMs = this.options.rescanMs ?? envMs("WLSYNC_RESCAN_MS", 5 * 60_000);
    if (rescanMs > 0) {
      this.rescanTimer = setInterval(() => {
        this.fullRescan = true;
        this.schedule();
      }, rescanMs);
      this.rescanTimer.unref?.();
    }
    this.schedule();
    return result;
  }

  private async watch(): Promise<void> {
    for (const side of ["source", "target"] as const) {
      const watcher = this.context[side].watcher();
      await watcher.start((events) => this.onEvents(side, events));
      this.watchers.push(watcher);
    }
  }

  /**
   * A storage that was gone (unmounted, moved away) and is back: the old watches followed the
   * folder that went away, or ended with its file system. New watchers, then a full pass.
   */
  private async rewatch(): Promise<void> {
    await Promise.all(this.watchers.splice(0).map((w) => w.stop().catch(() => {})));
    try {
      await this.watch();
    } catch (err) {
      this.context.logger.warn(`${this.context.container}: cannot watch again after a storage came back: ${errorMessage(err)}`);
    }
    this.context.logger.info(`${this.context.container}: a storage came back: watching it again, rescanning`);
    this.fullRescan = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.rescanTimer) clearInterval(this.rescanTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await Promise.all(this.watchers.splice(0).map((w) => w.stop().catch(() => {})));
    await this.busy?.catch(() => {});
    this.options.emit({ type: "state", state: this.halted ? "paused" : "stopped" });
  }

  /** Resolves once no pass is running or queued (for tests and `wl` waiting on a job). */
  async idle(): Promise<void> {
    while (this.busy || this.timer) await (this.busy ?? new Promise((r) => setTimeout(r, this.batchMs)));
  }

  /**
   * `wl container sync --one-shot` answered from what the watchers know: waits until both
   * watchers have delivered every change made before the call (StorageWatcher.sync), runs the
   * passes those changes need now (failed items waiting for their retry included), and returns
   * them; no pass when nothing changed. A full rescan that is due (a queue overflow, a lost
   * watch, an ignore file changed) runs now and is part of the answer: a pass run by the caller
   * instead would only collide with it on the pair's lock. Not answered when a watcher cannot
   * vouch for knowing every change (no barrier: polling), the runner is paused at a gate, or
   * changes keep coming for `limitMs`.
   */
  async flush(limitMs = 30_000): Promise<FlushOutcome> {
    const no = (reason: string): FlushOutcome => ({ answered: false, reason });
    if (!this.running) return no("the job is not running");
    if (this.halted) return no(`the job is paused: ${this.halted.message}`);
    const barriers = this.watchers.map((w) => w.sync);
    if (this.watchers.length < 2 || barriers.some((b) => !b)) return no("a watcher of the pair polls, so it cannot tell that it has seen every change");
    try {
      await Promise.all(this.watchers.map((w) => w.sync!()));
    } catch (err) {
      return no(`a watcher cannot confirm it is up to date: ${errorMessage(err)}`);
    }
    const passes: SyncResult[] = [];
    let rescanned = false;
    const listener = (result: SyncResult, scope?: string[]) => {
      passes.push(result);
      if (!scope) rescanned = true;
    };
    this.passListeners.add(listener);
    try {
      // Failed items are due now, as a pass run by hand would try them.
      for (const [path, retry] of this.retries) {
        this.again.add(path);
        retry.due = Number.POSITIVE_INFINITY;
      }
      const deadline = Date.now() + limitMs;
      for (;;) {
        const halted = this.halted as HaltInfo | undefined; // set by a pass meanwhile
        if (halted) return no(`the job paused at a safety gate: ${halted.message}`);
        if (!this.running) return no("the job stopped");
        const waiting = this.pending.source.size + this.pending.target.size + this.again.size + (this.fullRescan ? 1 : 0);
        if (!this.busy && !this.timer && waiting === 0) break;
        if (Date.now() > deadline) return no(`changes kept coming for ${Math.round(limitMs / 1000)} s`);
        // A batch waiting for its timer runs now; paths put back while deletions settle (see
        // judge) are tried again until they have.
        if (!this.busy && this.timer) {
          clearTimeout(this.timer);
          this.timer = undefined;
        }
        if (!this.busy && !this.timer) this.schedule(0);
        await (this.busy ?? new Promise((r) => setTimeout(r, 10)));
      }
      return { answered: true, passes, ...(rescanned ? { rescanned } : {}) };
    } finally {
      this.passListeners.delete(listener);
    }
  }

  private onEvents(side: Side, events: WatchEvent[]): void {
    if (!this.running || this.halted) return;
    this.lastEventAt = Date.now();
    for (const event of events) {
      if (event.type === "rescan") {
        this.context.logger.info(`${this.context.container}: ${this.context[side].backendId}: rescanning ${event.path || "everything"}${event.reason ? ` (${event.reason})` : ""}`);
        if (event.path === "") this.fullRescan = true;
        else this.again.add(event.path);
        continue;
      }
      if (event.path === ".wlsyncignore" || event.path.endsWith("/.wlsyncignore")) {
        this.reloadIgnore = true;
        this.fullRescan = true;
      }
      // A name the watcher could not decode (not UTF-8) is looked at through its folder, whose listing reports it.
      const path = event.path.includes("\uFFFD") ? parentOf(event.path) : event.path;
      if (path === "") this.fullRescan = true;
      else if (this.context.filter.includes(path, false)) this.pending[side].add(path);
    }
    this.schedule();
  }

  private schedule(delayMs = this.batchMs): void {
    if (!this.running || this.halted || this.timer || this.busy) return;
    if (!this.fullRescan && this.pending.source.size === 0 && this.pending.target.size === 0 && this.again.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.busy = this.drain().finally(() => {
        this.busy = undefined;
        this.schedule();
      });
    }, delayMs);
  }

  private async drain(): Promise<void> {
    if (this.reloadIgnore && this.context.reloadFilter) {
      this.reloadIgnore = false;
      try {
        this.context.filter = await this.context.reloadFilter();
        this.context.logger.info(`${this.context.container}: an ignore file changed; filter reloaded, rescanning`);
      } catch (err) {
        this.context.logger.warn(`${this.context.container}: cannot reload the ignore files: ${errorMessage(err)}`);
      }
    }
    const full = this.fullRescan;
    this.fullRescan = false;
    const paths = new Set<string>(this.again);
    this.again.clear();
    for (const side of ["source", "target"] as const) {
      const batch = [...this.pending[side]];
      this.pending[side].clear();
      for (const path of batch) if (full || !(await this.isOwnWrite(side, path))) paths.add(path);
    }
    if (!full && paths.size === 0) return;
    try {
      await this.pass(full ? undefined : [...paths], false);
    } catch (err) {
      if (err instanceof SettlingError) {
        // Changes are still coming in: look at the same paths again once they settle.
        if (full) this.fullRescan = true;
        for (const p of paths) this.again.add(p);
        const wait = Math.max(this.batchMs, this.settleMs - (Date.now() - this.lastEventAt));
        setTimeout(() => this.schedule(), wait).unref?.();
        return;
      }
      this.lastError = errorMessage(err);
      if (isWlError(err) && HALTS.has(err.code)) {
        this.halt(err, err.code);
        return;
      }
      // The job stays alive: the error is reported and a full pass is retried after a backoff
      // (1 s, doubling up to a minute; a storage that is gone is looked at every retry period),
      // so the changes of this batch are not lost.
      const code = isWlError(err) ? err.code : "E_ITEM";
      this.options.emit({ type: "error", error: { path: "", code, message: this.lastError } });
      this.options.emit({ type: "state", state: code === "E_STORAGE_UNAVAILABLE" ? "paused" : "error" });
      if (code === "E_STORAGE_UNAVAILABLE") this.storageLost = true;
      this.retryMs = code === "E_STORAGE_UNAVAILABLE" ? Math.max(this.retryBaseMs, 500) : Math.min((this.retryMs || this.retryBaseMs / 2) * 2, 60_000);
      const retry = setTimeout(() => {
        this.fullRescan = true;
        if (!full) for (const p of paths) this.again.add(p);
        this.schedule();
      }, this.retryMs);
      retry.unref?.();
      return;
    }
    this.retryMs = 0;
    if (this.storageLost && this.running) {
      this.storageLost = false;
      await this.rewatch();
    }
  }

  /** Stops passing after a tripped gate (says what would have been deleted) or a storage that is not the one it was. */
  private halt(err: Error, code: string): void {
    const wouldDelete: Record<Side, string[]> = { source: [], target: [] };
    const wouldDeleteCount: Record<Side, number> = { source: 0, target: 0 };
    for (const a of code === "E_MAX_DELETE" ? (this.lastPlan?.actions ?? []) : []) {
      if (a.type !== "delete" || a.kind === "dir") continue;
      wouldDeleteCount[a.to]++;
      if (wouldDelete[a.to].length < 50) wouldDelete[a.to].push(a.path);
    }
    this.halted = { code, message: err.message, wouldDelete, wouldDeleteCount };
    this.context.logger.warn(`${this.context.container}: paused: ${err.message}`);
    const list = (["source", "target"] as const)
      .filter((side) => wouldDeleteCount[side])
      .map((side) => ` Would delete on ${this.context[side].backendId} (${wouldDeleteCount[side]}): ${wouldDelete[side].slice(0, 10).join(", ")}${wouldDeleteCount[side] > 10 ? ", …" : ""}.`)
      .join("");
    this.options.emit({ type: "error", error: { path: "", code, message: err.message + list } });
    this.options.emit({ type: "state", state: "paused" });
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A change this runner made itself, still exactly as it left it. */
  private async isOwnWrite(side: Side, path: string): Promise<boolean> {
    const mine = this.ownWrites[side].get(path);
    // A folder looks the same however often it is recreated ("dir"): only files and links,
    // whose signatures change with every write, can be told apart from a user's change.
    if (!mine || mine.signature === "dir") return false;
    if (Date.now() - mine.at > OWN_WRITE_TTL_MS) {
      this.ownWrites[side].delete(path);
      return false;
    }
    const entry = await this.context[side].stat(path).catch(() => null);
    // A chmod moves no token on every storage (sftp's is size and mtime): the bits count too.
    const mode = permissionsOf(entry ?? undefined);
    if (signatureOf(entry) === mine.signature && (mine.mode === undefined || mode === undefined || mode === mine.mode)) return true;
    this.ownWrites[side].delete(path);
    return false;
  }

  /**
   * The cross-pass max-delete gate, judged before the engine's one-shot gates: the deletions
   * this plan would make on a side, plus those applied within the window (and since the last
   * full pass), against the files the side held at the start of that window.
   */
  private judge(plan: Plan, partial: boolean): void {
    this.lastPlan = plan;
    const planned: Record<Side, number> = { source: 0, target: 0 };
    for (const a of plan.actions) if (a.type === "delete" && a.kind !== "dir") planned[a.to]++;
    if (planned.source + planned.target === 0) return;
    if (Date.now() - this.lastEventAt < this.settleMs) throw new SettlingError();
    const now = Date.now();
    while (this.deleted.length && now - this.deleted[0]!.at > this.windowMs) this.deleted.shift();
    const maxDelete = this.context.options.maxDelete;
    for (const side of ["source", "target"] as const) {
      if (!planned[side]) continue;
      const backend = this.context[side];
      const inWindow = this.deleted.filter((d) => d.side === side).reduce((n, d) => n + d.files, 0);
      // fileCounts are the side's files now (the window's deletions already gone from them).
      const checks: Array<[number, number, string]> = [[plan.fileCounts[side] + inWindow, inWindow, `in the last ${Math.round(this.windowMs / 1000)} s`]];
      if (this.atFullPass && partial) checks.push([this.atFullPass.files[side], this.atFullPass.deleted[side], "since the last full pass"]);
      for (const [files, before, when] of checks) {
        if (files < 10 || before === 0) continue; // a single pass is judged by the engine's own gate
        const total = before + planned[side];
        if (total > (files * maxDelete) / 100) {
          throw new MaxDeleteError(
            `deleting ${planned[side]} more file${planned[side] === 1 ? "" : "s"} on ${backend.backendId} would make ${total} of its ${files} files deleted ${when} (more than max-delete ${maxDelete}%); nothing more was deleted. ` +
              `If that is intended, run wl container resume ${this.context.container} --force (or wl container sync --one-shot --force ${this.context.container}).`,
          );
        }
      }
    }
  }

  private async pass(scope: string[] | undefined, force: boolean): Promise<SyncResult> {
    // --force and an accepted storage cover the initial pass only.
    const first = this.passes === 0;
    const context =
      force === this.context.options.force && (first || !this.context.options.acceptStorages)
        ? this.context
        : { ...this.context, options: { ...this.context.options, force, ...(first ? {} : { acceptStorages: undefined }) } };
    const result = await this.context.engine.run(context, {
      syncer: this.options.syncer,
      transferer: typeof this.options.transferer === "function" ? this.options.transferer() : this.options.transferer,
      emit: this.options.emit,
      scope,
      onWrite: (side, path, signature, mode) => this.ownWrites[side].set(path, { signature, mode, at: Date.now() }),
      gate: (plan, info) => this.judge(plan, info.partial),
      intents: true,
    });
    this.passes++;
    this.lastResult = result;
    this.lastError = undefined;
    this.account(result, scope, force);
    this.options.emit({ type: "pass", result, ...(scope ? { scope } : {}) });
    this.options.emit({ type: "state", state: "watching" });
    this.options.onPass?.(result);
    for (const listener of this.passListeners) listener(result, scope);
    return result;
  }

  /**
   * Remembers the pass's deletions for the gate and schedules retries of its failed items. A
   * forced pass's deletions were approved by the user: the windows start afresh after them
   * (they never count again), from the sides' sizes they left.
   */
  private account(result: SyncResult, scope: string[] | undefined, forced = false): void {
    const now = Date.now();
    const files: Record<Side, number> = { source: result.counters.deletedOnSource, target: result.counters.deletedOnTarget };
    if (forced) {
      this.deleted.length = 0;
      const counts = result.plan.fileCounts; // the sides' sizes before this pass's deletions
      this.atFullPass = { files: { source: Math.max(0, counts.source - files.source), target: Math.max(0, counts.target - files.target) }, deleted: { source: 0, target: 0 } };
    } else if (!scope) {
      this.atFullPass = { files: { ...result.plan.fileCounts }, deleted: { source: 0, target: 0 } };
      // fileCounts are the sides' sizes before this pass's deletions
    } else if (this.atFullPass) {
      this.atFullPass.deleted.source += files.source;
      this.atFullPass.deleted.target += files.target;
    }
    if (!forced) for (const side of ["source", "target"] as const) if (files[side]) this.deleted.push({ at: now, side, files: files[side] });
    // Failed items: retried with a backoff; an item that went through (or is gone) is forgotten.
    const failed = new Map<string, string>();
    for (const e of result.errors) if (e.path !== "") failed.set(e.path.includes("\uFFFD") ? parentOf(e.path) : e.path, e.code);
    for (const path of [...this.retries.keys()]) {
      const covered = !scope || scope.some((s) => s === "" || path === s || path.startsWith(`${s}/`));
      if (covered && !failed.has(path)) this.retries.delete(path);
    }
    for (const path of failed.keys()) {
      const attempts = (this.retries.get(path)?.attempts ?? 0) + 1;
      this.retries.set(path, { attempts, due: now + Math.min(this.retryBaseMs * 2 ** (attempts - 1), this.retryMaxMs) });
    }
    this.armRetries();
  }

  private armRetries(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!this.running) return;
    const next = Math.min(...[...this.retries.values()].map((r) => r.due));
    if (!Number.isFinite(next)) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const now = Date.now();
      for (const [path, r] of this.retries) {
        if (r.due > now) continue;
        this.again.add(path);
        r.due = Number.POSITIVE_INFINITY; // until the pass that retries it says how it went
      }
      this.schedule();
      this.armRetries();
    }, Math.max(0, next - Date.now()));
    this.retryTimer.unref?.();
  }
}

/** The host's ContinuousRunnerFactory, handed to syncers as `SyncerContext.continuous`. */
export const startContinuous: ContinuousRunnerFactory = (context, options) => new ContinuousRunner(context, options);
