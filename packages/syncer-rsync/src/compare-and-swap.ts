import { lstat } from "node:fs/promises";
import { casMismatch, currentOf, expectedMismatch, type CopyTask } from "@wlsync/plugin-api";
import { sha256File } from "./hash-file.js";

/** Identity of the destination file the re-check approved: any write after it moves mtime. */
export interface FileSnapshot {
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  /** When the snapshot was taken (ms since the epoch). */
  takenMs: number;
}

// Stryker disable next-line OptionalChaining: equivalent: only errors thrown by lstat reach it, never null or undefined
const code = (err: unknown) => (err as NodeJS.ErrnoException)?.code;

async function snapshotOf(abs: string): Promise<FileSnapshot | null> {
  try {
    const st = await lstat(abs, { bigint: true });
    return st.isFile() ? { ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, takenMs: Date.now() } : null;
  } catch (err) {
    if (code(err) === "ENOENT" || code(err) === "ENOTDIR") return null;
    throw err;
  }
}

/**
 * Re-checks, right before the batch goes to rsync, that the destination still holds what the plan
 * saw (`action.expected`). Throws CasMismatchError (a conflict, never an overwrite) otherwise.
 * Returns the identity of the approved file (null when absence was expected).
 */
export async function recheckDestination(task: CopyTask, abs: string): Promise<FileSnapshot | null> {
  const { action, to } = task;
  const expected = action.expected;
  // For a file, the snapshot is taken first: a write landing between it and the hash changes
  // the hash (refused here) or the snapshot no longer matches the backup (checked after rsync).
  // Stryker disable next-line ConditionalExpression: equivalent: for anything but a file the result is null either way (nothing there, or a mismatch that throws; snapshotOf is null for a folder or link)
  const snapshot = expected.kind === "file" ? await snapshotOf(abs) : null;
  const current = await to.stat(action.path);
  let reason = await expectedMismatch(expected, currentOf(to, action.path, current));
  if (!reason && expected.kind === "file" && !snapshot) reason = "disappeared";
  if (!reason && expected.kind !== "file" && expected.kind !== "absent") reason = "is not the file the plan expected";
  if (reason) throw casMismatch(action.path, to.backendId, reason);
  return snapshot;
}

/**
 * What rsync moved out of the way when it renamed the new file into place (its `--backup-dir`):
 * nothing, the very version the re-check approved, or something else (written after the re-check).
 */
export async function displacedVersion(backupAbs: string, task: CopyTask, approved: FileSnapshot | null): Promise<"none" | "expected" | "other"> {
  let st;
  try {
    st = await lstat(backupAbs, { bigint: true });
  } catch (err) {
    if (code(err) === "ENOENT" || code(err) === "ENOTDIR") return "none";
    throw err;
  }
  const expected = task.action.expected;
  if (expected.kind !== "file" || !st.isFile()) return "other";
  // rsync hard-links the old file into the backup folder: same inode, size and mtime means no
  // write reached it after the re-check, since a write sets mtime to the current time; that is
  // trusted only if the approved mtime was well in the past (timestamp granularity, "racy clean").
  const settled = approved && approved.takenMs - Number(approved.mtimeNs / 1_000_000n) > 2000;
  if (settled && st.ino === approved.ino && st.size === approved.size && st.mtimeNs === approved.mtimeNs) return "expected";
  return (await sha256File(backupAbs, Number(st.size))) === expected.hash ? "expected" : "other";
}
