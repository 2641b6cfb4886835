import { BaseSyncer, type SyncResult } from "@wlsync/plugin-api";

/**
 * Any storage to any storage: core's engine does the three-way plan, and file content is
 * streamed through the backends, hashed on the way and swapped into place atomically.
 * Continuous mode runs the same engine on the paths the storages' watchers report.
 */
export class NaiveSyncer extends BaseSyncer {
  static override SYNCER_NAME = "naive";
  static override SOURCE_TYPES = ["*"];
  static override TARGET_TYPES = ["*"];
  static override ONE_SHOT = true;
  static override CONTINUOUS = true;
  static override UNIDIRECTIONAL = true;
  static override REQUIRES_MOUNT = false;

  override async oneShotSync(): Promise<SyncResult> {
    return this.context.engine.run(this.context, { syncer: this.name, emit: (event) => this.emit(event) });
  }

  override async startSync(): Promise<SyncResult> {
    return this.runContinuously();
  }
}
