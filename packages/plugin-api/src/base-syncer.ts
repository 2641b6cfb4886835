import { EventEmitter } from "node:events";
import type { ContinuousRunner, FlushOutcome, SyncerContext } from "./syncer-context.js";
import type { Transferer } from "./transferer.js";
import type { Conflict, ItemError, SyncEvent, SyncResult } from "./sync-types.js";

export interface SyncerTraits {
  SYNCER_NAME: string;
  SOURCE_TYPES: string[];
  TARGET_TYPES: string[];
  ONE_SHOT: boolean;
  CONTINUOUS: boolean;
  UNIDIRECTIONAL: boolean;
  REQUIRES_MOUNT: boolean;
  /**
   * Optional: the only (source type, target type) pairs served, when SOURCE_TYPES × TARGET_TYPES
   * says too much (rsync serves local ↔ local and local ↔ sftp, but not sftp → sftp).
   * `*` matches any type. Absent: every pair of SOURCE_TYPES × TARGET_TYPES.
   */
  PAIRS?: ReadonlyArray<readonly [string, string]>;
  /** Optional: where this syncer's transfer pays (see BaseSyncer.DELTA_TRANSFER). */
  DELTA_TRANSFER?: DeltaTransfer;
}

/**
 * Where a syncer's way of moving bytes pays off. `"none"`: it copies files whole, as fast as
 * the storages allow. `"remote"`: it sends deltas (rsync's algorithm), which saves bytes on a
 * network but costs more than a plain copy between two folders of this machine, so selection
 * ranks it after the other eligible syncers when both storages are folders here.
 */
export type DeltaTransfer = "none" | "remote";

/**
 * Base of every syncer. Traits are static fields; packages carrying the keyword
 * `wildland.storage_sync` export a subclass (default export or `syncer`).
 */
export abstract class BaseSyncer {
  static SYNCER_NAME = "";
  static SOURCE_TYPES: string[] = ["*"];
  static TARGET_TYPES: string[] = ["*"];
  static ONE_SHOT = false;
  static CONTINUOUS = false;
  static UNIDIRECTIONAL = false;
  static REQUIRES_MOUNT = false;
  /** Optional: the only (source type, target type) pairs served (see SyncerTraits.PAIRS). */
  static PAIRS: ReadonlyArray<readonly [string, string]> | undefined = undefined;
  /** Where its transfer pays (see DeltaTransfer): `"remote"` ranks it after direct copiers for two local folders. */
  static DELTA_TRANSFER: DeltaTransfer = "none";
  /** Resolves to a reason when the syncer cannot run on this machine (a missing program...). */
  static async checkAvailable(): Promise<string | null> {
    return null;
  }

  protected readonly conflicts = new Map<string, Conflict>();
  protected readonly errors: ItemError[] = [];
  private readonly emitter = new EventEmitter();

  constructor(protected readonly context: SyncerContext) {}

  get name(): string {
    return (this.constructor as typeof BaseSyncer).SYNCER_NAME;
  }

  async oneShotSync(): Promise<SyncResult> {
    throw new Error(`syncer ${this.name} does not support one-shot sync`);
  }
  /** Starts continuous sync; resolves with the result of the initial pass. */
  async startSync(): Promise<SyncResult> {
    throw new Error(`syncer ${this.name} does not support continuous sync`);
  }
  async stopSync(): Promise<void> {
    await this.runner?.stop();
  }
  isRunning(): boolean {
    return this.runner?.isRunning() ?? false;
  }
  /** Paths waiting for a continuous pass (0 when not running continuously on the host's runner). */
  queued(): number {
    return this.runner?.isRunning() ? (this.runner.queued?.() ?? 0) : 0;
  }

  /** Continuous: syncs what the watchers reported up to now (see ContinuousRunner.flush); not answered when not running on the host's runner. */
  async flush(): Promise<FlushOutcome> {
    if (!this.runner?.isRunning() || !this.runner.flush)
      return { answered: false, reason: `syncer ${this.name} is not running continuously on the host's runner` };
    return this.runner.flush();
  }

  private runner?: ContinuousRunner;

  /**
   * Continuous sync on the host's continuous runner (`context.continuous`), for syncers built on the engine: watchers on
   * both storages feed change-driven passes; `transferer` (one, or a factory called per pass)
   * moves the bytes. Resolves with the initial pass; stopSync/isRunning follow it.
   */
  protected async runContinuously(transferer?: Transferer | (() => Transferer)): Promise<SyncResult> {
    if (this.runner?.isRunning()) throw new Error(`syncer ${this.name} is already running`);
    this.runner = this.context.continuous(this.context, { syncer: this.name, transferer, emit: (event) => this.emit(event) });
    return this.runner.start();
  }

  *iterErrors(): IterableIterator<ItemError> {
    yield* this.errors;
  }
  *iterConflicts(): IterableIterator<Conflict> {
    yield* this.conflicts.values();
  }

  on(listener: (event: SyncEvent) => void): () => void {
    this.emitter.on("event", listener);
    return () => this.emitter.off("event", listener);
  }

  protected emit(event: SyncEvent): void {
    if (event.type === "conflict") this.conflicts.set(event.conflict.path, event.conflict);
    if (event.type === "error") this.errors.push(event.error);
    this.emitter.emit("event", event);
  }
}

export type SyncerClass = (abstract new (context: SyncerContext) => BaseSyncer) & SyncerTraits & { checkAvailable?: () => Promise<string | null> };
