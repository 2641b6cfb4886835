import { BaseSyncer, type StorageWatcher, type SyncResult } from "@wlsync/core";
import { SmallFirstTransferer } from "./small-first-transferer.js";

/**
 * A third-party syncer as `wl` sees it: found by the keyword `wildland.storage_sync` in
 * package.json, chosen by the static traits below, built with `new ExampleSyncer(context)`.
 *
 * Local folders only, both directions, one-shot and continuous. The exact types make `wl`
 * prefer it over `naive` (which accepts `*`) for local pairs; UNIDIRECTIONAL is false, so
 * for `--unidirectional` passes `wl` falls back to `naive`.
 */
export class ExampleSyncer extends BaseSyncer {
  static override SYNCER_NAME = "example";
  static override SOURCE_TYPES = ["local"];
  static override TARGET_TYPES = ["local"];
  static override ONE_SHOT = true;
  static override CONTINUOUS = true;
  static override UNIDIRECTIONAL = false;
  static override REQUIRES_MOUNT = false;

  private running = false;
  private watchers: StorageWatcher[] = [];
  private current?: Promise<unknown>;
  private again = false;
  private debounce?: NodeJS.Timeout;

  override async oneShotSync(): Promise<SyncResult> {
    return this.pass();
  }

  /** One scan / plan / apply pass of core's engine, which keeps every rule of SPEC section 2. */
  private pass(): Promise<SyncResult> {
    // iterConflicts()/iterErrors() describe the latest pass.
    this.conflicts.clear();
    this.errors.length = 0;
    return this.context.engine.run(this.context, {
      syncer: this.name,
      transferer: new SmallFirstTransferer(),
      emit: (event) => this.emit(event),
    });
  }

  /** Continuous: a first pass, then a pass whenever a watcher reports a change on either side. */
  override async startSync(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.pass();
      for (const backend of [this.context.source, this.context.target]) {
        const watcher = backend.watcher();
        this.watchers.push(watcher);
        await watcher.start(() => this.schedule());
      }
    } catch (err) {
      await this.stopSync();
      throw err;
    }
    this.emit({ type: "state", state: "watching" });
  }

  override async stopSync(): Promise<void> {
    this.running = false;
    clearTimeout(this.debounce);
    await Promise.all(this.watchers.map((w) => w.stop()));
    this.watchers = [];
    await this.current;
    this.emit({ type: "state", state: "stopped" });
  }

  override isRunning(): boolean {
    return this.running;
  }

  /** Events come in bursts: wait for a quiet moment, and never run two passes at once. */
  private schedule(): void {
    if (!this.running) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.drain(), 50);
  }

  private async drain(): Promise<void> {
    if (this.current) {
      this.again = true;
      return;
    }
    do {
      this.again = false;
      this.current = this.pass().catch((err: Error & { code?: string }) => {
        // A failed pass (the max-delete gate, a storage gone) is reported; watching goes on.
        this.emit({ type: "error", error: { path: "", code: err.code ?? "E_ITEM", message: err.message } });
      });
      await this.current;
      this.current = undefined;
    } while (this.again && this.running);
    // Our own writes come back from the polling watchers once; that pass finds nothing to do.
    if (this.running) this.emit({ type: "state", state: "watching" });
  }
}
