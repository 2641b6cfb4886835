import { formatMode, permissionsOf, type StorageEntry } from "@wlsync/plugin-api";
import type { Listing } from "./scan.js";
import type { Conflict, ConflictSide, Side, SyncedRecord } from "@wlsync/plugin-api";

export interface DescribeInput {
  source: Listing;
  target: Listing;
  base: ReadonlyMap<string, SyncedRecord>;
  /** backend-id of each side. */
  names: Record<Side, string>;
  /** sha256 of a file entry (hash cache or a read); a failure leaves the hash out. */
  hash(side: Side, entry: StorageEntry): Promise<string>;
}

/** Entries at or below `path` in a listing. */
function* below(listing: Listing, path: string): Generator<StorageEntry> {
  const prefix = `${path}/`;
  for (const [p, entry] of listing) if (p.startsWith(prefix)) yield entry;
}

/** One side of a conflict: a folder counts the bytes of its files and its newest time. */
async function sideOf(side: Side, path: string, input: DescribeInput): Promise<ConflictSide> {
  const listing = input[side];
  const entry = listing.get(path);
  const storage = input.names[side];
  if (!entry) return { storage, kind: "absent", size: 0 };
  const out: ConflictSide = { storage, kind: entry.kind, size: entry.size, mtime: new Date(entry.mtimeMs).toISOString() };
  if (entry.kind === "symlink") out.linkTarget = entry.linkTarget;
  if (entry.kind === "file") {
    const mode = permissionsOf(entry);
    if (mode !== undefined) out.mode = formatMode(mode);
    try {
      out.hash = entry.hash ?? (entry.hash = await input.hash(side, entry));
    } catch {
      // unreadable now: shown without a hash
    }
  }
  if (entry.kind === "dir") {
    let newest = entry.mtimeMs;
    let size = 0;
    for (const e of below(listing, path)) {
      if (e.kind === "file") size += e.size;
      if (e.mtimeMs > newest) newest = e.mtimeMs;
    }
    out.size = size;
    out.mtime = new Date(newest).toISOString();
  }
  return out;
}

/** "changed on the source, deleted on the target" → "changed on laptop, deleted on nas". */
export function nameSides(message: string, names: Record<Side, string>): string {
  return message.replace(/\bthe source\b/g, names.source).replace(/\bthe target\b/g, names.target);
}

/**
 * Fills each conflict's sides (storage, kind, size, modification time, sha256) and base, and
 * names the storages in its message, so people can decide without looking at both storages.
 */
export async function describeConflicts(conflicts: Conflict[], input: DescribeInput): Promise<void> {
  for (const conflict of conflicts) {
    conflict.message = nameSides(conflict.message, input.names);
    conflict.sides = [await sideOf("source", conflict.path, input), await sideOf("target", conflict.path, input)];
    const base = input.base.get(conflict.path);
    conflict.base = base ? { kind: base.kind, size: base.size, ...(base.hash ? { hash: base.hash } : {}) } : null;
  }
}
