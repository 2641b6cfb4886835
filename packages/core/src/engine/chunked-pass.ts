import { errorMessage } from "@wlsync/plugin-api";
import type { Conflict, ItemError, Plan, ScannedEntry, Side, StorageBackend, StorageEntry, SyncedRecord, SyncerContext, WalkWarning } from "@wlsync/plugin-api";
import { ancestorsOf } from "../util/paths.js";
import type { PairState } from "../state/pair-state.js";
import { withNestedIgnoreFiles, pruneListing } from "./ignore-files.js";
import { PathFilter as IgnoreRules } from "./path-filter.js";
import { plan as reconcile } from "./plan.js";
import { dropUnsupported, hashForPlan, type Listing, type Scan } from "./scan.js";
import { describeConflicts } from "./conflict-details.js";
import { SIDES, other } from "./side.js";

/*
 * A whole pass over a large tree in bounded memory. The tree is cut into chunks, each a run of
 * consecutive children of one folder (in tree order) with everything below them, holding at
 * most `limit` entries on either side; a folder with more below it is split: its children
 * become chunks of their own, and the folder itself is planned as a shallow parent (looked at
 * without its content, never deleted from there), as a change-driven pass plans the parents of
 * what it looks at. Each chunk is scanned, planned against the base rows of its paths (read by
 * range from the state store) and applied before the next one is scanned.
 *
 * The safety gates weigh a whole pass before anything changes, so the pass runs twice over the
 * chunks: first to plan and count (deletions per side, files, entries), keeping the plans while
 * they hold at most `limit` items in all; then, once the gates pass, to apply the kept plans and
 * to scan and plan again the chunks whose plans were let go (an initial pass of many files
 * scans its source twice rather than holding a copy action per file).
 * RACE: a chunk planned again may find more to delete than was counted (a user deleting files
 * meanwhile); the gates judged the first count.
 */

/** Entries per side in one chunk, and plan items kept between the two rounds (env WLSYNC_CHUNK_ENTRIES). */
export const DEFAULT_CHUNK_ENTRIES = 10_000;

/**
 * One chunk: the children of `dir` whose names are in the range from `lo` (excluded when
 * `loOpen`; null: no lower end) up to `hi` (excluded; null: no upper end), with everything below
 * them; or `dir` itself with everything below it (`whole`). The chunks of a split folder tile
 * all names (but those of its split children), so that paths only the base still knows (gone
 * from both storages) fall in one of them and are forgotten.
 */
export interface ChunkSpec {
  dir: string;
  lo: string | null;
  loOpen: boolean;
  hi: string | null;
  whole?: boolean;
  /** Plan only in the second round: a split folder missing on one side, settled once its content is. */
  settle?: boolean;
}

/** What the gates need from the first round. */
export interface PassCounts {
  files: Record<Side, number>;
  entries: Record<Side, number>;
  /** Deletions of files and links (not folders) planned on each side. */
  deletions: Record<Side, number>;
}

/** Whether a child name of a chunk's folder is in its range. */
export function inRange(spec: ChunkSpec, name: string): boolean {
  if (spec.lo !== null && (spec.loOpen ? name <= spec.lo : name < spec.lo)) return false;
  return spec.hi === null || name < spec.hi;
}

export interface ChunkHost {
  ctx: SyncerContext;
  pair: PairState;
  backends: Record<Side, StorageBackend>;
  warnings: string[];
  /** Start of the pass: temporary files older than this, left by killed passes, are removed. */
  cleanStaleTemp: number;
  transfers: number;
  openConflicts: Map<string, Conflict>;
  folding: Record<Side, { case: boolean; unicode: boolean }>;
  limit: number;
}

const childPath = (dir: string, name: string): string => (dir === "" ? name : `${dir}/${name}`);
const nameOf = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/** Collects a walk's warnings (see scan.ts scanWarnings): kept only if the walk is. */
function collector(backend: StorageBackend) {
  const opaque = new Set<string>();
  const errors: ItemError[] = [];
  const warnings: string[] = [];
  const onWarning = (w: WalkWarning) => {
    if (w.unlistedFolder || w.unknown) {
      opaque.add(w.path);
      errors.push({ path: w.path, code: "E_UNREADABLE", message: `on ${backend.backendId}: ${w.message}` });
    } else warnings.push(`${backend.backendId}: ${w.path}: ${w.message}`);
  };
  return { opaque, errors, warnings, onWarning };
}

