import { errorMessage, isWlError } from "@wlsync/plugin-api";
import type { StorageBackend, StorageEntry, WalkWarning } from "@wlsync/plugin-api";
import { trustedToken } from "../state/racy.js";
import { forEachLimit } from "@wlsync/plugin-api";
import type { PathFilter } from "@wlsync/plugin-api";
import { SIDES, other, tokenKey } from "./side.js";
import type { ItemError, ScannedEntry, Side, SyncedRecord } from "@wlsync/plugin-api";

/*
 * Update detection, the first of a pass's three stages (scan, plan, apply): what each side has
 * now, with what the planner needs to compare it with the base: the sha256 of the files whose
 * size does not settle a comparison, and each file's token if the racy-token rule trusts it.
 * Everything that reads a storage or the clock before planning is here.
 */

export type Listing = Map<string, ScannedEntry>;

export interface Scan {
  listing: Listing;
  /** Entries that could not be looked at, folders whose content could not be listed, files that could not be hashed: nothing at or below them is planned this pass. */
  opaque: Set<string>;
  /** Those entries, as failed items of the pass (exit code 2). */
  errors: ItemError[];
}

/** Collects a walk's warnings; an entry that could not be looked at becomes an item error, never a deletion. */
function scanWarnings(backend: StorageBackend, warnings: string[]) {
  const opaque = new Set<string>();
  const errors: ItemError[] = [];
  const onWarning = (w: WalkWarning) => {
    if (w.unlistedFolder || w.unknown) {
      opaque.add(w.path);
      errors.push({ path: w.path, code: "E_UNREADABLE", message: `on ${backend.backendId}: ${w.message}` });
    } else warnings.push(`${backend.backendId}: ${w.path}: ${w.message}`);
  };
  return { opaque, errors, onWarning };
}

/** The smallest set of roots covering `paths` (a path below another is dropped). */
export function scopeRoots(paths: readonly string[]): string[] {
  const sorted = [...new Set(paths)].sort();
  const roots: string[] = [];
  for (const p of sorted) {
    if (p === "") return [""];
    const last = roots[roots.length - 1];
    if (last !== undefined && p.startsWith(`${last}/`)) continue;
    roots.push(p);
  }
  return roots;
}

/** Scans only `roots` (with their content) plus their parent folders (without). */
export async function scanScope(
  backend: StorageBackend,
  filter: PathFilter,
  roots: readonly string[],
  parents: ReadonlySet<string>,
  warnings: string[],
  cleanStaleTemp?: number,
): Promise<Scan> {
  await backend.checkRoot();
  const listing: Listing = new Map();
  const { opaque, errors, onWarning } = scanWarnings(backend, warnings);
  for (const parent of parents) {
    const entry = await backend.stat(parent);
    if (entry && filter.includes(parent, entry.kind === "dir")) listing.set(parent, entry);
  }
  for (const root of roots) {
    const entry = await backend.stat(root);
    if (!entry || !filter.includes(root, entry.kind === "dir")) continue;
    listing.set(root, entry);
    if (entry.kind !== "dir") continue;
    for await (const batch of backend.walkBatches({ include: (path, isDir) => filter.includes(path, isDir), onWarning, under: root, cleanStaleTemp })) {
      for (const child of batch) listing.set(child.path, child);
    }
  }
  return { listing, opaque, errors };
}

/** Lists a whole storage; with `cleanStaleTemp` (the pass start), leftovers of killed passes are removed. */
export async function scanStorage(backend: StorageBackend, filter: PathFilter, warnings: string[], cleanStaleTemp?: number): Promise<Scan> {
  await backend.checkRoot();
  const listing: Listing = new Map();
  const { opaque, errors, onWarning } = scanWarnings(backend, warnings);
  for await (const batch of backend.walkBatches({ cleanStaleTemp, include: (path, isDir) => filter.includes(path, isDir), onWarning })) {
    for (const entry of batch) listing.set(entry.path, entry);
  }
  return { listing, opaque, errors };
}

