import { permissionsOf, type Expected } from "@wlsync/plugin-api";
import { compareTreeOrder, depthOf } from "../util/paths.js";
import { SIDES, bothSides, other, tokenKey } from "./side.js";
import { modeKey, modesMoved, reconcileModes, recordedModes, type ModeOutcome } from "./modes.js";
import type { Action, Base, Conflict, ConflictReason, Direction, Plan, PlanMode, ScannedEntry, Side, SideScan, SyncedRecord } from "@wlsync/plugin-api";

/*
 * Reconciliation: a synchronous, pure function over plain data (no I/O, no clock, inputs never
 * modified). Each path is compared on both sides with the base (the last state known
 * identical on both), as Unison and Mutagen do:
 *
 *   unchanged on both            nothing (a record whose tokens moved is refreshed)
 *   changed on one side          the change goes to the other side (one-way: source only;
 *                                a mirror: a change on the target alone is a conflict, which
 *                                the policy that keeps the source settles)
 *   changed on both, same        recorded, nothing moved
 *   changed on both, different   a conflict: nothing at or below the path is touched, unless
 *                                the conflict of the last pass was resolved by deleting one side
 *
 * Files' permission bits are reconciled alongside their content, the same way (see modes.ts).
 *
 * The paths are walked as a tree (a folder, then everything below it), so that what happens at
 * a folder can depend on what happens below it, and a decision at a folder covers its content:
 *
 *   - a folder that still holds something on a side (anything not deleted there, something
 *     copied into it, a folder looked at without its content) is not deleted on that side;
 *   - a folder with content kept on a side that was to become a file or a link there, or a
 *     file or link kept on a side where the other side put content below that path (a folder
 *     that became a file or a link on one side), is a conflict, and nothing at or below it is
 *     written: a write below a link would go through the link, out of the storage.
 *
 * The walk goes over the paths in tree order (see compareTreeOrder) keeping only the open
 * folders on a stack, so it can run as well over sorted listings merged on the fly.
 */

/** One path: what each side and the base have there. */
interface Row {
  path: string;
  source?: ScannedEntry;
  target?: ScannedEntry;
  base?: SyncedRecord;
}

/** What reconciliation decided at one path. */
type Decision =
  | { kind: "none" }
  /** Make the other side what `from` is (copy, mkdir, symlink, delete). */
  | { kind: "propagate"; from: Side }
  /** Both sides have the same content: store it as the base (new, or with new tokens). */
  | { kind: "record" }
  /** Gone from both sides: drop it from the base. */
  | { kind: "forget" }
  /** Leave the path and everything below it alone, and report it. */
  | { kind: "conflict"; reason: ConflictReason; message: string };

/** How the two sides stand against the base at one path. */
type Delta =
  | { kind: "unchanged" }
  | { kind: "one-side"; side: Side }
  | { kind: "both-same" }
  | { kind: "both-different" };

// Stryker disable next-line ObjectLiteral,StringLiteral: equivalent: a decision other than propagate, record, forget or conflict does nothing (visit ignores it)
const NONE: Decision = { kind: "none" };
const RECORD: Decision = { kind: "record" };
const FORGET: Decision = { kind: "forget" };

/** A mode's rule: the decision at a path, from its delta and the conflict the last pass left there. */
type ModeHandler = (row: Row, delta: Delta, prior: Conflict | undefined) => Decision;

/** Two-way: a change on either side goes to the other. */
const twoWay: ModeHandler = (row, delta, prior) => {
  if (delta.kind === "one-side") return { kind: "propagate", from: delta.side };
  if (delta.kind === "both-different") return onConflict(row, prior, SIDES);
  return agreed(row, delta);
};

/**
 * One-way (source to target): source changes go to the target; the target's own changes stay
 * where they are, and the source is never written.
 */
const oneWay: ModeHandler = (row, delta, prior) => {
  if (delta.kind === "one-side") return delta.side === "source" ? { kind: "propagate", from: "source" } : NONE;
  if (delta.kind === "both-different") return onConflict(row, prior, ["target"]);
  return agreed(row, delta);
};

