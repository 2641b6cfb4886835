import { EventEmitter } from "node:events";
import type { Logger } from "./logger.js";
import type { StorageBackend } from "./storage-backend.js";
import type { ContinuousRunner, ContinuousRunnerFactory, PathFilter, SyncEngine } from "./engine.js";
import type { Transferer } from "./transferer.js";
import type { Conflict, ConflictResolution, ItemError, SyncEvent, SyncResult } from "./sync-types.js";

export interface SyncOptions {
  unidirectional: boolean;
  dryRun: boolean;
  force: boolean;
  /** Percentage of a side's files one pass may delete before the gate stops it. */
  maxDelete: number;
  /** Conflicts to settle, and how (absent: conflicts are left untouched). */
  conflictResolve?: ConflictResolution;
}

/**
 * What a syncer gets from the host: the pair of storages, the options of the run, and the host's
 * services as interfaces (values, never classes a plugin would have to import from the host).
 */
export interface SyncerContext {
  /** Name of the container being synced. */
  container: string;
  source: StorageBackend;
  target: StorageBackend;
  options: SyncOptions;
  filter: PathFilter;
  /** The host's scan/plan/apply engine. */
  engine: SyncEngine;
  /** Makes a continuous runner over this context (BaseSyncer.runContinuously uses it). */
  continuous: ContinuousRunnerFactory;
  logger: Logger;
}

export interface SyncerTraits {
  SYNCER_NAME: string;
  SOURCE_TYPES: string[];
  TARGET_TYPES: string[];
  ONE_SHOT: boolean;
  CONTINUOUS: boolean;
  UNIDIRECTIONAL: boolean;
  REQUIRES_MOUNT: boolean;
}

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

export type SyncerClass = (abstract new (context: SyncerContext) => BaseSyncer) &
  SyncerTraits & { checkAvailable?: () => Promise<string | null> };
