import { errorMessage, isWlError } from "@wlsync/plugin-api";
import type { Expected, StorageEntry } from "@wlsync/plugin-api";
import { forEachLimit } from "@wlsync/plugin-api";
import { ancestorsOf, depthOf } from "../util/paths.js";
import type { Action, Conflict, ConflictReason, ItemError, Plan, Side, SyncedRecord } from "@wlsync/plugin-api";
import { trustedToken } from "../state/racy.js";

export type Listing = Map<string, StorageEntry>;

export interface PlanInput {
  source: Listing;
  target: Listing;
  /** The last state known identical on both sides. */
  base: Map<string, SyncedRecord>;
  unidirectional: boolean;
  /** Conflicts left open by the previous pass, with the tokens each side had then. */
  openConflicts?: ReadonlyMap<string, Conflict>;
  /** Parent folders looked at without their content (change-driven passes): never deleted. */
  shallow?: ReadonlySet<string>;
  /** Entries (on either side) that could not be looked at, or folders whose content could not be listed: nothing at or below them is decided. */
  opaque?: ReadonlySet<string>;
  /** sha256 of a file entry (from the hash cache when its token is unchanged). */
  hash(side: Side, entry: StorageEntry): Promise<string>;
  /** sha256 known without reading the file (listing, hash cache), looked up synchronously first. */
  knownHash?(side: Side, entry: StorageEntry): string | undefined;
  hashConcurrency?: number;
}

type Item = StorageEntry | SyncedRecord | undefined;

function linkOf(item: StorageEntry | SyncedRecord): string | null {
  return ("linkTarget" in item ? item.linkTarget : null) ?? null;
}

/** Same kind and content. Files compare by sha256; a file whose hash is unknown is "changed". */
function sameContent(x: Item, y: Item): boolean {
  if (!x || !y) return x === y;
  if (x.kind !== y.kind) return false;
  if (x.kind === "dir") return true;
  if (x.kind === "symlink") return linkOf(x) === linkOf(y);
  return x.size === y.size && !!x.hash && x.hash === y.hash;
}

function expectedOf(entry: StorageEntry | undefined): Expected {
  if (!entry) return { kind: "absent" };
  if (entry.kind === "dir") return { kind: "dir" };
  if (entry.kind === "symlink") return { kind: "symlink", target: entry.linkTarget ?? "" };
  if (!entry.hash) throw new Error(`internal: ${entry.path} has no hash to compare against`);
  return { kind: "file", hash: entry.hash };
}

/** The record of content both sides have (`a` and `b` the same content), with each side's trusted token. */
function recordOf(a: StorageEntry, b: StorageEntry, now: number): SyncedRecord {
  const file = a.kind === "file";
  return {
    path: a.path,
    kind: a.kind,
    size: file ? a.size : 0,
    hash: file ? (a.hash ?? null) : null,
    linkTarget: a.kind === "symlink" ? (a.linkTarget ?? null) : null,
    sourceToken: file ? trustedToken(a, now) : null,
    targetToken: file ? trustedToken(b, now) : null,
  };
}

/** The hash of a file entry known from the base: same size and the token recorded with it. */
function hashFromBase(entry: StorageEntry, base: SyncedRecord | undefined, token: string | null | undefined): string | undefined {
  return base?.kind === "file" && base.hash && token && token === entry.token && base.size === entry.size ? base.hash : undefined;
}

function describe(entry: Item): string {
  if (!entry) return "deleted";
  return entry.kind === "dir" ? "a folder" : entry.kind === "symlink" ? "a symlink" : "a file";
}

function conflictOf(path: string, a: Item, b: Item, base: Item): Conflict {
  let reason: ConflictReason;
  let message: string;
  if (a && b && (a.kind === "dir") !== (b.kind === "dir")) {
    reason = "file-dir";
    message = `${describe(a)} on the source, ${describe(b)} on the target`;
  } else if (!base) {
    reason = "first-meeting";
    message = "different content on both sides at first meeting";
  } else if (!a || !b) {
    reason = "modify-delete";
    message = a ? "changed on the source, deleted on the target" : "deleted on the source, changed on the target";
  } else {
    reason = "both-changed";
    message = "changed on both sides";
  }
  return { path, reason, message };
}

/**
 * Which file entries need a sha256 to decide (those whose size does not settle it) and whose
 * hash is not known already. Known ones (listing, hash cache) get it here, synchronously, so
 * a no-change pass builds no list of every file and runs no promise per file.
 */
function entriesToHash(input: PlanInput, paths: readonly string[]): Array<[Side, StorageEntry]> {
  const wanted: Array<[Side, StorageEntry]> = [];
  const want = (side: Side, entry: StorageEntry, base: SyncedRecord | undefined): void => {
    const known = hashFromBase(entry, base, side === "source" ? base?.sourceToken : base?.targetToken) ?? input.knownHash?.(side, entry);
    if (known) entry.hash = known;
    else wanted.push([side, entry]);
  };
  for (const path of paths) {
    const a = input.source.get(path);
    const b = input.target.get(path);
    const base = input.base.get(path);
    const bothFiles = a?.kind === "file" && b?.kind === "file" && a.size === b.size;
    if (a?.kind === "file" && !a.hash && (bothFiles || (base?.kind === "file" && base.size === a.size))) want("source", a, base);
    if (b?.kind === "file" && !b.hash && (bothFiles || (base?.kind === "file" && base.size === b.size))) want("target", b, base);
  }
  return wanted;
}

