import type { ItemError, ScannedEntry, StorageBackend } from "@wlsync/plugin-api";
import { pruneListing, withNestedIgnoreFiles } from "../engine/ignore-files.js";
import type { PathFilter } from "../engine/path-filter.js";
import { hashForPlan, scanStorage, type Listing } from "../engine/scan.js";

/** One way two storages differ at a path. */
export interface Difference {
  path: string;
  /** `only-source`/`only-target`: the other storage lacks it; `content`: both have a file, with other bytes; `kind`: file vs folder vs link; `link`: links to other targets. */
  kind: "only-source" | "only-target" | "content" | "kind" | "link";
  /** For `content`: the sizes, or (same size) the sha256 of each side. */
  detail?: string;
}

export interface CheckResult {
  source: string;
  target: string;
  /** Files compared (present on both sides). */
  files: number;
  /** Bytes of those files on the source side. */
  bytes: number;
  differences: Difference[];
  /** Entries that could not be read (exit 2). */
  errors: ItemError[];
  warnings: string[];
}

const describeKind = (e: ScannedEntry) => (e.kind === "dir" ? "folder" : e.kind === "symlink" ? "link" : "file");

/**
 * The differences between two listings whose same-size files carry their sha256 (pure). A
 * path only on one side, a file with other bytes (by size, else by sha256), a file where the
 * other has a folder, links to other targets. Paths below a path missing on one side are
 * reported too (rclone check does the same).
 */
export function compareListings(source: Listing, target: Listing): { differences: Difference[]; files: number; bytes: number } {
  const differences: Difference[] = [];
  let files = 0;
  let bytes = 0;
  const paths = [...new Set([...source.keys(), ...target.keys()])].sort();
  for (const path of paths) {
    const a = source.get(path);
    const b = target.get(path);
    if (!a || !b) {
      differences.push({ path, kind: a ? "only-source" : "only-target" });
      continue;
    }
    if (a.kind !== b.kind) {
      differences.push({ path, kind: "kind", detail: `${describeKind(a)} vs ${describeKind(b)}` });
      continue;
    }
    if (a.kind === "symlink") {
      if (a.linkTarget !== b.linkTarget) differences.push({ path, kind: "link", detail: `${a.linkTarget} vs ${b.linkTarget}` });
      continue;
    }
    if (a.kind !== "file") continue;
    files++;
    bytes += a.size;
    if (a.size !== b.size) differences.push({ path, kind: "content", detail: `${a.size} vs ${b.size} bytes` });
    else if (a.hash !== b.hash) differences.push({ path, kind: "content", detail: `sha256 ${a.hash?.slice(0, 12)}… vs ${b.hash?.slice(0, 12)}…` });
  }
  return { differences, files, bytes };
}

/**
 * Compares two storages by sha256 without changing either: both are scanned with the pass's
 * filter (ignore files included), files of equal size are hashed (the hash cache answers for
 * files whose token is unchanged, so a second check reads almost nothing), and the listings
 * are compared.
 */
export async function checkStorages(source: StorageBackend, target: StorageBackend, filter: PathFilter): Promise<CheckResult> {
  const warnings: string[] = [];
  const [a, b] = await Promise.all([scanStorage(source, filter, warnings), scanStorage(target, filter, warnings)]);
  const refined = await withNestedIgnoreFiles(filter, [{ backend: source, listing: a.listing }, { backend: target, listing: b.listing }], true);
  if (refined !== filter) {
    pruneListing(a.listing, refined);
    pruneListing(b.listing, refined);
  }
  const hashErrors = await hashForPlan({ source: a, target: b }, { source, target }, new Map());
  for (const path of [...a.opaque, ...b.opaque]) {
    a.listing.delete(path);
    b.listing.delete(path);
  }
  const { differences, files, bytes } = compareListings(a.listing, b.listing);
  return { source: source.backendId, target: target.backendId, files, bytes, differences, errors: [...a.errors, ...b.errors, ...hashErrors], warnings };
}