/** Symlinks cannot go to a backend without them: dropped from the listing with a warning. */
export function dropUnsupported(listing: Listing, other: StorageBackend, warnings: string[]): void {
  if (other.capabilities.symlinks) return;
  for (const [path, entry] of listing) {
    if (entry.kind === "symlink") {
      listing.delete(path);
      warnings.push(`${path}: symlink skipped, ${other.backendId} (${other.type}) cannot hold symlinks`);
    }
  }
}

/** Where a side's hashes come from (a StorageBackend). */
export interface HashSource {
  /** sha256 known without reading (listing metadata, the hash cache under a trusted token). */
  knownHash(path: string, entry: StorageEntry): string | undefined;
  /** sha256 by reading the file; throws (ChangedDuringSyncError...) when it cannot. */
  getHash(path: string, entry: StorageEntry): Promise<string>;
}

/** A file needs its sha256 to be compared when its size does not settle it: the other side's or the base's file has the same size. */
function needsHash(entry: StorageEntry, counterpart: StorageEntry | undefined, base: SyncedRecord | undefined): boolean {
  // Stryker disable next-line ConditionalExpression,LogicalOperator,BooleanLiteral: equivalent: hashForPlan skips these entries before it asks (the same check, kept there so that folders cost no lookup)
  if (entry.kind !== "file" || entry.hash) return false;
  return (counterpart?.kind === "file" && counterpart.size === entry.size) || (base?.kind === "file" && base.size === entry.size);
}

/** The hash of a file entry known from the base: same size and the token recorded with it. */
function hashFromBase(entry: StorageEntry, base: SyncedRecord | undefined, token: string | null | undefined): string | undefined {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: only file records carry tokens, and every file record has its hash (a missing one, null, falls through `??` as undefined does)
  return base?.kind === "file" && base.hash && token && token === entry.token && base.size === entry.size ? base.hash : undefined;
}

/**
 * Completes both sides' scans for planning, in place: every file entry that needs a sha256
 * (see needsHash) gets it, from the base when its token is the one recorded there, from the
 * hash source when known, else by reading it (`concurrency` files at a time); then every file
 * entry gets its trusted token (the racy-token rule, applied once, now). A file that cannot be
 * hashed is added to its side's `opaque` and comes back as an item error.
 */
export async function hashForPlan(
  scans: Record<Side, Scan>,
  sources: Record<Side, HashSource>,
  base: ReadonlyMap<string, SyncedRecord>,
  concurrency = 8,
): Promise<ItemError[]> {
  // Most files keep their token between passes and get their hash from the base or the cache,
  // here, synchronously; only the others are read, a few at a time.
  const wanted: Array<[Side, ScannedEntry]> = [];
  for (const side of SIDES) {
    const counterparts = scans[other(side)].listing;
    for (const [path, entry] of scans[side].listing) {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: needsHash makes the same check
      if (entry.kind !== "file" || entry.hash) continue;
      const record = base.get(path);
      if (!needsHash(entry, counterparts.get(path), record)) continue;
      const known = hashFromBase(entry, record, record?.[tokenKey(side)]) ?? sources[side].knownHash(path, entry);
      if (known) entry.hash = known;
      else wanted.push([side, entry]);
    }
  }
  const errors: ItemError[] = [];
  await forEachLimit(wanted, concurrency, async ([side, entry]) => {
    try {
      entry.hash = await sources[side].getHash(entry.path, entry);
    } catch (err) {
      scans[side].opaque.add(entry.path);
      errors.push({ path: entry.path, code: isWlError(err) ? err.code : "E_ITEM", message: `cannot read on the ${side}: ${errorMessage(err)}` });
    }
  });
  const now = Date.now();
  for (const side of SIDES) {
    for (const entry of scans[side].listing.values()) if (entry.kind === "file") entry.trustedToken = trustedToken(entry, now);
  }
  return errors;
}
