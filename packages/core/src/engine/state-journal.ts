import type { ModePatch, PairState } from "../state/pair-state.js";
import type { SyncedRecord } from "@wlsync/plugin-api";

/**
 * Collects the outcome of applied actions and writes them to the state store in batched
 * transactions: every `batchSize` items or `intervalMs`, and at the end of the pass.
 * The last write to a path wins (a delete followed by a create records the create).
 */
export class StateJournal {
  private pending = new Map<string, SyncedRecord | null>();
  /** Base modes set by chmods, for paths without a pending record (stored after the records). */
  private modes = new Map<string, ModePatch>();
  private lastFlush = Date.now();

  constructor(
    private readonly pair: PairState,
    private readonly batchSize = 2000,
    private readonly intervalMs = 1000,
  ) {}

  record(record: SyncedRecord): void {
    this.pending.set(record.path, record);
    this.modes.delete(record.path);
    this.maybeFlush();
  }

  forget(path: string): void {
    this.pending.set(path, null);
    this.modes.delete(path);
    this.maybeFlush();
  }

  /** Sets the base modes of a synced path (a chmod landed): into its pending record, else on its stored row. */
  setModes(path: string, modes: ModePatch): void {
    const record = this.pending.get(path);
    if (record) Object.assign(record, modes);
    else if (record === undefined) this.modes.set(path, modes);
    this.maybeFlush();
  }

  /**
   * Flushes along the way; a failure there (a full disk) is not the item's that triggered it:
   * the outcomes stay pending, and the final flush() reports the error for the whole pass.
   */
  private maybeFlush(): void {
    if (this.pending.size + this.modes.size < this.batchSize && Date.now() - this.lastFlush < this.intervalMs) return;
    try {
      this.flush();
    } catch {
      this.lastFlush = Date.now();
    }
  }

  /** Writes every pending outcome in one transaction; they stay pending if it fails. */
  flush(): void {
    const records: SyncedRecord[] = [];
    const forgets: string[] = [];
    for (const [path, record] of this.pending) {
      if (record) records.push(record);
      else forgets.push(path);
    }
    this.pair.commit(records, forgets, this.modes);
    this.pending = new Map();
    this.modes = new Map();
    this.lastFlush = Date.now();
  }
}
