import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { BackendError, UsageError } from "@wlsync/plugin-api";
import type { Expected, StorageBackend } from "@wlsync/plugin-api";
import { expiredVersions } from "@wlsync/plugin-api";
import type { StoredVersion } from "@wlsync/plugin-api";

/**
 * Deletes the versions a storage's keep policy lets go at `now` (ms). Returns how many went.
 * Failures to delete one are reported through `onError` and do not stop the others.
 */
export async function pruneVersions(backend: StorageBackend, now: number, onError: (message: string) => void = () => {}): Promise<number> {
  if (!backend.capabilities.versions) return 0;
  let expired: StoredVersion[];
  try {
    expired = expiredVersions(await backend.listVersions(""), backend.keepPolicy, now);
  } catch (err) {
    onError(`${backend.backendId}: cannot list its versions to prune them: ${(err as Error).message}`);
    return 0;
  }
  let removed = 0;
  for (const version of expired) {
    try {
      await backend.removeVersion(version);
      removed++;
    } catch (err) {
      onError(`${backend.backendId}: cannot prune version ${version.name}: ${(err as Error).message}`);
    }
  }
  return removed;
}

/** What `expected` a write must pass to replace what is at `path` now (its hash for a file). */
export async function expectedNow(backend: StorageBackend, path: string): Promise<Expected> {
  const current = await backend.stat(path);
  if (!current) return { kind: "absent" };
  if (current.kind === "dir") return { kind: "dir" };
  if (current.kind === "symlink") return { kind: "symlink", target: current.linkTarget ?? "" };
  return { kind: "file", hash: await backend.getHash(path, current) };
}

export interface RestoreOutcome {
  path: string;
  version: StoredVersion;
  /** backend-id of the storage the version was read from, and of the one written. */
  from: string;
  to: string;
  /** "restored", or "unchanged" when the storage already held that content. */
  result: "restored" | "unchanged";
}

/**
 * Puts a version (kept on `from`) back at its path on `to`, as a normal change: what is there now
 * is replaced by compare-and-swap against what was seen just before (and kept as a version
 * itself, so a restore can be undone); a folder in the way is refused. The next pass syncs it.
 */
export async function restoreVersion(from: StorageBackend, version: StoredVersion, to: StorageBackend, path = version.path): Promise<RestoreOutcome> {
  const expected = await expectedNow(to, path);
  const outcome: RestoreOutcome = { path, version, from: from.backendId, to: to.backendId, result: "restored" };
  if (expected.kind === "dir") throw new UsageError(`${path}: a folder is there on ${to.backendId}; move it away first, then restore`);
  if (version.kind === "symlink") {
    const target = version.linkTarget ?? "";
    if (expected.kind === "symlink" && expected.target === target) return { ...outcome, result: "unchanged" };
    if (!to.capabilities.symlinks) throw new UsageError(`${path}: the version is a symlink, and ${to.backendId} (${to.type}) cannot hold symlinks`);
    if (expected.kind !== "absent") await to.remove(path, expected);
    await to.symlink(path, target, { kind: "absent" });
    return outcome;
  }
  if (expected.kind === "file" && version.hash && expected.hash === version.hash) return { ...outcome, result: "unchanged" };
  if (expected.kind === "symlink") {
    await to.remove(path, expected);
    return restoreVersion(from, version, to, path);
  }
  const writer = await to.openForSafeReplace(path, expected, { size: version.size, createParents: true, hash: version.hash });
  const hash = createHash("sha256");
  try {
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(await from.openVersion(version), tap, writer.stream);
    const digest = hash.digest("hex");
    if (version.hash && version.hash !== digest) throw new BackendError(`${path}: version ${version.name} on ${from.backendId} does not hash to its recorded sha256; not restored`);
    if (expected.kind === "file" && expected.hash === digest) {
      await writer.abort();
      return { ...outcome, result: "unchanged" };
    }
    const written = await writer.commit(digest);
    to.rememberHash(path, written, digest);
    return outcome;
  } catch (err) {
    await writer.abort().catch(() => {});
    throw err;
  }
}