/**
 * A mirror (one-way, with a conflict policy that keeps the source): as one-way, except that a
 * change made on the target alone (an edit, a deletion, something new there) is a conflict
 * rather than left where it is; the policy then puts the source's side back over it, keeping the
 * target's content as a version (see resolve-conflicts.ts).
 */
const mirror: ModeHandler = (row, delta, prior) => {
  if (delta.kind === "one-side" && delta.side === "target") return targetChanged(row);
  return oneWay(row, delta, prior);
};

const HANDLERS: Record<Direction, ModeHandler> = { "two-way": twoWay, "one-way": oneWay };

/** The handler of a pass's mode (a mirror only exists one-way). */
function handlerOf(mode: PlanMode): ModeHandler {
  return mode.mirror && mode.direction === "one-way" ? mirror : HANDLERS[mode.direction];
}

/** A mirror's conflict at a path that changed on the target alone. */
function targetChanged({ source, target }: Row): Decision {
  const message = !target ? "deleted on the target only" : !source ? `${describe(target)} on the target only` : "changed on the target only";
  return { kind: "conflict", reason: "target-changed", message };
}

/** Both sides agree (unchanged, or changed alike): only the base may need updating. */
function agreed(row: Row, delta: Delta): Decision {
  const { source, base } = row;
  // Changed alike on both sides: both hold the same content, or both deleted it.
  if (delta.kind === "both-same") return source ? RECORD : FORGET;
  // Unchanged: all three hold the same. A file whose tokens moved (a touched file, a state from
  // before tokens were kept) has its record refreshed, so that the next pass needs no hash
  // lookup for it. (Folders and links keep no tokens.)
  // Stryker disable next-line ConditionalExpression,OptionalChaining: equivalent: folders and links carry no tokens (null in the record and the entry), and an unchanged row has a source
  if (source?.kind === "file" && SIDES.some((side) => base![tokenKey(side)] !== trusted(row[side]!))) return RECORD;
  return NONE;
}

/**
 * Both sides changed to different content: a conflict, unless the last pass reported one here
 * and the user resolved it by deleting one side (its version unchanged on the other since):
 * then the surviving version is copied back. `writable`: the sides this mode may write.
 * (A conflict policy, e.g. "the newer wins", would decide here too.)
 */
function onConflict(row: Row, prior: Conflict | undefined, writable: readonly Side[]): Decision {
  if (prior) {
    for (const to of writable) {
      const from = other(to);
      const survivor = row[from];
      if (!row[to] && prior[tokenKey(to)] && survivor && survivor.token === prior[tokenKey(from)]) return { kind: "propagate", from };
    }
  }
  return conflictOf(row);
}

function conflictOf({ source, target, base }: Row): Decision {
  if (source && target && (source.kind === "dir") !== (target.kind === "dir")) {
    return { kind: "conflict", reason: "file-dir", message: `${describe(source)} on the source, ${describe(target)} on the target` };
  }
  if (!base) return { kind: "conflict", reason: "first-meeting", message: "different content on both sides at first meeting" };
  if (!source || !target) {
    const message = source ? "changed on the source, deleted on the target" : "deleted on the source, changed on the target";
    return { kind: "conflict", reason: "modify-delete", message };
  }
  return { kind: "conflict", reason: "both-changed", message: "changed on both sides" };
}

function deltaOf(row: Row): Delta {
  const source = !sameContent(row.source, row.base);
  const target = !sameContent(row.target, row.base);
  if (source && target) return sameContent(row.source, row.target) ? { kind: "both-same" } : { kind: "both-different" };
  if (source) return { kind: "one-side", side: "source" };
  if (target) return { kind: "one-side", side: "target" };
  // Stryker disable next-line ObjectLiteral,StringLiteral: equivalent: the handlers treat every delta they do not name as unchanged
  return { kind: "unchanged" };
}

type Item = ScannedEntry | SyncedRecord | undefined;

/** Same kind and content. Files compare by sha256; a file whose hash is unknown is "changed". */
function sameContent(x: Item, y: Item): boolean {
  if (!x || !y) return x === y;
  if (x.kind !== y.kind) return false;
  if (x.kind === "dir") return true;
  if (x.kind === "symlink") return linkOf(x) === linkOf(y);
  return x.size === y.size && !!x.hash && x.hash === y.hash;
}

