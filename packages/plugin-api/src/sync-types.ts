import type { EntryKind, Expected, StorageEntry } from "./storage-backend.js";

export type Side = "source" | "target";

/** `mode`: the same content, its permission bits changed differently on both sides. */
export type ConflictReason =
  | "first-meeting"
  | "both-changed"
  | "modify-delete"
  | "file-dir"
  | "changed-during-sync"
  | "name-collision"
  | "mode"
  | "target-changed";

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
  /** Permission bits of a file (`0755`), where the storage keeps them. */
  mode?: string;
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

/**
 * How a conflict is settled: the newer or older modification time, the larger or smaller size,
 * a named storage, or `both` (the loser is kept under a conflict name beside the winner).
 */
export type ConflictPolicy = { kind: "newer" | "older" | "larger" | "smaller" | "both" } | { kind: "storage"; storage: string };

/** Which conflicts a pass settles, and how (config `conflict-resolve`, `--conflict-resolve`, `wl container resolve`). */
export interface ConflictResolution {
  /** The policy for every conflict in scope. */
  policy?: ConflictPolicy;
  /** Per-path policies (the interactive resolver's answers); they beat `policy`. */
  decisions?: ReadonlyMap<string, ConflictPolicy>;
  /** Only conflicts at or below these paths (absent: all). */
  paths?: readonly string[];
  /**
   * The tokens each side had when the conflict was shown to the user ("" = absent). A conflict
   * whose sides changed since, or that was not shown, stays in conflict. Absent: no such check
   * (an automatic policy decides on what this pass scanned).
   */
  shown?: ReadonlyMap<string, { sourceToken?: string; targetToken?: string }>;
}

/** One conflict a pass settled by a policy. */
export interface ResolvedConflict {
  path: string;
  reason: ConflictReason;
  policy: string;
  /** backend-id whose content the path keeps. */
  kept: string;
  /** backend-id whose content was replaced (and kept as a version there). */
  loser: string;
  /** `both`: where the loser's content was kept, on both storages. */
  conflictCopy?: string;
  /** The conflict's message, storages named ("changed on nas only"). */
  message?: string;
  /**
   * What of the loser's was replaced: `content` (kept as a version there), `nothing` (it had
   * deleted the path: the kept side's content is put back) or `mode` (only its permission bits
   * were set to the kept side's). Absent: content.
   */
  replaced?: "content" | "nothing" | "mode";
}

/** One change to make on one side. */
export type Action =
  | {
      type: "copy";
      path: string;
      to: Side;
      entry: StorageEntry;
      hash?: string;
      expected: Expected;
      createParents?: boolean;
      /** Permission bits (0o777 mask) the written file gets; absent: the entry's (see modeOfCopy). */
      mode?: number;
      /**
       * Sides whose base mode stays what it was once the copy lands, with that mode: their mode
       * change is still to be carried to the other side (by a chmod of this pass, or later).
       */
      pendingModes?: Partial<Record<Side, number | null>>;
    }
  /**
   * Permission bits only (no content moves): `entry` is the file at `to` as scanned (the chmod
   * goes through only if it still has that token and mode); `mode` is what it gets (0o777 mask).
   */
  | { type: "chmod"; path: string; to: Side; entry: StorageEntry; mode: number }
  | { type: "symlink"; path: string; to: Side; entry: StorageEntry; expected: Expected }
  | { type: "mkdir"; path: string; to: Side; entry: StorageEntry }
  | { type: "delete"; path: string; to: Side; expected: Expected; kind: EntryKind }
  /**
   * A copy made from a file already on side `to`: `from` is a path there holding the same
   * sha256 (`hash`) as the file to be written. `move` renames it (its own deletion, which the
   * plan had, is done by the move); `copy-within` copies it there (server-side copy, reflink).
   * Applied through the backend's moveWithin / copyWithin, with `from` compare-and-swapped
   * against `hash`; where the backend cannot, or anything does not match, it becomes a normal
   * copy (and, for a move, the deletion of `from`).
   */
  | { type: "move" | "copy-within"; path: string; to: Side; from: string; entry: StorageEntry; hash: string; expected: Expected; createParents?: boolean };

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
  /**
   * Files: each side's permission bits (0o777 mask) when this record was made; null or absent:
   * unknown (a side that keeps no modes, a record from before modes were kept), taken as equal
   * to what that side has now.
   */
  sourceMode?: number | null;
  targetMode?: number | null;
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

/**
 * A copy about to land on side `to` at `path`: `hash` is the sha256 of the content it writes.
 * Where the plan did not hash the source, `hash` is absent and the copy is known by the size and
 * mtime (ms) it carries (copies keep the source's mtime).
 */
export interface Intent {
  path: string;
  to: Side;
  hash?: string;
  size?: number;
  mtimeMs?: number;
}

