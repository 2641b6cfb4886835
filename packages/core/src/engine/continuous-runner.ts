import { signatureOf, type ContinuousOptions, type ContinuousRunnerFactory, type ContinuousRunner as ContinuousRunnerContract, type SyncerContext } from "@wlsync/plugin-api";
import { errorMessage, isWlError } from "@wlsync/plugin-api";
import type { StorageEntry } from "@wlsync/plugin-api";
import type { StorageWatcher, WatchEvent } from "@wlsync/plugin-api";
import type { Transferer } from "@wlsync/plugin-api";
import type { Side, SyncResult } from "@wlsync/plugin-api";

export { signatureOf, type ContinuousOptions } from "@wlsync/plugin-api";

const OWN_WRITE_TTL_MS = 60_000;

/**
 * Continuous sync for any syncer built on the engine: watchers on both storages feed
 * change-driven passes over just the paths they report, with the same three-way rules,
 * compare-and-swap and verification as a one-shot pass. The runner's own writes are recognised
 * by the signature they left (per runner, so one job's write is still news to another job), and
 * events arriving while a pass applies are queued for the next one, never dropped.
 */
export class ContinuousRunner implements ContinuousRunnerContract {
  private readonly pending: Record<Side, Set<string>> = { source: new Set(), target: new Set() };
  private readonly ownWrites: Record<Side, Map<string, { signature: string; at: number }>> = { source: new Map(), target: new Map() };
  private readonly watchers: StorageWatcher[] = [];
  private fullRescan = false;
  private running = false;
  private timer?: NodeJS.Timeout;
  private rescanTimer?: NodeJS.Timeout;
  private busy?: Promise<void>;
  private retryMs = 0;
  lastResult?: SyncResult;
  lastError?: string;
  passes = 0;

  constructor(
    private readonly context: SyncerContext,
    private readonly options: ContinuousOptions,
  ) {}

  isRunning(): boolean {
    return this.running;
  }

  /** Starts watching, runs the initial full pass, and resolves with its result. */
  async start(): Promise<SyncResult> {
    this.running = true;
    // Watch first, so that a change made during the initial pass is not lost.
    for (const side of ["source", "target"] as const) {
      const watcher = this.context[side].watcher();
      await watcher.start((events) => this.onEvents(side, events));
      this.watchers.push(watcher);
    }
    let result: SyncResult;
    try {
      result = await this.pass(undefined);
    } catch (err) {
      await this.stop();
      throw err;
    }
    const rescanMs = this.options.rescanMs ?? 5 * 60_000;
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

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.rescanTimer) clearInterval(this.rescanTimer);
    await Promise.all(this.watchers.splice(0).map((w) => w.stop().catch(() => {})));
    await this.busy?.catch(() => {});
    this.options.emit({ type: "state", state: "stopped" });
  }

  /** Resolves once no pass is running or queued (for tests and `wl` waiting on a job). */
  async idle(): Promise<void> {
    while (this.busy || this.timer) await (this.busy ?? new Promise((r) => setTimeout(r, this.options.batchMs ?? 5)));
  }

  private onEvents(side: Side, events: WatchEvent[]): void {
    if (!this.running) return;
    for (const event of events) {
      if (event.type === "rescan") this.fullRescan = true;
      else if (this.context.filter.includes(event.path, false)) this.pending[side].add(event.path);
    }
    this.schedule();
  }

  private schedule(): void {
    if (!this.running || this.timer || this.busy) return;
    if (!this.fullRescan && this.pending.source.size === 0 && this.pending.target.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.busy = this.drain().finally(() => {
        this.busy = undefined;
        this.schedule();
      });
    }, this.options.batchMs ?? 5);
  }

  private async drain(): Promise<void> {
    const full = this.fullRescan;
    this.fullRescan = false;
    const paths = new Set<string>();
    for (const side of ["source", "target"] as const) {
      const batch = [...this.pending[side]];
      this.pending[side].clear();
      for (const path of batch) if (full || !(await this.isOwnWrite(side, path))) paths.add(path);
    }
    if (!full && paths.size === 0) return;
    try {
      await this.pass(full ? undefined : [...paths]);
    } catch (err) {
      // The job stays alive: the error is reported and a full pass is retried after a backoff
      // (1 s, doubling up to a minute), so the changes of this batch are not lost.
      this.lastError = errorMessage(err);
      this.options.emit({ type: "error", error: { path: "", code: isWlError(err) ? err.code : "E_ITEM", message: this.lastError } });
      this.options.emit({ type: "state", state: "error" });
      this.retryMs = Math.min((this.retryMs || 500) * 2, 60_000);
      const retry = setTimeout(() => {
        this.fullRescan = true;
        this.schedule();
      }, this.retryMs);
      retry.unref?.();
      return;
    }
    this.retryMs = 0;
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
    const now = signatureOf(await this.context[side].stat(path).catch(() => null));
    if (now === mine.signature) return true;
    this.ownWrites[side].delete(path);
    return false;
  }

  private async pass(scope: string[] | undefined): Promise<SyncResult> {
    const result = await this.context.engine.run(this.context, {
      syncer: this.options.syncer,
      transferer: typeof this.options.transferer === "function" ? this.options.transferer() : this.options.transferer,
      emit: this.options.emit,
      scope,
      onWrite: (side, path, signature) => this.ownWrites[side].set(path, { signature, at: Date.now() }),
    });
    this.passes++;
    this.lastResult = result;
    this.lastError = undefined;
    this.options.emit({ type: "pass", result });
    this.options.emit({ type: "state", state: "watching" });
    this.options.onPass?.(result);
    return result;
  }
}

/** The host's ContinuousRunnerFactory, handed to syncers as `SyncerContext.continuous`. */
export const startContinuous: ContinuousRunnerFactory = (context, options) => new ContinuousRunner(context, options);
