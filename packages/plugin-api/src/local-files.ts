import type { BigIntStats } from "node:fs";
import { linkSync, renameSync, unlinkSync } from "node:fs";
import { BackendError, ChangedDuringSyncError, describeSystemError } from "./errors.js";
import { casMismatch } from "./compare-and-swap.js";
import type { Expected } from "./storage-backend.js";

// Files on a local disk (any mounted file system): the token format and the safe placement of
// a new version, shared by the local backend and the transports that write into local folders
// themselves (syncer-rsync). Node built-ins only.

/**
 * The token of a local file: inode, size, mtime and ctime in nanoseconds. Any content change
 * moves at least one of them. Array join makes one flat string; a template literal leaves a
 * tree of rope pieces, three times the memory, in every listing entry (bench/README.md).
 */
export function localFileToken(st: Pick<BigIntStats, "ino" | "size" | "mtimeNs" | "ctimeNs">): string {
  return [st.ino, st.size, st.mtimeNs, st.ctimeNs].join(":");
}

/**
 * The token recorded for a file this tool wrote when, right after it was put in place, the path
 * no longer held it (someone changed or moved it): marked so that it is neither cached with our
 * hash nor taken for our own write, and the next pass sees their change as news.
 */
export function foreignToken(written: Pick<BigIntStats, "ino" | "size" | "mtimeNs" | "ctimeNs">): string {
  return `${localFileToken(written)}#changed-after-write`;
}

/** Whether the file now at a path is the one written (same inode, size and mtime). */
export function isSameFile(now: Pick<BigIntStats, "ino" | "size" | "mtimeNs">, written: Pick<BigIntStats, "ino" | "size" | "mtimeNs">): boolean {
  return now.ino === written.ino && now.size === written.size && now.mtimeNs === written.mtimeNs;
}

/** Errors of link(2) that mean "this file system has no hard links" (FAT, exFAT, some FUSE and network mounts). */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "ENOSYS"]);

export interface PlaceFileOptions {
  /**
   * Re-checks the destination against `expected` and throws (CasMismatchError) when it no
   * longer matches: called right before a rename over an existing file, and before the rename
   * that replaces link(2) on file systems without hard links.
   */
  recheck: () => Promise<unknown>;
  /** For messages: the relative path and the storage's backend-id. */
  path: string;
  backendId: string;
  /** false: the file system is known (probed) to have no hard links; link(2) is not tried. */
  hardLinks?: boolean;
}

/**
 * Puts a fully written temporary file `tmpPath` at `finalPath` (same file system, normally the
 * same folder) only if `finalPath` still holds `expected`; the temporary name is gone afterwards
 * in every case. Nothing partial is ever visible at `finalPath`. The system calls are
 * synchronous: microseconds on a local disk, less than a thread-pool round trip each.
 *
 * - `expected` absent: link(2), which fails with EEXIST instead of replacing a file that just
 *   appeared (atomic create-if-absent), then the temporary name is removed (before the caller
 *   reads the placed file's token: the unlink moves its ctime). On file systems without hard
 *   links: `recheck`, then rename(2).
 *   RACE: there, a file created between the re-check and the rename is replaced.
 * - otherwise: `recheck`, then rename(2) over the destination.
 *   RACE: a write landing between the re-check and the rename is replaced (microseconds; the
 *   caller's check of the placed file reports it, see foreignToken).
 *
 * Throws CasMismatchError (E_CAS) on a mismatch, ChangedDuringSyncError (E_CHANGED) when the
 * destination's folder is gone, BackendError (E_BACKEND) for other system errors.
 */
export async function placeFile(tmpPath: string, finalPath: string, expected: Expected, options: PlaceFileOptions): Promise<void> {
  try {
    if (expected.kind === "absent" && options.hardLinks !== false) {
      try {
        linkSync(tmpPath, finalPath);
        unlinkSync(tmpPath);
        return;
      } catch (err) {
        // Stryker disable next-line StringLiteral: equivalent: link(2) errors always carry a code
        const code = (err as NodeJS.ErrnoException).code ?? "";
        if (code === "EEXIST") throw casMismatch(options.path, options.backendId, "appeared");
        if (!NO_HARD_LINKS.has(code)) throw err;
      }
    }
    await options.recheck();
    renameSync(tmpPath, finalPath);
  } catch (err) {
    try {
      unlinkSync(tmpPath);
    } catch {
      // never created, or already placed
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ChangedDuringSyncError(`${options.path}: its folder was removed from ${options.backendId} during the pass; not recreated`);
    if (code && typeof (err as { exitCode?: unknown }).exitCode !== "number") {
      throw new BackendError(`cannot put it in place on ${options.backendId}: ${describeSystemError(err)}`, err);
    }
    throw err;
  }
}
