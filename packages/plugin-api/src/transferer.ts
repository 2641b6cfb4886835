import type { StorageBackend, StorageEntry } from "./storage-backend.js";
import type { Action } from "./sync-types.js";

export type CopyAction = Extract<Action, { type: "copy" }>;

export interface CopyTask {
  action: CopyAction;
  from: StorageBackend;
  to: StorageBackend;
}

export interface CopyDone {
  /** sha256 of the bytes now at the destination, verified against the source. */
  hash: string;
  /** The destination entry after the copy (its token is cached with the hash). */
  entry: StorageEntry;
  /**
   * Bytes at the start of the file that were not sent again: the verified part of an
   * interrupted copy of the same source version, kept by the destination (see
   * StorageBackend.openResumable). Absent or 0: the whole file was sent.
   */
  resumed?: number;
}

export interface TransferHooks {
  onDone(task: CopyTask, done: CopyDone): void;
  onError(task: CopyTask, error: unknown): void;
  onBytes(bytes: number, task: CopyTask): void;
}

/**
 * Moves file content for the engine. The default streams through the backends; a syncer may
 * hand batches to another program (rsync) as long as every item is verified by sha256 and
 * compare-and-swapped against `action.expected` before it is reported done.
 */
export interface Transferer {
  copy(tasks: CopyTask[], hooks: TransferHooks): Promise<void>;
}
