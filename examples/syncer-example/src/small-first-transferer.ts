import type { CopyTask, SyncEngine, TransferHooks, Transferer } from "@wlsync/plugin-api";

/**
 * The Transferer seam: the engine has planned what to copy; this decides how the bytes move.
 * Here, the smallest files go first, one at a time, so an interrupted pass has already
 * delivered most files. Each copy goes through the host engine's `copyOne`, which keeps the rules a
 * transport must keep: write through `openForSafeReplace(path, action.expected)` (never over
 * what the plan did not see), hash the bytes on the way, refuse a source that changed while
 * it was read, commit, and remember both hashes.
 */
export class SmallFirstTransferer implements Transferer {
  /** `engine` is the host's, from `SyncerContext.engine`. */
  constructor(private readonly engine: SyncEngine) {}

  async copy(tasks: CopyTask[], hooks: TransferHooks): Promise<void> {
    const smallestFirst = [...tasks].sort((x, y) => x.action.entry.size - y.action.entry.size);
    for (const task of smallestFirst) {
      try {
        hooks.onDone(task, await this.engine.copyOne(task, hooks));
      } catch (err) {
        // Reported per item: E_CAS becomes a conflict, anything else a failed item; the pass goes on.
        hooks.onError(task, err);
      }
    }
  }
}
