import { isAbsolute, join } from "node:path";
import { BackendError, type StorageBackend } from "@wlsync/plugin-api";

/**
 * The folder of a `local` storage. The local backend exposes it as `root`; any other backend of
 * type `local` must at least carry an absolute `path` (core resolves it against the config file).
 */
export function localRootOf(backend: StorageBackend): string {
  if (backend.type !== "local") {
    throw new BackendError(`storage ${backend.backendId} is of type ${backend.type}: the rsync syncer moves files between local folders only`, undefined, 3);
  }
  const root = (backend as unknown as { root?: unknown }).root;
  if (typeof root === "string" && isAbsolute(root)) return root;
  const path = backend.params.path;
  if (typeof path === "string" && isAbsolute(path)) return path;
  throw new BackendError(`storage ${backend.backendId}: cannot tell which folder it is (no absolute root or path)`, undefined, 3);
}

export function absolutePath(root: string, path: string): string {
  return join(root, path);
}
