/**
 * A token is trusted only if it was recorded long enough after the file's mtime that a later
 * write could not share that timestamp (the "racy clean" problem). File systems that store
 * whole seconds (FAT, some network mounts) get a 2 s window.
 */
export function racyWindowMs(mtimeMs: number): number {
  return Number.isInteger(mtimeMs / 1000) ? 2000 : 100;
}

/** The entry's token if it can be trusted when recorded at `now`, else null. */
export function trustedToken(entry: { token: string; mtimeMs: number }, now: number): string | null {
  return now - entry.mtimeMs > racyWindowMs(entry.mtimeMs) ? entry.token : null;
}