/** A folder's direct children on one side (names in [from, to] when given), or null when the folder itself cannot be listed there. */
async function listFolder(
  host: ChunkHost,
  side: Side,
  dir: string,
  range?: ChunkSpec,
): Promise<{ entries: Map<string, StorageEntry>; opaque: Set<string>; errors: ItemError[]; warnings: string[] } | null> {
  const backend = host.backends[side];
  const c = collector(backend);
  const entries = new Map<string, StorageEntry>();
  const prefix = dir === "" ? "" : `${dir}/`;
  // Only the folder's own children: nothing deeper is looked at (the walk would go on below).
  const wanted = (path: string): boolean => {
    if (!path.startsWith(prefix) || path.indexOf("/", prefix.length) >= 0) return false;
    return !range || inRange(range, path.slice(prefix.length));
  };
  const filter = host.ctx.filter;
  for await (const batch of backend.walkBatches({
    under: dir === "" ? undefined : dir,
    include: (path, isDir) => wanted(path) && filter.includes(path, isDir),
    onWarning: c.onWarning,
    cleanStaleTemp: host.cleanStaleTemp,
  })) {
    // (A walk goes on into the sub-folders, which `wanted` keeps it from looking into.)
    for (const entry of batch) if (wanted(entry.path)) entries.set(nameOf(entry.path), entry);
  }
  // The folder itself unreadable: not splittable here.
  if (c.opaque.has(dir)) return null;
  return { entries, ...c };
}

/** Everything below the folder `dir` on one side, or null once more than `limit` entries were found. */
async function walkBelow(host: ChunkHost, side: Side, dir: string, limit: number, into: { listing: Listing; opaque: Set<string>; errors: ItemError[]; warnings: string[] }): Promise<boolean> {
  const backend = host.backends[side];
  const c = collector(backend);
  const found: StorageEntry[] = [];
  for await (const batch of backend.walkBatches({ under: dir, include: (path, isDir) => host.ctx.filter.includes(path, isDir), onWarning: c.onWarning, cleanStaleTemp: host.cleanStaleTemp })) {
    for (const entry of batch) found.push(entry);
    if (found.length > limit) return false;
  }
  for (const entry of found) into.listing.set(entry.path, entry as ScannedEntry);
  for (const p of c.opaque) into.opaque.add(p);
  into.errors.push(...c.errors);
  into.warnings.push(...c.warnings);
  return true;
}

type SideScans = Record<Side, Scan & { warnings: string[] }>;
const emptyScans = (): SideScans => ({
  source: { listing: new Map(), opaque: new Set(), errors: [], warnings: [] },
  target: { listing: new Map(), opaque: new Set(), errors: [], warnings: [] },
});
const entriesIn = (scans: SideScans): number => Math.max(scans.source.listing.size, scans.target.listing.size);

/**
 * Cuts the tree into chunks (first round): calls `onChunk` with each chunk's spec and, for all
 * but settle chunks, its scan, in tree order.
 */
export async function forEachChunk(host: ChunkHost, onChunk: (spec: ChunkSpec, scans?: SideScans) => Promise<void>): Promise<void> {
  await splitFolder(host, "", onChunk);
}