function linkOf(item: ScannedEntry | SyncedRecord): string | null {
  return item.linkTarget ?? null;
}

function trusted(entry: ScannedEntry): string | null {
  return entry.trustedToken ?? null;
}

function describe(entry: Item): string {
  if (!entry) return "deleted";
  return entry.kind === "dir" ? "a folder" : entry.kind === "symlink" ? "a symlink" : "a file";
}

function expectedOf(entry: ScannedEntry | undefined): Expected {
  // Stryker disable next-line all: equivalent: propagate reads `expected` only when something exists at the path
  if (!entry) return { kind: "absent" };
  if (entry.kind === "dir") return { kind: "dir" };
  if (entry.kind === "symlink") return { kind: "symlink", target: entry.linkTarget ?? "" };
  // Stryker disable next-line all: unreachable: a file is replaced or deleted only after it compared equal to the base, by its hash
  if (!entry.hash) throw new Error(`internal: ${entry.path} has no hash to compare against`);
  return { kind: "file", hash: entry.hash };
}

/** The record of the content both sides have, with each side's trusted token and mode. */
function recordOf(row: Row, modes: ModeOutcome | undefined): SyncedRecord {
  const entry = row.source!;
  const file = entry.kind === "file";
  const record: SyncedRecord = {
    path: row.path,
    kind: entry.kind,
    size: file ? entry.size : 0,
    hash: file ? (entry.hash ?? null) : null,
    linkTarget: entry.kind === "symlink" ? (entry.linkTarget ?? null) : null,
    sourceToken: file ? trusted(entry) : null,
    targetToken: file ? trusted(row.target!) : null,
  };
  if (file && modes) {
    const recorded = recordedModes(row, modes);
    for (const side of SIDES) record[modeKey(side)] = recorded[side];
  }
  return record;
}

/** A path being walked: a folder stays open (on the stack) while the paths below it are. */
interface Frame {
  row: Row;
  /** Nothing at or below this path is decided (a conflict, or something unknown). */
  blocked: boolean;
  /** Index in the action list of this path's first action; its descendants' follow. */
  start: number;
  /** Index after this path's own actions. */
  ownEnd: number;
  /** Something strictly below stays on the side: in its listing and not deleted there. */
  survives: Record<Side, boolean>;
  /** Something strictly below gets content written on the side (copy, mkdir, symlink). */
  receives: Record<Side, boolean>;
  /** A mirror's conflict at a path the source does not have: settled by removing it from the target. */
  removed?: boolean;
}

/**
 * Reconciles one pass: which actions make the sides equal again, which paths conflict, and
 * what the base becomes for paths both sides already agree on.
 *
 * `base`: the state the last passes left. `source`, `target`: each side's scan, with the
 * sha256 of every file whose size does not settle a comparison (and the trusted tokens).
 * `mode`: the direction. Throws only on inputs the scan never produces (a file that needs a
 * hash to be compared and has none). `Plan.errors` is left empty: item errors come from the scan.
 */
