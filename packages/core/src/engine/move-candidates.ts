import { forEachLimit } from "@wlsync/plugin-api";
import type { Action, Plan, ScannedEntry, Side, StorageBackend, SyncedRecord } from "@wlsync/plugin-api";
import { findMoves, type WithinAbility } from "./moves.js";
import { SIDES, other, tokenKey } from "./side.js";
import type { HashSource } from "./scan.js";

/*
 * What findMoves (moves.ts) needs before it can match: the sha256 of the files a plan creates
 * and of the files already on their destination side that could provide them. Cheap where it
 * can be: only sizes that occur on both ends are looked at; a destination file's sha256 is taken
 * only where it is known without reading (the deletion's expected hash, the base under an
 * unchanged token, the hash cache); a new file's sha256 is read on its side when a destination
 * file of the same size is known. A pass that creates nothing, or whose new files match no size
 * there, reads nothing.
 */

/**
 * Fills in, in place, `hash` on the copies of `actions` (and their entries) and on the
 * destination listings' entries that findMoves should consider. `concurrency` files are read at
 * once. A file that cannot be read is simply not considered (its copy goes ahead as planned).
 */
export async function hashMoveCandidates(
  actions: readonly Action[],
  listings: Record<Side, ReadonlyMap<string, ScannedEntry>>,
  sources: Record<Side, HashSource>,
  base: ReadonlyMap<string, SyncedRecord>,
  concurrency = 8,
): Promise<void> {
  const wanted: Array<{ copy: Extract<Action, { type: "copy" }>; side: Side }> = [];
  for (const side of SIDES) {
    const copies = actions.filter((a): a is Extract<Action, { type: "copy" }> => a.type === "copy" && a.to === side && a.expected.kind === "absent" && a.entry.size > 0);
    if (copies.length === 0) continue;
    const newSizes = new Set(copies.map((c) => c.entry.size));
    const poolSizes = new Set<number>();
    const listing = listings[side];
    for (const a of actions) {
      if (a.to !== side || a.type !== "delete" || a.expected.kind !== "file") continue;
      const size = listing.get(a.path)?.size;
      if (size !== undefined && newSizes.has(size)) poolSizes.add(size);
    }
    for (const [path, entry] of listing) {
      if (entry.kind !== "file" || !newSizes.has(entry.size)) continue;
      if (!entry.hash) {
        const record = base.get(path);
        const token = record?.[tokenKey(side)];
        const fromBase = record?.kind === "file" && record.hash && token && token === entry.token && record.size === entry.size ? record.hash : undefined;
        const known = fromBase ?? sources[side].knownHash(path, entry);
        if (known) entry.hash = known;
      }
      if (entry.hash) poolSizes.add(entry.size);
    }
    for (const copy of copies) if (poolSizes.has(copy.entry.size) && !copy.hash) wanted.push({ copy, side });
  }
  await forEachLimit(wanted, concurrency, async ({ copy, side }) => {
    const from = other(side);
    try {
      const hash = copy.entry.hash ?? (await sources[from].getHash(copy.path, copy.entry));
      copy.hash = hash;
      const entry = listings[from].get(copy.path);
      if (entry && entry.token === copy.entry.token) entry.hash = hash;
    } catch {
      // Unreadable now: the copy goes ahead as planned and reports what it finds.
    }
  });
  for (const side of SIDES) {
    for (const a of actions) {
      if (a.type === "copy" && a.to === side && !a.hash && a.entry.hash) a.hash = a.entry.hash;
    }
  }
}

/** What a storage can make from a file it holds (moveWithin, copyWithin): only that is looked for. */
export function withinAbility(backend: StorageBackend): WithinAbility {
  return { move: typeof backend.moveWithin === "function", copy: typeof backend.copyWithin === "function" };
}

/**
 * The moves step of a pass (or of one chunk of it): on sides whose storage can move or copy
 * within itself, hashes the candidates (hashMoveCandidates) and replaces the plan's actions by
 * findMoves' result. A rename whose two names fall in different chunks of a chunked pass is not
 * seen here: it is transferred and deleted as planned.
 */
export async function planMoves(
  plan: Plan,
  listings: Record<Side, ReadonlyMap<string, ScannedEntry>>,
  backends: Record<Side, StorageBackend>,
  base: ReadonlyMap<string, SyncedRecord>,
  concurrency: number,
): Promise<void> {
  const can = { source: withinAbility(backends.source), target: withinAbility(backends.target) };
  if (!can.source.move && !can.source.copy && !can.target.move && !can.target.copy) return;
  const considered = plan.actions.filter((a) => can[a.to].move || can[a.to].copy);
  await hashMoveCandidates(considered, listings, backends, base, concurrency);
  plan.actions = findMoves(plan.actions, listings, can);
}
