import { formatMode } from "@wlsync/plugin-api";
import type { Action, Conflict, ConflictSide, ResolvedConflict, SyncResult } from "@wlsync/plugin-api";
import type { PassSummary } from "../daemon/sync-commands.generated.js";

export function formatBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\" };
const isControl = (code: number) => code < 0x20 || code === 0x7f;
const hasControl = (text: string) => [...text].some((ch) => isControl(ch.charCodeAt(0)));

/** `text` with each character for which `needsEscape` holds written as a C escape (`\n`, `\x1b`). */
function escapeWhere(text: string, needsEscape: (ch: string) => boolean): string {
  let out = "";
  for (const ch of text) out += needsEscape(ch) ? (NAMED[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`) : ch;
  return out;
}

/**
 * A path as human output shows it: unchanged when plain; in double quotes with C escapes
 * (`"a\nb"`, `"tab\there"`, `"\x1b[31m"`) when it holds a control character, a quote or a
 * backslash, as git's core.quotePath shows such names. A file named with a newline can then
 * neither break a `-v` line in two nor pass for another line (`- b important.txt`). JSON
 * output is escaped by JSON itself and keeps names raw.
 */
export function showPath(path: string): string {
  if (!hasControl(path) && !path.includes('"') && !path.includes("\\")) return path;
  return `"${escapeWhere(path, (ch) => isControl(ch.charCodeAt(0)) || ch === '"' || ch === "\\")}"`;
}

/** A one-line message (an error, a conflict's reason) with its control characters escaped. */
export function oneLine(text: string): string {
  return hasControl(text) ? escapeWhere(text, (ch) => isControl(ch.charCodeAt(0))) : text;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `copy a → b: 12 files, 30 MB; delete on b: 2; conflicts: 1 (photos/x.jpg: changed on both sides)` */
export function formatSummary(result: SyncResult | PassSummary): string {
  const { counters: c, source: a, target: b } = result;
  const parts: string[] = [];
  // A daemon's pass comes as a PassSummary (its plan's actions counted, not listed); it is never a dry run.
  const actions = Array.isArray(result.plan.actions) ? result.plan.actions : null;
  if (result.dryRun && actions) {
    const count = (pred: (x: Action) => boolean) => actions.filter(pred).length;
    const bytes = (to: string) =>
      actions.reduce((sum, x) => sum + (x.type === "copy" && x.to === to ? x.entry.size : 0), 0);
    const toT = count((x) => x.type === "copy" && x.to === "target");
    const toS = count((x) => x.type === "copy" && x.to === "source");
    parts.push(`would copy ${a} → ${b}: ${plural(toT, "file")}, ${formatBytes(bytes("target"))}`);
    if (toS || result.direction === "two-way") parts.push(`${b} → ${a}: ${plural(toS, "file")}, ${formatBytes(bytes("source"))}`);
    const delT = count((x) => x.type === "delete" && x.to === "target");
    const delS = count((x) => x.type === "delete" && x.to === "source");
    if (delT) parts.push(`delete on ${b}: ${delT}`);
    if (delS) parts.push(`delete on ${a}: ${delS}`);
    const dirs = count((x) => x.type === "mkdir");
    if (dirs) parts.push(`folders to create: ${dirs}`);
    const modes = count((x) => x.type === "chmod");
    if (modes) parts.push(`permissions to change: ${modes}`);
    const moves = count((x) => x.type === "move");
    const within = count((x) => x.type === "copy-within");
    if (moves) parts.push(`would move within a side: ${moves}`);
    if (within) parts.push(`would copy within a side: ${within}`);
  } else {
    parts.push(`copy ${a} → ${b}: ${plural(c.copiedToTarget, "file")}, ${formatBytes(c.bytesToTarget)}`);
    if (c.copiedToSource || result.direction === "two-way") parts.push(`${b} → ${a}: ${plural(c.copiedToSource, "file")}, ${formatBytes(c.bytesToSource)}`);
    if (c.deletedOnTarget) parts.push(`delete on ${b}: ${c.deletedOnTarget}`);
    if (c.deletedOnSource) parts.push(`delete on ${a}: ${c.deletedOnSource}`);
    if (c.dirsCreated) parts.push(`folders created: ${c.dirsCreated}`);
    if (c.linksCreated) parts.push(`links: ${c.linksCreated}`);
    if (c.modesChanged) parts.push(`permissions changed: ${c.modesChanged}`);
    if (c.moved) parts.push(`moved within a side: ${plural(c.moved, "file")}`);
    if (c.copiedWithin) parts.push(`copied within a side: ${plural(c.copiedWithin, "file")}`);
    if (c.moved || c.copiedWithin) parts.push(`content transferred: ${formatBytes(c.contentBytes)} (${formatBytes(c.bytesReused)} placed without transfer)`);
    if (c.bytesResumed) parts.push(`resumed: ${formatBytes(c.bytesResumed)} kept from interrupted copies`);
  }
  if (result.resolved?.length) parts.push(`${result.dryRun ? "would resolve" : "resolved"}: ${result.resolved.length}`);
  const conflicts = result.conflicts;
  if (conflicts.length) {
    const shown = conflicts.slice(0, 3).map((x) => `${showPath(x.path)}: ${oneLine(x.message)}`);
    if (conflicts.length > 3) shown.push(`and ${conflicts.length - 3} more`);
    parts.push(`conflicts: ${conflicts.length} (${shown.join("; ")})`);
  } else parts.push("conflicts: 0");
  if (result.errors.length) parts.push(`errors: ${result.errors.length}`);
  return parts.join("; ");
}

export function formatAction(action: Action, names: { source: string; target: string }): string {
  const where = names[action.to];
  const from = names[action.to === "target" ? "source" : "target"];
  switch (action.type) {
    case "copy":
      return `copy ${from} → ${where}: ${showPath(action.path)} (${formatBytes(action.entry.size)})`;
    case "mkdir":
      return `mkdir on ${where}: ${showPath(action.path)}/`;
    case "symlink":
      return `link on ${where}: ${showPath(action.path)} -> ${showPath(action.entry.linkTarget ?? "")}`;
    case "delete":
      return `delete on ${where}: ${showPath(action.path)}${action.kind === "dir" ? "/" : ""}`;
    case "chmod":
      return `chmod on ${where}: ${showPath(action.path)} ${formatMode(action.mode)} (from ${from})`;
    case "move":
      return `move on ${where}: ${showPath(action.from)} → ${showPath(action.path)} (${formatBytes(action.entry.size)}, nothing transferred)`;
    case "copy-within":
      return `copy on ${where}: ${showPath(action.from)} → ${showPath(action.path)} (${formatBytes(action.entry.size)}, nothing transferred)`;
  }
}

/** Exit code of a finished pass (README, "Exit codes"): 2 if items failed, else 1 if conflicts remain, else 0. */
export function exitCodeOf(result: Pick<SyncResult, "errors" | "conflicts">): number {
  if (result.errors.length) return 2;
  if (result.conflicts.length) return 1;
  return 0;
}

/** `path: message` for a failed item, naming the path once (messages may already start with it). */
export function formatItemError(error: { path: string; message: string }): string {
  if (!error.path) return oneLine(error.message);
  const message = error.message.startsWith(`${error.path}: `) ? error.message.slice(error.path.length + 2) : error.message;
  return `${showPath(error.path)}: ${oneLine(message)}`;
}

/** `2026-11-30 13:49:39Z` for an ISO time. */
function shortTime(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z` : "";
}

/**
 * One side of a conflict in words: `file, 12 B, 2026-11-30 13:49:39Z, sha256 3f2a9c0d1e27`, and
 * `, mode 0755` when `showMode` (the two sides' modes differ).
 */
export function formatConflictSide(side: ConflictSide, showMode = false): string {
  switch (side.kind) {
    case "absent":
      return "deleted";
    case "dir":
      return `folder, ${formatBytes(side.size)} in it, newest ${shortTime(side.mtime)}`;
    case "symlink":
      return `symlink -> ${showPath(side.linkTarget ?? "")}, ${shortTime(side.mtime)}`;
    default:
      return `file, ${formatBytes(side.size)}, ${shortTime(side.mtime)}, sha256 ${side.hash ? side.hash.slice(0, 12) : "unreadable"}${showMode && side.mode ? `, mode ${side.mode}` : ""}`;
  }
}

/** A conflict and, indented below it, each storage's side and the base, for people deciding. */
export function formatConflict(conflict: Conflict): string[] {
  const lines = [`${showPath(conflict.path)}: ${oneLine(conflict.message)}`];
  const sides = conflict.sides ?? [];
  const showModes = sides.length === 2 && sides[0]!.mode !== sides[1]!.mode;
  for (const side of sides) lines.push(`    ${side.storage}: ${formatConflictSide(side, showModes)}`);
  if (conflict.base !== undefined) {
    const b = conflict.base;
    lines.push(`    base: ${!b ? "none (never synced: first meeting)" : b.kind === "file" ? `file, ${formatBytes(b.size)}, sha256 ${b.hash ? b.hash.slice(0, 12) : "unknown"}` : b.kind === "dir" ? "folder" : "symlink"}`);
  }
  return lines;
}

/**
 * `resolved notes.txt: keep nas (newer); laptop's version is kept in its versions`; the policy
 * in brackets only when it is not the kept storage's own name (`keep nas`, not `keep nas (nas)`).
 * A mirror's settled target change names what the target did: `resolved f1 (deleted on nas
 * only): keep laptop; nas had deleted it: laptop's is put back`.
 */
export function formatResolved(r: ResolvedConflict, dryRun: boolean): string {
  const copy = r.conflictCopy ? `; ${r.loser}'s content kept as ${r.conflictCopy} on both` : "";
  const what = r.reason === "target-changed" && r.message ? ` (${oneLine(r.message)})` : "";
  const why = r.policy === r.kept ? "" : ` (${r.policy})`;
  const tail =
    r.replaced === "nothing"
      ? `${r.loser} had deleted it: ${r.kept}'s ${dryRun ? "would be" : "is"} put back`
      : r.replaced === "mode"
        ? `${r.loser}'s permission bits ${dryRun ? "would be" : "are"} set to ${r.kept}'s`
        : `${r.loser}'s version ${dryRun ? "would be" : "is"} kept in its versions`;
  return `${dryRun ? "would resolve" : "resolved"} ${showPath(r.path)}${what}: keep ${r.kept}${why}${copy}; ${tail}`;
}
