import { BaseSyncer, SyncerUnavailableError, type CopyTask, type StorageBackend, type TransferHooks, type Transferer, type SyncResult } from "@wlsync/plugin-api";
import { localRootOf } from "./local-root.js";
import { RsyncRemoteTransferer } from "./rsync-remote-transferer.js";
import { probeRsync, type RsyncProgram } from "./rsync-program.js";
import { RsyncTransferer } from "./rsync-transferer.js";
import { recoverInterrupted } from "./work-dir.js";

/** Tuning knob (bytes): files at least this big with an existing destination use rsync's delta algorithm. */
const DELTA_ENV = "WLSYNC_RSYNC_DELTA_MIN_BYTES";

/**
 * Local folder to local folder, and local folder to a folder on an SSH server (sftp storage)
 * and back. Core's engine plans (three-way merge, conflicts, state, safety gates) and applies
 * deletions, folders and links through the backends; the copy set goes to the rsync program
 * (over ssh for a remote storage, with delta transfer), and every copied file is verified by
 * sha256 before it is recorded as synced.
 */
export class RsyncSyncer extends BaseSyncer {
  static override SYNCER_NAME = "rsync";
  static override SOURCE_TYPES = ["local", "sftp"];
  static override TARGET_TYPES = ["local", "sftp"];
  /** rsync copies between two hosts, one of them this one: never sftp to sftp. */
  static override PAIRS: ReadonlyArray<readonly [string, string]> = [
    ["local", "local"],
    ["local", "sftp"],
    ["sftp", "local"],
  ];
  static override ONE_SHOT = true;
  static override CONTINUOUS = true;
  static override UNIDIRECTIONAL = true;
  static override REQUIRES_MOUNT = false;
  /**
   * Its delta transfer pays where a storage is on another machine (local ↔ sftp); between two
   * local folders rsync copies whole files (its own default there) and a direct copier is faster.
   */
  static override DELTA_TRANSFER = "remote" as const;

  /** A reason when rsync is missing from PATH or older than 3.1; core then falls back or exits 3. */
  static override async checkAvailable(): Promise<string | null> {
    const found = await probeRsync();
    return typeof found === "string" ? found : null;
  }

  override async oneShotSync(): Promise<SyncResult> {
    const program = await this.program();
    if (!this.context.options.dryRun) {
      for (const backend of this.localStorages()) await recoverInterrupted(localRootOf(backend), this.context.logger);
    }
    return this.context.engine.run(this.context, {
      syncer: this.name,
      transferer: this.transferer(program),
      emit: (event) => this.emit(event),
    });
  }

  /** Continuous: core's runner feeds change batches from the watchers; rsync moves each batch. */
  override async startSync(): Promise<SyncResult> {
    const program = await this.program();
    for (const backend of this.localStorages()) await recoverInterrupted(localRootOf(backend), this.context.logger);
    return this.runContinuously(() => new BatchSizeTransferer(this.context.engine.streamTransferer({ bwlimit: this.context.options.bwlimit }), this.transferer(program)));
  }

  private localStorages(): StorageBackend[] {
    return [this.context.source, this.context.target].filter((b) => b.type === "local");
  }

  /** The transfer engine for one pass (or, in continuous mode, one change batch). */
  protected transferer(program: RsyncProgram): Transferer {
    const { source, target, logger } = this.context;
    if (source.type !== "local" || target.type !== "local") return new RsyncRemoteTransferer({ program, logger, bwlimit: this.context.options.bwlimit });
    const delta = Number(process.env[DELTA_ENV]);
    return new RsyncTransferer({
      program,
      logger,
      bwlimit: this.context.options.bwlimit,
      signal: this.context.options.signal,
      deltaMinBytes: Number.isFinite(delta) && delta >= 0 && process.env[DELTA_ENV] !== "" ? delta : undefined,
    });
  }

  private async program(): Promise<RsyncProgram> {
    const found = await probeRsync();
    if (typeof found === "string") throw new SyncerUnavailableError(`syncer "rsync" cannot run here: ${found}`);
    return found;
  }
}

/**
 * Continuous mode's change batches are mostly a file or two: starting rsync costs tens of
 * milliseconds, more than copying them. Batches of up to SMALL_BATCH_FILES files and
 * SMALL_BATCH_BYTES bytes go through core's streaming transfer (same compare-and-swap and
 * verification); larger ones go to rsync.
 */
const SMALL_BATCH_FILES = 32;
const SMALL_BATCH_BYTES = 8 * 1024 * 1024;

class BatchSizeTransferer implements Transferer {
  constructor(
    private readonly small: Transferer,
    private readonly large: Transferer,
  ) {}

  copy(tasks: CopyTask[], hooks: TransferHooks): Promise<void> {
    const bytes = tasks.reduce((sum, t) => sum + t.action.entry.size, 0);
    const useSmall = tasks.length <= SMALL_BATCH_FILES && bytes <= SMALL_BATCH_BYTES;
    return (useSmall ? this.small : this.large).copy(tasks, hooks);
  }
}
