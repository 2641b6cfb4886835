import { BaseSyncer, type SyncResult } from "@wlsync/plugin-api";
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

  override async oneShotSync(): Promise<SyncResult> {
    return this.context.engine.run(this.context, {
      syncer: this.name,
      transferer: new SmallFirstTransferer(this.context.engine),
      emit: (event) => this.emit(event),
    });
  }

  /**
   * Continuous: BaseSyncer's runContinuously (the host's continuous runner, `context.continuous`) watches both storages and
   * runs change-driven passes of the engine over the reported paths, with this syncer's
   * transferer moving the bytes; it resolves with the initial pass, and stopSync/isRunning
   * follow it. Own writes are not news, failed passes are retried.
   */
  override async startSync(): Promise<SyncResult> {
    return this.runContinuously(() => new SmallFirstTransferer(this.context.engine));
  }
}