/**
 * The three-way merge of SPEC section 2: each side is compared with the base (the last state
 * known identical on both). A change on one side propagates; a change on both sides to the
 * same content is recorded; anything else is a conflict and touches nothing.
 */
export async function makePlan(input: PlanInput): Promise<Plan> {
  const paths = [...new Set([...input.source.keys(), ...input.target.keys(), ...input.base.keys()])].sort();
  const errors: ItemError[] = [];
  const failed = new Set<string>();

  // Most files keep their token between passes and get their hash from the cache; only the
  // others are read, a few at a time.
  await forEachLimit(entriesToHash(input, paths), input.hashConcurrency ?? 8, async ([side, entry]) => {
    try {
      entry.hash = await input.hash(side, entry);
    } catch (err) {
      failed.add(entry.path);
      errors.push({ path: entry.path, code: isWlError(err) ? err.code : "E_ITEM", message: `cannot read on the ${side}: ${errorMessage(err)}` });
    }
  });

  const actions: Action[] = [];
  const conflicts: Conflict[] = [];
  const records: SyncedRecord[] = [];
  const forgets: string[] = [];
  const conflicted = new Set<string>();
  const now = Date.now();

  const propagate = (path: string, entry: StorageEntry | undefined, to: Side, existing: StorageEntry | undefined): void => {
    const expected = expectedOf(existing);
    if (existing && (!entry || existing.kind !== entry.kind || existing.kind === "symlink")) {
      actions.push({ type: "delete", path, to, expected, kind: existing.kind });
    }
    if (!entry) return;
    const after: Expected = existing && existing.kind === entry.kind && entry.kind !== "symlink" ? expected : { kind: "absent" };
    if (entry.kind === "file") actions.push({ type: "copy", path, to, entry, hash: entry.hash, expected: after });
    else if (entry.kind === "dir") {
      if (!existing || existing.kind !== "dir") actions.push({ type: "mkdir", path, to, entry });
    } else actions.push({ type: "symlink", path, to, entry, expected: after });
  };

  for (const path of paths) {
    if (failed.has(path)) continue;
    if (input.opaque?.size && (input.opaque.has(path) || isBelow(path, input.opaque))) {
      // Unknown is not absent: what could not be looked at is neither copied nor deleted.
      failed.add(path);
      continue;
    }
    if (isBelow(path, conflicted)) continue;
    const a = input.source.get(path);
    const b = input.target.get(path);
    const base = input.base.get(path);
    const aChanged = !sameContent(a, base);
    const bChanged = !sameContent(b, base);

    if (!aChanged && !bChanged) {
      if (!a && !b && base) forgets.push(path);
      // Same content, new or unknown tokens (a touched file, a state from before tokens were
      // kept): the record is refreshed so that the next pass needs no hash lookup for it.
      else if (a?.kind === "file" && b && base && (base.sourceToken !== trustedToken(a, now) || base.targetToken !== trustedToken(b, now))) {
        records.push(recordOf(a, b, now));
      }
      continue;
    }
    if (aChanged && !bChanged) {
      propagate(path, a, "target", b);
    } else if (!aChanged && bChanged) {
      if (!input.unidirectional) propagate(path, b, "source", a);
    } else if (sameContent(a, b)) {
      if (a && b) records.push(recordOf(a, b, now));
      else if (base) forgets.push(path);
    } else if (!resolvedByDeletion(path, a, b, input, propagate)) {
      const conflict = { ...conflictOf(path, a, b, base), sourceToken: a?.token ?? "", targetToken: b?.token ?? "" };
      conflicts.push(conflict);
      conflicted.add(path);
    }
  }

  const kept = keepFoldersWithSurvivors(input, actions, conflicted, failed);
  // A folder that still holds something on a side is kept there. If it was to become a file or
  // link, the two sides now disagree on its kind: a conflict, and like every conflict it touches
  // nothing, neither the path nor anything below it (SPEC 2, rule 4).
  const flipped = new Set<string>();
  for (const action of actions) {
    if (action.type !== "delete" || action.kind !== "dir" || !kept[action.to].has(action.path)) continue;
    if (!actions.some((x) => x.path === action.path && x.to === action.to && x.type !== "delete")) continue;
    flipped.add(action.path);
    const a = input.source.get(action.path);
    const b = input.target.get(action.path);
    conflicts.push({
      path: action.path,
      reason: "file-dir",
      message: "a folder with content on one side, not a folder on the other",
      sourceToken: a?.token ?? "",
      targetToken: b?.token ?? "",
    });
  }
  // A side whose folder became a file or a link (a one-way pass leaves the target's own changes
  // where they are) cannot receive what the other side put inside that folder: a conflict too,
  // and nothing is written below it (a write there would go through the link, out of the storage).
  const deleting = new Set(actions.filter((x) => x.type === "delete").map((x) => `${x.to}\u0000${x.path}`));
  for (const action of actions) {
    if (action.type === "delete") continue;
    const listing = action.to === "source" ? input.source : input.target;
    for (const parent of ancestorsOf(action.path)) {
      const there = listing.get(parent);
      if (!there || there.kind === "dir" || deleting.has(`${action.to}\u0000${parent}`) || flipped.has(parent)) continue;
      flipped.add(parent);
      const a = input.source.get(parent);
      const b = input.target.get(parent);
      conflicts.push({
        path: parent,
        reason: "file-dir",
        message: `${describe(a)} on the source, ${describe(b)} on the target`,
        sourceToken: a?.token ?? "",
        targetToken: b?.token ?? "",
      });
    }
  }
  const finalActions: Action[] = [];
  for (const action of actions) {
    if (action.type === "delete" && action.kind === "dir" && kept[action.to].has(action.path)) continue;
    if (flipped.has(action.path) || isBelow(action.path, flipped)) continue;
    finalActions.push(action);
  }

  // A copy may create its parent folders only where they were neither there nor planned.
  const made = new Set(finalActions.filter((x) => x.type === "mkdir").map((x) => `${x.to}\u0000${x.path}`));
  for (const action of finalActions) {
    if (action.type !== "copy") continue;
    const slash = action.path.lastIndexOf("/");
    if (slash < 0) continue;
    const parent = action.path.slice(0, slash);
    const listing = action.to === "source" ? input.source : input.target;
    action.createParents = !(listing.get(parent)?.kind === "dir" || made.has(`${action.to}\u0000${parent}`));
  }

  return {
    actions: orderActions(finalActions),
    conflicts,
    records,
    forgets,
    fileCounts: { source: countFiles(input.source), target: countFiles(input.target) },
    errors,
  };
}

