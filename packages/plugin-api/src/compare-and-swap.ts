import { CasMismatchError, hasCode } from "./errors.js";
import type { Expected, StorageBackend, StorageEntry } from "./storage-backend.js";

/**
 * What is at a path now, as far as a compare-and-swap needs to know. A file's hash is a
 * function: it is computed only when the kinds already match.
 */
export type Current = { kind: "absent" } | { kind: "dir" } | { kind: "symlink"; target: string } | { kind: "file"; hash: () => Promise<string> };

/**
 * The one "expected vs current" verdict every backend and transport uses: null when the path
 * holds what the caller expected, else why not, worded for a message ("appeared",
 * "disappeared", "changed", "is no longer a file", "is changing"). A file that changes while it
 * is hashed (an error with code E_CHANGED) is "is changing"; other errors propagate.
 */
export async function expectedMismatch(expected: Expected, current: Current): Promise<string | null> {
  switch (expected.kind) {
    case "absent":
      return current.kind === "absent" ? null : "appeared";
    case "dir":
      return current.kind === "dir" ? null : "changed";
    case "symlink":
      // Stryker disable next-line ConditionalExpression: equivalent: only a symlink has a target, so another kind never equals the expected one
      return current.kind === "symlink" && current.target === expected.target ? null : "changed";
    case "file": {
      if (current.kind === "absent") return "disappeared";
      if (current.kind !== "file") return "is no longer a file";
      let hash: string;
      try {
        hash = await current.hash();
      } catch (err) {
        if (hasCode(err, "E_CHANGED")) return "is changing";
        throw err;
      }
      return hash === expected.hash ? null : "changed";
    }
  }
}

/** The error for a refused compare-and-swap, worded the same everywhere: a conflict, never an overwrite. */
export function casMismatch(path: string, backendId: string, reason: string): CasMismatchError {
  return new CasMismatchError(`${path}: ${reason} on ${backendId} since the plan was made`);
}

/** `entry` (from `backend.stat(path)`) as a Current; a file's hash comes from `backend.getHash` (cached by token). */
export function currentOf(backend: StorageBackend, path: string, entry: StorageEntry | null): Current {
  if (!entry) return { kind: "absent" };
  if (entry.kind === "dir") return { kind: "dir" };
  if (entry.kind === "symlink") return { kind: "symlink", target: entry.linkTarget ?? "" };
  return { kind: "file", hash: () => backend.getHash(path, entry) };
}

/**
 * Throws CasMismatchError (code E_CAS) unless `path` on `backend` holds what the caller expects.
 * Resolves with the entry found (null when absent). For backends whose `stat` and `getHash` tell
 * the truth cheaply; a backend with a cheaper check builds a Current itself and calls
 * expectedMismatch.
 */
export async function assertExpected(backend: StorageBackend, path: string, expected: Expected): Promise<StorageEntry | null> {
  const entry = await backend.stat(path);
  const reason = await expectedMismatch(expected, currentOf(backend, path, entry));
  if (reason) throw casMismatch(path, backend.backendId, reason);
  return entry;
}