export function plan(base: Base, source: SideScan, target: SideScan, mode: PlanMode): Plan {
  const reconcile = handlerOf(mode);
  const mirroring = reconcile === mirror;
  const scans: Record<Side, SideScan> = { source, target };
  const actions: Array<Action | undefined> = [];
  const conflicts: Conflict[] = [];
  const records: SyncedRecord[] = [];
  const forgets: string[] = [];
  const unknown = (path: string): boolean => source.unknown.has(path) || target.unknown.has(path);

  // Stryker disable next-line all: equivalent: the root frame is never finished, and its path is compared only with paths that hold a "/"
  const root: Frame = { row: { path: "" }, blocked: false, start: 0, ownEnd: 0, survives: bothSides(() => false), receives: bothSides(() => false) };
  const stack: Frame[] = [root];

  /** Makes `to` what `from` has at the path (`existing`: what `to` has there now). */
  const propagate = (row: Row, from: Side, parent: Frame, modes: ModeOutcome | undefined): void => {
    const { path } = row;
    const to = other(from);
    const entry = row[from];
    const existing = row[to];
    const expected = expectedOf(existing);
    if (existing && (!entry || existing.kind !== entry.kind || existing.kind === "symlink")) {
      actions.push({ type: "delete", path, to, expected, kind: existing.kind });
    }
    if (!entry) return;
    const after: Expected = existing && existing.kind === entry.kind && entry.kind !== "symlink" ? expected : { kind: "absent" };
    if (entry.kind === "file") {
      const copy: Extract<Action, { type: "copy" }> = { type: "copy", path, to, entry, hash: entry.hash, expected: after };
      if (path.includes("/")) copy.createParents = mayCreateParents(path, to, parent);
      if (modes?.copyMode !== undefined) copy.mode = modes.copyMode;
      if (modes && Object.keys(modes.pending).length) copy.pendingModes = modes.pending;
      actions.push(copy);
      if (modes?.chmod) chmod(row, modes.chmod);
    } else if (entry.kind === "dir") {
      if (existing?.kind !== "dir") actions.push({ type: "mkdir", path, to, entry });
    } else actions.push({ type: "symlink", path, to, entry, expected: after });
  };

  /** Sets the permission bits of the file `to` has at the path (no content moves). */
  const chmod = (row: Row, { to, mode }: { to: Side; mode: number }): void => {
    actions.push({ type: "chmod", path: row.path, to, entry: row[to]!, mode });
  };

  /** A copy may create its parent folders only where they were neither there nor planned. */
  const mayCreateParents = (path: string, to: Side, parent: Frame): boolean => {
    if (parent.row.path !== path.slice(0, path.lastIndexOf("/"))) return true;
    if (parent.row[to]?.kind === "dir") return false;
    for (let i = parent.start; i < parent.ownEnd; i++) {
      const action = actions[i];
      if (action?.type === "mkdir" && action.to === to) return false;
    }
    return true;
  };

  const visit = (row: Row, parent: Frame): Frame => {
    const frame: Frame = {
      row,
      blocked: parent.blocked || unknown(row.path),
      start: actions.length,
      ownEnd: actions.length,
      // Stryker disable next-line ArrowFunction: equivalent: read as booleans only (undefined is false)
      survives: bothSides(() => false),
      // Stryker disable next-line ArrowFunction: equivalent: read as booleans only (undefined is false)
      receives: bothSides(() => false),
    };
    if (!frame.blocked) {
      const delta = deltaOf(row);
      let decision = reconcile(row, delta, base.openConflicts.get(row.path));
      const copyFrom = decision.kind === "propagate" && row[decision.from]?.kind === "file" ? decision.from : undefined;
      const modes = decision.kind === "propagate" || decision.kind === "record" || decision.kind === "none" ? reconcileModes(row, mode.direction, copyFrom, mirroring) : undefined;
      if (modes?.conflict) decision = { kind: "conflict", reason: "mode", message: modes.conflict };
      if (decision.kind === "propagate") propagate(row, decision.from, parent, modes);
      // (Only where both sides hold the base's content: "none" is also one-way's answer to a
      // change made on the target alone, which is not recorded.)
      else if (decision.kind === "record" || (decision.kind === "none" && delta.kind === "unchanged" && modes && modesMoved(row, modes))) {
        records.push(recordOf(row, modes));
        if (modes?.chmod) chmod(row, modes.chmod);
      } else if (decision.kind === "none" && modes?.chmod) chmod(row, modes.chmod);
      else if (decision.kind === "forget") forgets.push(row.path);
      else if (decision.kind === "conflict") {
        conflicts.push(conflictAt(row, decision.reason, decision.message));
        frame.blocked = true;
        // The mirror's policy removes what only the target has: it does not keep its folder there.
        frame.removed = decision.reason === "target-changed" && !row.source;
      }
    }
    frame.ownEnd = actions.length;
    return frame;
  };

  /** Closes a path once everything below it is decided: the folder rules above, then tells its parent. */
  const finish = (frame: Frame, parent: Frame): void => {
    const { row } = frame;
    const deletes: Partial<Record<Side, Extract<Action, { type: "delete" }>>> = {};
    // Stryker disable next-line ArrowFunction: equivalent: read as booleans only (undefined is false)
    const writes = bothSides(() => false);
    for (let i = frame.start; i < frame.ownEnd; i++) {
      const action = actions[i]!;
      if (action.type === "delete") deletes[action.to] = action;
      else writes[action.to] = true;
    }
    const kept = bothSides((side) => scans[side].shallow.has(row.path) || frame.survives[side] || frame.receives[side]);
    let conflict: Conflict | undefined;
    for (const side of SIDES) {
      // A folder that still holds something on a side is kept there; if it was to become a file
      // or a link, the sides now disagree on its kind.
      if (deletes[side]?.kind === "dir" && kept[side] && writes[side]) {
        conflict = conflictAt(row, "file-dir", "a folder with content on one side, not a folder on the other");
        break;
      }
    }
    for (const side of SIDES) {
      // A side whose folder became a file or a link (and keeps it) cannot receive what the
      // other side put inside that folder.
      if (conflict) break;
      const there = row[side];
      if (there && there.kind !== "dir" && !deletes[side] && frame.receives[side]) {
        conflict = conflictAt(row, "file-dir", `${describe(row.source)} on the source, ${describe(row.target)} on the target`);
      }
    }
    if (conflict) {
      conflicts.push(conflict);
      actions.length = frame.start; // nothing at or below the path
    } else {
      for (let i = frame.start; i < frame.ownEnd; i++) {
        const action = actions[i]!;
        if (action.type === "delete" && action.kind === "dir" && kept[action.to]) actions[i] = undefined;
      }
    }
    for (const side of SIDES) {
      const removed = side === "target" && frame.removed;
      parent.survives[side] ||= !removed && (frame.survives[side] || (row[side] !== undefined && !deletes[side]));
      parent.receives[side] ||= frame.receives[side] || writes[side];
    }
  };

  for (const row of rowsInTreeOrder(base, source, target)) {
    let top = stack[stack.length - 1]!;
    while (top !== root && !row.path.startsWith(`${top.row.path}/`)) {
      stack.pop();
      const parent = stack[stack.length - 1]!;
      finish(top, parent);
      top = parent;
    }
    // Most rows of a pass are files nobody touched: what visiting them would decide (nothing)
    // and tell their folder (they stay on both sides) is known without a frame.
    if (quietFile(row)) {
      top.survives.source = true;
      top.survives.target = true;
      continue;
    }
    stack.push(visit(row, top));
  }
  while (stack.length > 1) {
    const frame = stack.pop()!;
    finish(frame, stack[stack.length - 1]!);
  }

  let planned = actions.filter((a): a is Action => a !== undefined);
  let kept = { records, forgets };
  const collisions = nameCollisions(planned, scans);
  if (collisions.size) {
    // Nothing at or below a colliding name is written, recorded or forgotten: it is a conflict.
    const hit = (path: string): boolean => [...collisions.keys()].some((c) => path === c || path.startsWith(`${c}/`));
    planned = planned.filter((a) => !hit(a.path));
    kept = { records: records.filter((r) => !hit(r.path)), forgets: forgets.filter((f) => !hit(f)) };
    const already = new Set(conflicts.map((c) => c.path));
    for (const [path, message] of collisions) {
      if (already.has(path)) continue;
      conflicts.push({ path, reason: "name-collision", message, sourceToken: source.entries.get(path)?.token ?? "", targetToken: target.entries.get(path)?.token ?? "" });
    }
  }

  return {
    actions: orderActions(planned),
    conflicts: conflicts.sort((x, y) => comparePaths(x.path, y.path)),
    records: kept.records,
    forgets: kept.forgets,
    fileCounts: { source: countFiles(source), target: countFiles(target) },
    errors: [],
  };
}

