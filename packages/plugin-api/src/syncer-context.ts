import type { Logger } from "./logger.js";
import type { StorageBackend, StorageEntry } from "./storage-backend.js";
import type { CopyDone, CopyTask, TransferHooks, Transferer } from "./transferer.js";
import type { ConflictResolution, Plan, Side, SyncEvent, SyncResult } from "./sync-types.js";

export interface SyncOptions {
  unidirectional: boolean;
  /** Plan and report, change nothing; the safety gates stop it as they would the real pass. */
  dryRun: boolean;
  force: boolean;
  /** Percentage of a side's files one pass may delete before the gate stops it. */
  maxDelete: number;
  /**
   * Bandwidth limit of the pass, in bytes per second for all its transfers together (the
   * smallest of --bwlimit and the pair's storages' `bwlimit:`); absent or 0 = none. A syncer
   * that moves bytes itself must keep it (rsync: --bwlimit); the host's transfers do.
   */
  bwlimit?: number;
  /**
   * Aborted when the user stops the pass (Ctrl-C): no new change is started, transfers in
   * flight are abandoned (their temporary files removed), what was done is recorded. A syncer
   * that moves bytes itself stops between its batches.
   */
  signal?: AbortSignal;
  /**
   * backend-ids the user accepts as new to the pair (`--accept-storage`: another disk, an older
   * copy, a new or emptied disk to refill): the pass is a first meeting, it deletes nothing.
   */
  acceptStorages?: readonly string[];
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
  /** Builds the filter again from the config and the ignore files (a continuous job calls it when an ignore file changes). */
  reloadFilter?: () => Promise<PathFilter>;
  /** The host's scan/plan/apply engine. */
  engine: SyncEngine;
  /** Makes a continuous runner over this context (BaseSyncer.runContinuously uses it). */
  continuous: ContinuousRunnerFactory;
  logger: Logger;
}

/** Which paths a pass looks at: gitignore-style patterns from the config and `.wlsyncignore` files. */
export interface PathFilter {
  /** Whether `path` (relative, `/`-separated) takes part in syncing; `isDir` for folders. */
  includes(path: string, isDir: boolean): boolean;
}

/** Told about every change a pass made: `token` is the file token (or signature) it left at `path` on `side`. */
export type WriteListener = (side: Side, path: string, token: string, mode?: number) => void;

/** Options of one pass of the host's engine. */
export interface RunOptions {
  /** Name of the syncer running the pass (for results and messages). */
  syncer: string;
  /** Moves file content; absent = the host's streaming transfer. */
  transferer?: Transferer;
  emit(event: SyncEvent): void;
  /**
   * Change-driven pass: only these paths (and everything below them) are scanned and decided;
   * their parent folders are looked at but never deleted. Absent = the whole storages.
   */
  scope?: readonly string[];
  /** Told about every change the pass made (for watchers to tell own writes from news). */
  onWrite?: WriteListener;
  /**
   * Called with the plan before the one-shot gates and before anything is recorded or changed
   * (not on dry runs, not when the pass is forced); throwing stops the pass with nothing changed.
   * The continuous runner judges deletions across passes here.
   */
  gate?: (plan: Plan, info: { partial: boolean }) => void;
  /**
   * Every pass records each copy's intended content (path, side, sha256) before it lands, so
   * that after a crash a copy that landed but was not recorded is recognised as ours by the next
   * pass (instead of being taken for a change on the side it landed on); it does so for the
   * copies whose sha256 the plan knows. `intents: true` also hashes the others first (worth it
   * for the few paths of a change-driven pass; a whole pass would read each new file twice).
   */
  intents?: boolean;
}

/**
 * The host's sync engine as a syncer sees it: scan both storages, plan against the stored base
 * (three-way), apply with compare-and-swap, record the result. Handed to syncers in
 * `SyncerContext.engine`; plugins never construct it.
 */
export interface SyncEngine {
  /** One pass over `context`'s pair; resolves with its result (conflicts and failed items included). */
  run(context: SyncerContext, options: RunOptions): Promise<SyncResult>;
  /**
   * The host's default transfer: bytes streamed through the backends, hashed and
   * compare-and-swapped; `bwlimit` (bytes per second, shared by its copies) and `signal` (stop
   * starting copies, abandon those in flight) as in SyncOptions.
   */
  streamTransferer(options?: { bwlimit?: number; transfers?: number; signal?: AbortSignal }): Transferer;
  /**
   * Copies one planned file the way every transport must: through `to.openForSafeReplace(path,
   * action.expected)`, hashing the bytes on the way, refusing a source that changed while it was
   * read. Resolves with the sha256 and the destination entry; throws coded errors (E_CAS, E_CHANGED...).
   */
  copyOne(task: CopyTask, hooks: Pick<TransferHooks, "onBytes">): Promise<CopyDone>;
}

/** Options of a continuous run (see `SyncerContext.continuous`). */
export interface ContinuousOptions extends Pick<RunOptions, "syncer" | "emit"> {
  /** Moves the bytes of each pass: one transferer for all passes, or a factory called per pass. */
  transferer?: Transferer | (() => Transferer);
  /** Events are gathered this long before a pass starts (ms). */
  batchMs?: number;
  /** A full pass runs this often even without events, in case an event was lost (ms; 0 = never). */
  rescanMs?: number;
  /** Called after every pass (the initial one included). */
  onPass?: (result: SyncResult) => void;
}

/** A continuous run of the engine: watchers on both storages feed change-driven passes. */
export interface ContinuousRunner {
  /** Starts watching, runs the initial full pass, and resolves with its result. */
  start(): Promise<SyncResult>;
  /** Stops the watchers and waits for a running pass to end. */
  stop(): Promise<void>;
  isRunning(): boolean;
  /** Paths waiting for a pass (reported changes, failed items waiting for a retry). */
  queued?(): number;
  /**
   * Optional: brings the pair up to date now, from what the watchers reported (see FlushOutcome).
   * The host's runner has it; `wl container sync --one-shot` is then answered by the daemon.
   */
  flush?(): Promise<FlushOutcome>;
}

/**
 * What a continuous runner answers when asked for a pass now. `answered: false` when it cannot
 * vouch that it knows every change (a watcher that cannot confirm it is up to date, such as a
 * polling one; an overflowed queue or a lost watch waiting for its rescan; a paused job): the
 * caller then runs a full pass itself. Otherwise `passes` are the passes run to sync the changes
 * reported up to the request (none: nothing changed since the last pass); `rescanned` when one
 * of them was a full pass (a rescan that was due).
 */
export type FlushOutcome = { answered: false; reason: string } | { answered: true; passes: SyncResult[]; rescanned?: boolean };

/** Makes a continuous runner for a syncer context (the host's, handed over in `SyncerContext.continuous`). */
export type ContinuousRunnerFactory = (context: SyncerContext, options: ContinuousOptions) => ContinuousRunner;

/** What a path looks like to an own-write check: "" absent, "dir", "link:target", or the file token. */
export function signatureOf(entry: StorageEntry | null | undefined): string {
  if (!entry) return "";
  if (entry.kind === "dir") return "dir";
  if (entry.kind === "symlink") return `link:${entry.linkTarget ?? ""}`;
  return entry.token;
}
