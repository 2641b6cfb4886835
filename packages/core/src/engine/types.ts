import type { EntryKind, Expected, StorageEntry } from "../contracts/storage-backend.js";
import type { ResolvedConflict } from "./resolve-conflicts.js";

export type Side = "source" | "target";

export type ConflictReason =
  | "first-meeting"
  | "both-changed"
  | "modify-delete"
  | "file-dir"
  | "changed-during-sync";

/** What one storage holds at a conflicted path, for people deciding what to keep. */
export interface ConflictSide {
  /** backend-id of the storage. */
  storage: string;
  kind: EntryKind | "absent";
  /** Bytes: the file's, or the total of the files below a folder; 0 when absent. */
  size: number;
  /** Last modification, ISO 8601 UTC (a folder: its newest entry); absent when deleted. */
  mtime?: string;
  /** sha256 (hex) of a file, when it could be read. */
  hash?: string;
  linkTarget?: string;
}

/** What both storages last agreed on at the path (the base of the three-way merge). */
export interface ConflictBase {
  kind: EntryKind;
  size: number;
  hash?: string;
}

export interface Conflict {
  path: string;
  reason: ConflictReason;
  message: string;
  /** Tokens of each side when the conflict was found ("" = absent): deleting one side resolves it. */
  sourceToken?: string;
  targetToken?: string;
  /** Each side, the pass's source first (filled by the engine after planning). */
  sides?: [ConflictSide, ConflictSide];
  /** The last synced version, null when the path was never synced (first meeting). */
  base?: ConflictBase | null;
}

/** One change to make on one side. */
export type Action =
  | { type: "copy"; path: string; to: Side; entry: StorageEntry; hash?: string; expected: Expected; createParents?: boolean }
  | { type: "symlink"; path: string; to: Side; entry: StorageEntry; expected: Expected }
  | { type: "mkdir"; path: string; to: Side; entry: StorageEntry }
  | { type: "delete"; path: string; to: Side; expected: Expected; kind: EntryKind };

/** What both sides agree on after a pass: stored as the base of the next three-way merge. */
export interface SyncedRecord {
  path: string;
  kind: EntryKind;
  size: number;
  hash: string | null;
  linkTarget: string | null;
  /**
   * Each side's file token when this content was recorded, if trusted (see state/racy.ts): a
   * file whose token is unchanged still has `hash`, so a no-change pass needs no hash lookup.
   * Null or absent: unknown, the hash cache decides.
   */
  sourceToken?: string | null;
  targetToken?: string | null;
}

export interface Plan {
  actions: Action[];
  conflicts: Conflict[];
  /** Paths found identical on both sides that the state does not yet say so. */
  records: SyncedRecord[];
  /** Paths gone from both sides that the state still lists. */
  forgets: string[];
  /** Number of files (and links) on each side, for the max-delete gate. */
  fileCounts: Record<Side, number>;
  /** Paths left out of this pass because they could not be read; retried next pass. */
  errors: ItemError[];
}

export interface ItemError {
  path: string;
  code: string;
  message: string;
}

export interface SyncCounters {
  copiedToTarget: number;
  copiedToSource: number;
  bytesToTarget: number;
  bytesToSource: number;
  deletedOnTarget: number;
  deletedOnSource: number;
  dirsCreated: number;
  linksCreated: number;
}

export interface SyncResult {
  source: string;
  target: string;
  syncer: string;
  direction: "two-way" | "one-way";
  dryRun: boolean;
  plan: Plan;
  counters: SyncCounters;
  conflicts: Conflict[];
  errors: ItemError[];
  warnings: string[];
  durationMs: number;
  /** Conflicts this pass settled by a policy (on a dry run: would settle). */
  resolved?: ResolvedConflict[];
}

export interface ProgressInfo {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  current?: string;
}

export type SyncEvent =
  | { type: "state"; state: "scanning" | "planning" | "applying" | "idle" | "watching" | "stopped" | "error" }
  | { type: "progress"; progress: ProgressInfo }
  | { type: "conflict"; conflict: Conflict }
  | { type: "error"; error: ItemError }
  | { type: "pass"; result: SyncResult };

export function emptyCounters(): SyncCounters {
  return {
    copiedToTarget: 0,
    copiedToSource: 0,
    bytesToTarget: 0,
    bytesToSource: 0,
    deletedOnTarget: 0,
    deletedOnSource: 0,
    dirsCreated: 0,
    linksCreated: 0,
  };
}
