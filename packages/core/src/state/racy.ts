/**
 * A token is trusted only if it was recorded long enough after the file last changed that a
 * later write could not leave the same token (the "racy clean" problem). `changedMs` is when the
 * file last changed by its own timestamps (the later of mtime and a real ctime, rounded up to the
 * file system's resolution by the backend); whole-second values (coarse file systems, some
 * network mounts) get a 2 s window, finer ones 100 ms.
 */
export function racyWindowMs(changedMs: number): number {
  return Number.isInteger(changedMs / 1000) ? 2000 : 100;
}

/**
 * The entry's token if it can be trusted when recorded at `now`, else null. A token the backend
 * marks as unable to show every change (`tokenTrusted: false`) is never trusted.
 */
export function trustedToken(entry: { token: string; mtimeMs: number; changedMs?: number; tokenTrusted?: boolean }, now: number): string | null {
  if (entry.tokenTrusted === false) return null;
  const changed = entry.changedMs ?? entry.mtimeMs;
  return now - changed > racyWindowMs(changed) ? entry.token : null;
}
