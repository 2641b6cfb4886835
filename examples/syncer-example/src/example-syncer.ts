import { BaseSyncer, ContinuousRunner, type SyncResult } from "@wlsync/core";
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

  private runner?: ContinuousRunner;

  override async oneShotSync(): Promise<SyncResult> {
    return this.context.engine.run(this.context, {
      syncer: this.name,
      transferer: new SmallFirstTransferer(),
      emit: (event) => this.emit(event),
    });
  }

  /**
   * Continuous: core's ContinuousRunner watches both storages and runs change-driven passes of
   * the engine over the reported paths, with this syncer's transferer moving the bytes. It
   * resolves with the initial pass; its own writes are not news, failed passes are retried.
   */
  override async startSync(): Promise<SyncResult> {
    if (this.runner?.isRunning()) throw new Error("already running");
    this.runner = new ContinuousRunner(this.context, {
      syncer: this.name,
      transferer: new SmallFirstTransferer(),
      emit: (event) => this.emit(event),
    });
    return this.runner.start();
  }

  override async stopSync(): Promise<void> {
    await this.runner?.stop();
  }

  override isRunning(): boolean {
    return this.runner?.isRunning() ?? false;
  }
}