/**
 * A file both sides still hold as the base recorded it: the trusted token the base keeps for
 * each side, the base's size and sha256, and the base's permission bits (or none on both). The
 * rules give such a row no action, record or conflict whatever else holds (an open conflict, an
 * unknown or blocked folder above it), and it keeps its folder on both sides: plan() skips it.
 */
function quietFile({ source, target, base }: Row): boolean {
  return (
    source?.kind === "file" &&
    target?.kind === "file" &&
    base?.kind === "file" &&
    !!base.hash &&
    source.trustedToken != null &&
    source.trustedToken === base.sourceToken &&
    target.trustedToken != null &&
    target.trustedToken === base.targetToken &&
    source.size === base.size &&
    target.size === base.size &&
    source.hash === base.hash &&
    target.hash === base.hash &&
    (permissionsOf(source) ?? null) === (base.sourceMode ?? null) &&
    (permissionsOf(target) ?? null) === (base.targetMode ?? null)
  );
}

/** A path as a file system that folds names sees it. */
function foldPath(path: string, folding: { case: boolean; unicode: boolean }): string {
  let key = folding.unicode ? path.normalize("NFC") : path;
  if (folding.case) key = key.toUpperCase();
  return key;
}

/**
 * Names that would fold onto one another on a side that folds names (case-insensitive or
 * normalizing): the names that side would hold after the plan (its own, minus what the plan
 * deletes there, plus what it writes there), grouped by their folded form; a group of two or
 * more names of which the plan writes at least one there collides. Returns each colliding path
 * with a message naming the others.
 */
