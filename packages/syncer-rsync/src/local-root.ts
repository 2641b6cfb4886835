import { join } from "node:path";
import { BackendError, type StorageBackend } from "@wlsync/plugin-api";

/**
 * The folder of a storage on this machine (its backend's `localPath()` capability): rsync reads
 * and writes there directly. A backend without one cannot be synced by rsync.
 */
export function localRootOf(backend: StorageBackend): string {
  // Optional call: a backend built on an older copy of the plugin API has no localPath().
  const root = (backend as Partial<Pick<StorageBackend, "localPath">>).localPath?.call(backend) ?? null;
  if (root) return root;
  throw new BackendError(`storage ${backend.backendId} (type ${backend.type}) is not a folder on this machine: the rsync syncer moves files between local folders only`, undefined, 3);
}

export function absolutePath(root: string, path: string): string {
  return join(root, path);
}
