import type { Action } from "./sync-types.js";
import type { StorageEntry } from "./storage-backend.js";

// Permission bits of regular files, as wl propagates them (like `rsync -a` and Unison's default
// `perms`): the nine rwx bits for owner, group and others. setuid, setgid and sticky are never
// propagated, and folders' modes are not tracked. Node built-ins only.

/** The bits wl propagates: rwx for owner, group and others (0o777). */
export const PERMISSION_BITS = 0o777;

/**
 * The permission bits (0o777 mask) of a file entry, or undefined when there are none to go by:
 * not a file, or listed by a storage that keeps no modes (exFAT, FAT, S3).
 */
export function permissionsOf(entry: Pick<StorageEntry, "kind" | "mode"> | undefined): number | undefined {
  return entry?.kind === "file" && entry.mode !== undefined ? entry.mode & PERMISSION_BITS : undefined;
}

let umaskBits: number | undefined;

/**
 * The mode a new file gets on this machine when no mode is given (it came from a storage that
 * keeps none): 0o666 without the process's umask, as `touch` or `cp` from such a storage gives it.
 */
export function defaultFileMode(): number {
  // process.umask() without an argument reads the mask (its deprecation is documentation-only,
  // for worker threads); read once, it is the process's for its whole life here.
  umaskBits ??= process.umask();
  return 0o666 & ~umaskBits;
}

/**
 * The permission bits a copy writes at its destination: the planner's `mode` (the source's, or
 * the destination's own where only the content changed on the source), else the source entry's
 * bits; undefined when neither is known (the destination's default, defaultFileMode()).
 */
export function modeOfCopy(action: Extract<Action, { type: "copy" }>): number | undefined {
  return action.mode ?? permissionsOf(action.entry);
}

/** `0755`: permission bits as people read them. */
export function formatMode(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;
}