function nameCollisions(actions: readonly Action[], scans: Record<Side, SideScan>): Map<string, string> {
  const out = new Map<string, string>();
  for (const side of SIDES) {
    const folding = scans[side].folding;
    if (!folding || (!folding.case && !folding.unicode)) continue;
    const deleted = new Set<string>();
    const written = new Set<string>();
    for (const a of actions) {
      if (a.to !== side) continue;
      if (a.type === "delete") deleted.add(a.path);
      else written.add(a.path);
    }
    if (written.size === 0) continue;
    const groups = new Map<string, Set<string>>();
    const add = (path: string): void => {
      const key = foldPath(path, folding);
      const group = groups.get(key) ?? new Set<string>();
      group.add(path);
      groups.set(key, group);
    };
    for (const path of scans[side].entries.keys()) if (!deleted.has(path)) add(path);
    for (const path of written) add(path);
    const what = folding.case && folding.unicode ? "in case or Unicode form" : folding.case ? "in case" : "in Unicode form";
    for (const group of groups.values()) {
      if (group.size < 2 || ![...group].some((p) => written.has(p))) continue;
      for (const path of group) {
        const others = [...group].filter((p) => p !== path).join(", ");
        out.set(path, `differs only ${what} from ${others}: the ${side} cannot hold both names (its file system folds them into one)`);
      }
    }
  }
  return out;
}

function conflictAt(row: Row, reason: ConflictReason, message: string): Conflict {
  return { path: row.path, reason, message, sourceToken: row.source?.token ?? "", targetToken: row.target?.token ?? "" };
}

/** Every path of either side, the base, or an unknown set, a folder right before its content. */
function rowsInTreeOrder(base: Base, source: SideScan, target: SideScan): Row[] {
  const paths = new Set<string>(source.entries.keys());
  for (const path of target.entries.keys()) paths.add(path);
  for (const path of base.synced.keys()) paths.add(path);
  for (const path of source.unknown) paths.add(path);
  for (const path of target.unknown) paths.add(path);
  const sorted = [...paths].sort(compareTreeOrder);
  return sorted.map((path) => ({ path, source: source.entries.get(path), target: target.entries.get(path), base: base.synced.get(path) }));
}

function comparePaths(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Deletions deepest first, then folders shallowest first, then content; by path within a depth. */
function orderActions(actions: Action[]): Action[] {
  const rank = (a: Action): number => (a.type === "delete" ? 0 : a.type === "mkdir" ? 1 : 2);
  return actions.sort((x, y) => {
    const r = rank(x) - rank(y);
    if (r !== 0) return r;
    if (x.type === "delete" && depthOf(x.path) !== depthOf(y.path)) return depthOf(y.path) - depthOf(x.path);
    if (x.type === "mkdir" && depthOf(x.path) !== depthOf(y.path)) return depthOf(x.path) - depthOf(y.path);
    return comparePaths(x.path, y.path);
  });
}

function countFiles(scan: SideScan): number {
  let n = 0;
  for (const entry of scan.entries.values()) if (entry.kind !== "dir") n++;
  return n;
}
