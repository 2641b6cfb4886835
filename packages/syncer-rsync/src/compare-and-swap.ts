import { lstat } from "node:fs/promises";
import { CasMismatchError, ChangedDuringSyncError, hasCode, type CopyTask } from "@wlsync/plugin-api";
import { sha256File } from "./hash-file.js";

/** Identity of the destination file the re-check approved: any write after it moves mtime. */
export interface FileSnapshot {
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  /** When the snapshot was taken (ms since the epoch). */
  takenMs: number;
}

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
  const fail = (what: string): never => {
    throw new CasMismatchError(`${action.path}: ${what} on ${to.backendId} since the plan was made`);
  };
  if (expected.kind === "absent") {
    if (await to.stat(action.path)) fail("appeared");
    return null;
  }
  if (expected.kind !== "file") return fail("is not the file the plan expected");
  // The snapshot is taken first: a write landing between it and the hash changes the hash
  // (refused here) or the snapshot no longer matches the backup (checked after rsync).
  const snapshot = await snapshotOf(abs);
  const current = await to.stat(action.path);
  if (!snapshot || current?.kind !== "file") return fail(current ? "is no longer a file" : "disappeared");
  let hash: string;
  try {
    hash = await to.getHash(action.path, current);
  } catch (err) {
    if (hasCode(err, "E_CHANGED")) return fail("is changing");
    throw err;
  }
  if (hash !== expected.hash) fail("changed");
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
