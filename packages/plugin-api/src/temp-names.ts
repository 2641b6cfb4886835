import { createHash, randomBytes } from "node:crypto";
import { hostname } from "node:os";

/** Names the tool writes while transferring: never synced, never reported. */
export const TEMP_PREFIX = ".wlsync-tmp-";

/** Whether the last segment of a relative path is one of the tool's temporary names. */
export function isTempName(path: string): boolean {
  const slash = path.lastIndexOf("/");
  return path.startsWith(TEMP_PREFIX, slash + 1);
}

/**
 * wl's own folder at a storage root (`.wlsync/`): the storage-id marker, kept versions. It is
 * never synced, never listed by scans or watchers, and never taken for a deletion.
 */
export const OWN_DIR = ".wlsync";

/** Whether a relative path is wl's own: a temporary name anywhere, or `.wlsync` at the root and anything below it. */
export function isOwnPath(path: string): boolean {
  return path === OWN_DIR || path.startsWith(`${OWN_DIR}/`) || isTempName(path);
}

/** Temp files of another host, or of an unknown writer, are left alone this long (ms). */
const FOREIGN_TEMP_MAX_AGE_MS = 24 * 3600_000;

const HOST = createHash("sha256").update(hostname()).digest("hex").slice(0, 8);

/**
 * A temporary name in the same folder as the file being written, naming its writer:
 * `.wlsync-tmp-<host>-<pid>-<random>`, so a later pass can tell a leftover from a live write.
 */
export function tempFileName(): string {
  // Random per process, counted per file: a CSPRNG call per file cost 5 µs each (50 ms per 10,000 files).
  RUN ??= randomBytes(4).toString("hex");
  return `${TEMP_PREFIX}${HOST}-${process.pid}-${RUN}${(++counter).toString(16)}`;
}

let RUN: string | undefined;
let counter = 0;

/**
 * Whether a temporary file was left behind by a writer that is gone (a killed or crashed pass)
 * and may be removed: it was last modified before `before` (the start of the pass looking at
 * it) and its writer, a process of this host, no longer runs. Temporary files of other hosts
 * (a shared network folder) or without a readable writer are removed only after a day.
 */
export function isStaleTempFile(name: string, mtimeMs: number, before: number): boolean {
  if (!name.startsWith(TEMP_PREFIX) || mtimeMs >= before) return false;
  const match = /^([0-9a-f]{8})-(\d+)-[0-9a-f]+$/.exec(name.slice(TEMP_PREFIX.length));
  if (match && match[1] === HOST) return !isProcessAlive(Number(match[2]));
  return before - mtimeMs > FOREIGN_TEMP_MAX_AGE_MS;
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