/** Chunks below a folder that is split: its children in groups, a too-large child split in turn. */
async function splitFolder(host: ChunkHost, dir: string, onChunk: (spec: ChunkSpec, scans?: SideScans) => Promise<void>): Promise<boolean> {
  const listed = { source: await listFolder(host, "source", dir), target: await listFolder(host, "target", dir) };
  if (!listed.source || !listed.target) return false;
  const sides = { source: listed.source, target: listed.target };
  for (const side of SIDES) host.warnings.push(...sides[side].warnings);
  // Ignore files right in this folder apply to all its chunks: read before any of them.
  if (dir !== "" && host.ctx.filter instanceof IgnoreRules) {
    const listings = SIDES.map((side) => ({ backend: host.backends[side], listing: new Map([...sides[side].entries.values()].map((e) => [e.path, e])) }));
    const refined = await withNestedIgnoreFiles(host.ctx.filter, listings, false);
    if (refined !== host.ctx.filter) {
      host.ctx.filter = refined;
      for (const side of SIDES) for (const [name, e] of sides[side].entries) if (!refined.includes(e.path, e.kind === "dir")) sides[side].entries.delete(name);
    }
  }
  const names = new Set<string>();
  for (const side of SIDES) {
    for (const name of sides[side].entries.keys()) names.add(name);
    for (const p of sides[side].opaque) if (p !== dir) names.add(nameOf(p));
  }
  const sorted = [...names].sort();
  let group = emptyScans();
  let lower: { lo: string | null; loOpen: boolean } = { lo: null, loOpen: false };
  let count = 0;
  /** Ends the group before `hi` (null: the last one); a range with nothing in it still goes, for paths only the base knows. */
  const flush = async (hi: string | null): Promise<void> => {
    await onChunk({ dir, ...lower, hi }, group);
    group = emptyScans();
    count = 0;
    lower = { lo: hi, loOpen: false };
  };
  for (const name of sorted) {
    const path = childPath(dir, name);
    const child = emptyScans();
    let fits = true;
    for (const side of SIDES) {
      const s = sides[side];
      const entry = s.entries.get(name);
      if (s.opaque.has(path)) {
        child[side].opaque.add(path);
        child[side].errors.push(...s.errors.filter((e) => e.path === path));
      }
      if (!entry) continue;
      child[side].listing.set(path, entry as ScannedEntry);
      if (entry.kind === "dir" && fits) fits = await walkBelow(host, side, path, host.limit, child[side]);
    }
    if (fits && (count === 0 || entriesIn(group) + entriesIn(child) <= host.limit)) {
      merge(group, child);
      count++;
      continue;
    }
    if (fits) {
      await flush(name);
      merge(group, child);
      count++;
      continue;
    }
    // Too large for one chunk: a folder on each side holding it (or on one side only) is split;
    // anything else (a folder on one side, a file on the other) is one chunk, whatever its size.
    const kinds = SIDES.map((side) => sides[side].entries.get(name)?.kind);
    const splittable = kinds.every((k) => k === undefined || k === "dir") && !SIDES.some((side) => sides[side].opaque.has(path));
    await flush(name);
    lower = { lo: name, loOpen: true };
    if (splittable && (await splitFolder(host, path, onChunk))) {
      if (kinds.includes(undefined)) await onChunk({ dir: path, lo: null, loOpen: false, hi: null, whole: true, settle: true });
    } else {
      await onChunk({ dir: path, lo: null, loOpen: false, hi: null, whole: true }, await scanWhole(host, path));
    }
  }
  await flush(null);
  return true;
}

function merge(into: SideScans, from: SideScans): void {
  for (const side of SIDES) {
    for (const [p, e] of from[side].listing) into[side].listing.set(p, e);
    for (const p of from[side].opaque) into[side].opaque.add(p);
    into[side].errors.push(...from[side].errors);
    into[side].warnings.push(...from[side].warnings);
  }
}

/** A path and everything below it, on both sides, whatever its size. */
async function scanWhole(host: ChunkHost, path: string): Promise<SideScans> {
  const scans = emptyScans();
  for (const side of SIDES) {
    const backend = host.backends[side];
    let entry: StorageEntry | null = null;
    try {
      entry = await backend.stat(path);
    } catch (err) {
      scans[side].opaque.add(path);
      scans[side].errors.push({ path, code: "E_UNREADABLE", message: `on ${backend.backendId}: cannot look at it (${errorMessage(err)}); it is left alone this pass` });
      continue;
    }
    if (!entry || !host.ctx.filter.includes(path, entry.kind === "dir")) continue;
    scans[side].listing.set(path, entry as ScannedEntry);
    if (entry.kind === "dir") await walkBelow(host, side, path, Number.POSITIVE_INFINITY, scans[side]);
  }
  return scans;
}

