import type { Action, ScannedEntry, Side } from "@wlsync/plugin-api";
import { SIDES } from "./side.js";

/*
 * Renames and copies that move nothing (Unison's copy-by-fingerprint, rclone --track-renames):
 * after reconciliation, a file to be created on a side whose sha256 is already there is made
 * from the file there instead of being transferred. A pure function over the plan's actions and
 * the sides' listings (no I/O); the sha256 of every file it should consider must be known (the
 * engine's move-candidates step fills them in). Applying checks every match again (the file at
 * `from` must still hold the sha256) and falls back to a transfer when anything differs.
 */

type Copy = Extract<Action, { type: "copy" }>;
type Delete = Extract<Action, { type: "delete" }>;

/** What a side's storage can make from a file it holds. */
export interface WithinAbility {
  move: boolean;
  copy: boolean;
}

const BOTH: WithinAbility = { move: true, copy: true };

/** The last path segment. */
const baseName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/** Whether `path` is `dir` or below it. */
const within = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir}/`);

/**
 * Turns the plan's copies into moves and copies within the destination side where it can:
 *
 *   - a new file (a copy onto an absent path) whose sha256 is that of a file the plan deletes
 *     on the same side becomes a `move` of that file, and the deletion is dropped (the move
 *     does it); a file deleted there with the same name is preferred, then the first by path;
 *   - else, when a file with that sha256 stays on that side (no action touches it), or a move
 *     of this plan puts one there, it becomes a `copy-within` from that file.
 *
 * Only files with content are considered (an empty file costs nothing to write). A deletion
 * below a folder that the plan deletes and puts something else at (a folder that became a file)
 * is left alone: that folder must be gone before the new file lands, which moves come too late for.
 * `listings`: each side's scan, with the sha256 of the files to consider. `can`: what each side's
 * storage can do (moveWithin, copyWithin; default both). Returns the new list of
 * actions (the others unchanged, in their order); the inputs are not modified.
 */
export function findMoves(
  actions: readonly Action[],
  listings: Record<Side, ReadonlyMap<string, ScannedEntry>>,
  can: Record<Side, WithinAbility> = { source: BOTH, target: BOTH },
): Action[] {
  const replaced = new Map<Action, Action | undefined>();
  for (const side of SIDES) {
    if (!can[side].move && !can[side].copy) continue;
    const mine = actions.filter((a) => a.to === side);
    const copies = mine.filter((a): a is Copy => a.type === "copy" && a.expected.kind === "absent" && !!a.hash && a.entry.size > 0);
    if (copies.length === 0) continue;
    const touched = new Set(mine.map((a) => a.path));
    const written = new Set(mine.filter((a) => a.type !== "delete").map((a) => a.path));
    const reshaped = mine.filter((a) => a.type === "delete" && a.kind === "dir" && written.has(a.path)).map((a) => a.path);
    const deleted = new Map<string, Delete[]>();
    for (const a of mine) {
      if (a.type !== "delete" || a.kind !== "file" || a.expected.kind !== "file") continue;
      if (reshaped.some((dir) => within(a.path, dir) && a.path !== dir)) continue;
      const size = listings[side].get(a.path)?.size ?? 0;
      if (size === 0) continue;
      const list = deleted.get(a.expected.hash) ?? [];
      list.push(a);
      deleted.set(a.expected.hash, list);
    }
    const staying = new Map<string, string>();
    for (const [path, entry] of listings[side]) {
      if (entry.kind !== "file" || !entry.hash || entry.size === 0 || touched.has(path)) continue;
      const known = staying.get(entry.hash);
      if (known === undefined || path < known) staying.set(entry.hash, path);
    }
    const movedTo = new Map<string, string>();
    copies.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
    const made = (copy: Copy) => ({
      path: copy.path,
      to: side,
      entry: copy.entry,
      hash: copy.hash!,
      expected: copy.expected,
      ...(copy.createParents !== undefined ? { createParents: copy.createParents } : {}),
    });
    // Moves: first where the moved file keeps its name (a folder renamed), then any.
    for (const sameName of can[side].move ? [true, false] : []) {
      for (const copy of copies) {
        const candidates = deleted.get(copy.hash!);
        if (replaced.has(copy) || !candidates?.length) continue;
        const index = sameName ? candidates.findIndex((d) => baseName(d.path) === baseName(copy.path)) : 0;
        if (index < 0) continue;
        const [gone] = candidates.splice(index, 1);
        replaced.set(gone!, undefined);
        replaced.set(copy, { type: "move", from: gone!.path, ...made(copy) });
        if (!movedTo.has(copy.hash!)) movedTo.set(copy.hash!, copy.path);
      }
    }
    if (!can[side].copy) continue;
    for (const copy of copies) {
      const from = replaced.has(copy) ? undefined : (staying.get(copy.hash!) ?? movedTo.get(copy.hash!));
      if (from !== undefined) replaced.set(copy, { type: "copy-within", from, ...made(copy) });
    }
  }
  if (replaced.size === 0) return [...actions];
  const out: Action[] = [];
  for (const action of actions) {
    if (!replaced.has(action)) out.push(action);
    else {
      const instead = replaced.get(action);
      if (instead) out.push(instead);
    }
  }
  return out;
}
