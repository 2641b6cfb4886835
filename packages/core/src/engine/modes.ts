import { formatMode, permissionsOf } from "@wlsync/plugin-api";
import type { Direction, ScannedEntry, Side, SyncedRecord } from "@wlsync/plugin-api";
import { SIDES, bothSides, other } from "./side.js";

/*
 * Permission bits in reconciliation (pure, like plan.ts, which calls it for every path where a
 * file is on both sides or is copied). The base keeps each side's bits (0o777 mask) as last
 * synced; a side changed its mode when its bits differ from its base's. A side that keeps no
 * modes (exFAT, FAT, S3: its entries carry none) never changes a mode and never gets one, and a
 * base mode that is unknown (null: a record from before modes were kept) is taken as equal to
 * what the side has now, so nothing moves because of it.
 *
 *   mode changed on one side            the other side gets it: a chmod (no content moves), or
 *                                       the mode a copy writes when the content moves too
 *   changed on both, to the same        recorded
 *   changed on both, differently        a conflict (reason "mode"): both sides left as they are
 *   content on one side, mode on the    both land: the content is copied with the other side's
 *   other                               mode, and the first side gets that mode by a chmod
 *   one-way                             the source's mode goes to the target; a mode changed
 *                                       on the target only stays there (pending, as content)
 *   a mirror (one-way with a policy     a mode changed on the target only is a conflict (the
 *   that keeps the source)              policy sets the source's bits back); a copy from the
 *                                       source writes the source's bits
 */

/** The base's mode key of a side. */
export function modeKey(side: Side): "sourceMode" | "targetMode" {
  return side === "source" ? "sourceMode" : "targetMode";
}

/** What reconciliation decides about the permission bits at one path. */
export interface ModeOutcome {
  /** Both sides changed the mode differently: the message of the path's conflict. */
  conflict?: string;
  /** A side whose bits are set without moving content, and to what. */
  chmod?: { to: Side; mode: number };
  /** A copy: the bits it writes (absent: the destination's default, the source keeps none). */
  copyMode?: number;
  /** Sides whose base mode stays as it was (their change still to be carried), with that mode. */
  pending: Partial<Record<Side, number | null>>;
}

interface Row {
  source?: ScannedEntry;
  target?: ScannedEntry;
  base?: SyncedRecord;
}

/**
 * The mode outcome at a path whose content decision is `copyFrom` (the side whose file is
 * copied to the other) or undefined (both sides hold the same content, or nothing moves).
 * `mirror`: a one-way pass that makes the target a copy of the source (see PlanMode).
 */
export function reconcileModes(row: Row, direction: Direction, copyFrom?: Side, mirror = false): ModeOutcome {
  const now = bothSides((side) => permissionsOf(row[side]));
  const was = bothSides((side) => (row.base?.kind === "file" ? (row.base[modeKey(side)] ?? undefined) : undefined));
  const changed = bothSides((side) => now[side] !== undefined && was[side] !== undefined && now[side] !== was[side]);
  const writable = (side: Side) => direction === "two-way" || side === "target";
  const out: ModeOutcome = { pending: {} };
  if (copyFrom && row[other(copyFrom)]?.kind !== "file") {
    // A new file (or one replacing a folder or link): it comes with its source's bits.
    out.copyMode = now[copyFrom];
    return out;
  }
  if (changed.source && changed.target) {
    if (now.source !== now.target) out.conflict = `permissions changed on both sides: ${formatMode(now.source!)} on the source, ${formatMode(now.target!)} on the target`;
    else if (copyFrom) out.copyMode = now[copyFrom];
    return out;
  }
  const mover = SIDES.find((side) => changed[side]);
  if (mirror && direction === "one-way" && mover === "target") {
    // The target's own chmod does not stay: a copy from the source brings the source's bits,
    // else the target's bits are a conflict that the mirror's policy settles for the source.
    if (copyFrom === "source") out.copyMode = now.source ?? now.target;
    else if (!copyFrom && row.source?.kind === "file" && row.target?.kind === "file" && now.source !== undefined && now.source !== now.target) {
      out.conflict = `permissions changed on the target only: ${formatMode(now.source)} on the source, ${formatMode(now.target!)} on the target`;
    }
    return out;
  }
  if (copyFrom) {
    const to = other(copyFrom);
    if (mover === to) {
      // Content from one side, the mode from the other: the copy keeps the destination's bits.
      out.copyMode = now[to];
      if (writable(copyFrom) && now[copyFrom] !== undefined && now[copyFrom] !== now[to]) out.chmod = { to: copyFrom, mode: now[to]! };
      if (out.chmod || !writable(copyFrom)) out.pending[to] = was[to]!;
    } else if (mover === copyFrom) out.copyMode = now[copyFrom];
    // Neither changed its mode: the destination keeps its own (a side without modes gives none).
    else out.copyMode = now[to] ?? now[copyFrom];
    return out;
  }
  if (!mover || row.source?.kind !== "file" || row.target?.kind !== "file") return out;
  const to = other(mover);
  if (!writable(to)) out.pending[mover] = was[mover]!;
  else if (now[to] !== undefined && now[to] !== now[mover]) {
    out.chmod = { to, mode: now[mover]! };
    out.pending[mover] = was[mover]!;
  }
  return out;
}

/** The modes a record of the path stores now: each side's bits, or its old base mode where a change is pending. */
export function recordedModes(row: Row, outcome: ModeOutcome): Record<Side, number | null> {
  return bothSides((side) => (side in outcome.pending ? (outcome.pending[side] ?? null) : (permissionsOf(row[side]) ?? null)));
}

/** Whether the base's modes at a file path differ from what the record would store now (a record is due). */
export function modesMoved(row: Row, outcome: ModeOutcome): boolean {
  if (row.base?.kind !== "file") return false;
  // Only a path where both sides still hold the base's content may be re-recorded for its
  // modes: a one-way pass leaves a target's deletion or edit alone, and recording the path
  // then would write a base that one side does not have.
  if (!SIDES.every((side) => holdsBase(row, side))) return false;
  const modes = recordedModes(row, outcome);
  return SIDES.some((side) => (row.base![modeKey(side)] ?? null) !== modes[side]);
}

/** Whether `side` has a file at the row's path whose content is the base's (same trusted token, or same sha256). */
function holdsBase(row: Row, side: Side): boolean {
  const entry = row[side];
  const base = row.base;
  if (entry?.kind !== "file" || base?.kind !== "file") return false;
  const token = side === "source" ? base.sourceToken : base.targetToken;
  if (entry.trustedToken != null && entry.trustedToken === token) return true;
  return entry.size === base.size && !!entry.hash && entry.hash === base.hash;
}
