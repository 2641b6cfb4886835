import type { Expected, StorageBackend, StorageEntry } from "@wlsync/plugin-api";

/**
 * A storage that rsync reaches over ssh by itself (backend-sftp has this shape). Syncers and
 * backends do not depend on each other: the rsync syncer recognises such a storage by these
 * methods, never by its class.
 */
export interface RemoteShellStorage extends StorageBackend {
  /** Whether commands can run on the server (rsync needs it there). */
  readonly remoteShell: boolean;
  /** `user@host`, the absolute folder on the server, and the ssh command line rsync's -e needs. */
  remoteShellTarget(): Promise<{ destination: string; root: string; sshCommand: string[] }>;
  /** sha256 of storage paths, computed on the server; paths that are gone are left out. */
  remoteSha256Many(paths: readonly string[]): Promise<Map<string, string>>;
  /**
   * Moves files written under temporary names to their paths with the backend's own
   * compare-and-swap; per item, the entry now at its path or the error.
   */
  placeWrittenMany(items: ReadonlyArray<{ tempPath: string; path: string; expected: Expected }>): Promise<Array<StorageEntry | Error>>;
  /** Removes a folder of the tool's own, with everything in it. */
  removeTree(path: string): Promise<void>;
}

export function asRemoteShellStorage(backend: StorageBackend): RemoteShellStorage | null {
  const b = backend as Partial<RemoteShellStorage>;
  return typeof b.remoteShellTarget === "function" && typeof b.remoteSha256Many === "function" && typeof b.placeWrittenMany === "function" && typeof b.removeTree === "function"
    ? (backend as RemoteShellStorage)
    : null;
}

/** One argument of rsync's `-e` command, quoted the way rsync splits that string (quotes doubled inside quotes, no backslashes). */
export function quoteForRsyncE(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "''")}'`;
}