/** A chunk scanned again (second round), as the first round's cut describes it. */
export async function scanChunk(host: ChunkHost, spec: ChunkSpec): Promise<SideScans> {
  if (spec.whole) return scanWhole(host, spec.dir);
  const scans = emptyScans();
  for (const side of SIDES) {
    const listed = await listFolder(host, side, spec.dir, spec);
    if (!listed) continue; // the folder went away since the first round: its parent's next pass sees it
    const into = scans[side];
    for (const p of listed.opaque) into.opaque.add(p);
    into.errors.push(...listed.errors);
    into.warnings.push(...listed.warnings);
    for (const entry of listed.entries.values()) {
      into.listing.set(entry.path, entry as ScannedEntry);
      if (entry.kind === "dir") await walkBelow(host, side, entry.path, Number.POSITIVE_INFINITY, into);
    }
  }
  return scans;
}

/** The folders above a chunk, looked at without their content. */
export function parentsOf(spec: ChunkSpec): Set<string> {
  const parents = new Set<string>(ancestorsOf(spec.whole ? spec.dir : `${spec.dir}/x`));
  parents.delete("");
  return parents;
}

/**
 * Plans one chunk: its parents' entries, nested ignore files, unsupported links, the base rows
 * of its paths, the hashes the comparison needs, then the plan with conflicts described.
 * `ignoreFiles` collects the nested ignore files seen (to drop rules of vanished ones at the end).
 */
export async function planChunk(host: ChunkHost, spec: ChunkSpec, scans: SideScans, ignoreFiles: Set<string>): Promise<Plan> {
  const { ctx, backends } = host;
  const parents = parentsOf(spec);
  for (const p of parents) {
    for (const side of SIDES) {
      const entry = await backends[side].stat(p).catch(() => null);
      if (entry && ctx.filter.includes(p, entry.kind === "dir")) scans[side].listing.set(p, entry as ScannedEntry);
    }
  }
  if (ctx.filter instanceof IgnoreRules) {
    for (const side of SIDES) for (const [path, e] of scans[side].listing) if (e.kind === "file" && path.includes("/") && ctx.filter.isIgnoreFile(path)) ignoreFiles.add(path);
    const refined = await withNestedIgnoreFiles(ctx.filter, SIDES.map((side) => ({ backend: backends[side], listing: scans[side].listing })), false);
    if (refined !== ctx.filter) {
      for (const side of SIDES) pruneListing(scans[side].listing, refined);
      ctx.filter = refined;
    }
  }
  for (const side of SIDES) {
    dropUnsupported(scans[side].listing, backends[other(side)], host.warnings);
    host.warnings.push(...scans[side].warnings);
    scans[side].warnings.length = 0;
  }
  const synced = host.pair.loadSyncedChunk(spec, (name) => inRange(spec, name), parents);
  const hashErrors = await hashForPlan(scans, backends, synced, host.transfers);
  const plan = reconcile(
    { synced, openConflicts: host.openConflicts },
    { entries: scans.source.listing, unknown: scans.source.opaque, shallow: parents, folding: host.folding.source },
    { entries: scans.target.listing, unknown: scans.target.opaque, shallow: parents, folding: host.folding.target },
    { direction: ctx.options.unidirectional ? "one-way" : "two-way" },
  );
  plan.errors.push(...scans.source.errors, ...scans.target.errors, ...hashErrors);
  const hash = (side: Side, entry: StorageEntry) => backends[side].getHash(entry.path, entry);
  await describeConflicts(plan.conflicts, { source: scans.source.listing, target: scans.target.listing, base: synced, names: { source: backends.source.backendId, target: backends.target.backendId }, hash });
  return plan;
}

/** Adds a chunk's plan to the first round's counts. `entries`: the chunk's own entries per side (parents not counted). */
export function countPlan(counts: PassCounts, plan: Plan, entries: Record<Side, number>): void {
  for (const side of SIDES) {
    counts.files[side] += plan.fileCounts[side];
    counts.entries[side] += entries[side];
  }
  for (const a of plan.actions) if (a.type === "delete" && a.kind !== "dir") counts.deletions[a.to]++;
}

/** Plan items a kept plan holds in memory. */
export function planWeight(plan: Plan): number {
  return plan.actions.length + plan.records.length + plan.forgets.length;
}

/** Base rows the chunk needs are read by PairState.loadSyncedChunk; records are in the caller's orientation. */
export type ChunkBase = Map<string, SyncedRecord>;