/**
 * SPEC 2 rule 4: a conflict is resolved by deleting one side; the surviving version, unchanged
 * since the conflict was reported, is then copied back.
 */
function resolvedByDeletion(
  path: string,
  a: StorageEntry | undefined,
  b: StorageEntry | undefined,
  input: PlanInput,
  propagate: (path: string, entry: StorageEntry | undefined, to: Side, existing: StorageEntry | undefined) => void,
): boolean {
  const prior = input.openConflicts?.get(path);
  if (!prior) return false;
  if (!a && prior.sourceToken && b && b.token === prior.targetToken && !input.unidirectional) {
    propagate(path, b, "source", undefined);
    return true;
  }
  if (!b && prior.targetToken && a && a.token === prior.sourceToken) {
    propagate(path, a, "target", undefined);
    return true;
  }
  return false;
}

function isBelow(path: string, folders: ReadonlySet<string>): boolean {
  if (folders.size === 0) return false;
  for (const parent of ancestorsOf(path)) if (folders.has(parent)) return true;
  return false;
}

/** Folders that keep content on a side (anything not deleted there) must not be removed. */
function keepFoldersWithSurvivors(
  input: PlanInput,
  actions: readonly Action[],
  conflicted: ReadonlySet<string>,
  failed: ReadonlySet<string>,
): Record<Side, Set<string>> {
  const kept: Record<Side, Set<string>> = { source: new Set(input.shallow ?? []), target: new Set(input.shallow ?? []) };
  const deleted: Record<Side, Set<string>> = { source: new Set(), target: new Set() };
  for (const action of actions) {
    if (action.type === "delete") deleted[action.to].add(action.path);
    else {
      // Content copied into a folder keeps that folder on the receiving side.
      for (const parent of ancestorsOf(action.path)) kept[action.to].add(parent);
    }
  }
  for (const side of ["source", "target"] as const) {
    const listing = side === "source" ? input.source : input.target;
    for (const path of listing.keys()) {
      if (deleted[side].has(path) && !conflicted.has(path) && !failed.has(path)) continue;
      for (const parent of ancestorsOf(path)) {
        if (kept[side].has(parent)) break;
        kept[side].add(parent);
      }
    }
  }
  return kept;
}

/** Deletions deepest first, then folders shallowest first, then content. */
function orderActions(actions: Action[]): Action[] {
  const rank = (a: Action): number => (a.type === "delete" ? 0 : a.type === "mkdir" ? 1 : 2);
  return actions.sort((x, y) => {
    const r = rank(x) - rank(y);
    if (r !== 0) return r;
    if (x.type === "delete") return depthOf(y.path) - depthOf(x.path);
    if (x.type === "mkdir") return depthOf(x.path) - depthOf(y.path);
    return 0;
  });
}

function countFiles(listing: Listing): number {
  let n = 0;
  for (const entry of listing.values()) if (entry.kind !== "dir") n++;
  return n;
}