/**
 * A listed entry as the planner sees it. The scan (engine/scan.ts) adds the sha256 of files whose
 * size does not settle a comparison, and applies the racy-token rule once, at scan time.
 */
export interface ScannedEntry extends StorageEntry {
  /**
   * Files: the entry's token if the racy-token rule (state/racy.ts) trusted it when the scan
   * ended, else null or absent. Stored with a synced record, it lets the next pass take the
   * record's hash for a file whose token is unchanged.
   */
  trustedToken?: string | null;
}

/** One side of a pass as the planner takes it: plain data, read by nothing but the planner. */
export interface SideScan {
  /** Every entry found on the side (or in the scanned scope), by relative path. */
  entries: ReadonlyMap<string, ScannedEntry>;
  /**
   * Paths that could not be looked at (stat or listing failed, a file that could not be
   * hashed): unknown is not absent, so nothing at or below them is decided, on either side.
   */
  unknown: ReadonlySet<string>;
  /** Folders looked at without their content (change-driven passes): never deleted. */
  shallow: ReadonlySet<string>;
  /**
   * How this side's file system compares names (from its probed capabilities): `case`, names
   * differing only in case are one file (FAT, exFAT); `unicode`, the NFC and NFD forms of a name
   * are one file. A second name that folds onto another one there is a conflict, never written.
   */
  folding?: { case: boolean; unicode: boolean };
}

/** What the last passes left: the common ancestor of the three-way merge. */
export interface Base {
  /** The last state known identical on both sides, by path. */
  synced: ReadonlyMap<string, SyncedRecord>;
  /** Conflicts left open by the previous pass, with the tokens each side had then, by path. */
  openConflicts: ReadonlyMap<string, Conflict>;
}

export type Direction = "two-way" | "one-way";

/** How a pass reconciles. */
export interface PlanMode {
  /** two-way: changes flow both ways; one-way: only source changes flow, to the target. */
  direction: Direction;
  /**
   * One-way only: the pass makes the target a mirror of the source (a conflict policy that keeps
   * the source settles what this plans). The target's own changes since the base (an edit, a
   * deletion, a new file or folder, a chmod) are then conflicts too (reason `target-changed`, or
   * `mode` for a chmod) instead of staying where they are. Absent or false: they stay.
   */
  mirror?: boolean;
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
  /** Files whose permission bits alone were changed (chmod, no content copied), both sides. */
  modesChanged: number;
  /** Files made from a file already on their side: renamed there (move), or copied there (copy-within). */
  moved: number;
  copiedWithin: number;
  /** Bytes of those files: content placed without transferring it. */
  bytesReused: number;
  /** Bytes of file content transferred between the storages (copies; not moves or copies within a side). */
  contentBytes: number;
  /**
   * Bytes of the copied files (counted in bytesToTarget/bytesToSource) that were not sent again:
   * resumed from the verified part of a copy that an earlier, interrupted pass left.
   */
  bytesResumed: number;
}

export interface SyncResult {
  source: string;
  target: string;
  syncer: string;
  direction: Direction;
  dryRun: boolean;
  plan: Plan;
  counters: SyncCounters;
  conflicts: Conflict[];
  errors: ItemError[];
  warnings: string[];
  durationMs: number;
  /** Conflicts this pass settled by a policy (on a dry run: would settle). */
  resolved?: ResolvedConflict[];
  /** Why the host chose this syncer for the pair (`wl container sync -v` prints it). */
  syncerReason?: string;
}

export interface ProgressInfo {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  current?: string;
}

/** One change a pass has just made (for `wl container sync -v`): what, where, and its size in bytes. */
export interface AppliedChange {
  type: Action["type"];
  path: string;
  /** The side that was changed. */
  to: Side;
  /** Bytes written (copies), or placed from a file on the same side (move, copy-within); 0 otherwise. */
  size: number;
  /** move, copy-within: the path on the same side the file was made from. */
  from?: string;
  kind?: "file" | "dir" | "symlink";
  linkTarget?: string;
  /** chmod: the permission bits set. */
  mode?: number;
}

export type SyncEvent =
  | { type: "state"; state: "scanning" | "planning" | "applying" | "idle" | "watching" | "stopped" | "error" | "paused" }
  | { type: "progress"; progress: ProgressInfo }
  | { type: "applied"; change: AppliedChange }
  | { type: "conflict"; conflict: Conflict }
  | { type: "error"; error: ItemError }
  /** `scope`: the paths a change-driven pass looked at (absent: the whole storages). */
  | { type: "pass"; result: SyncResult; scope?: string[] };

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
    modesChanged: 0,
    moved: 0,
    copiedWithin: 0,
    bytesReused: 0,
    contentBytes: 0,
    bytesResumed: 0,
  };
}
