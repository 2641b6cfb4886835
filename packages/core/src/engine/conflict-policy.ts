import { UsageError } from "@wlsync/plugin-api";
import type { Conflict, ConflictPolicy, ConflictSide, Side } from "@wlsync/plugin-api";

export type { ConflictPolicy } from "@wlsync/plugin-api";

const NAMED = new Set(["newer", "older", "larger", "smaller", "both"]);

/** The policy a user typed (`--keep`, `--conflict-resolve`, `conflict-resolve:`); a storage must be one of `storages`. */
export function parseConflictPolicy(text: string, storages: readonly string[]): ConflictPolicy {
  if (NAMED.has(text)) return { kind: text as "newer" };
  if (storages.includes(text)) return { kind: "storage", storage: text };
  throw new UsageError(`unknown conflict policy "${text}": use newer, older, larger, smaller, both, or a storage of the container (${storages.join(", ")})`);
}

export function describePolicy(policy: ConflictPolicy): string {
  return policy.kind === "storage" ? policy.storage : policy.kind;
}

/** What a policy decides for one conflict: which side's content stays, or why it cannot decide. */
export type Decision =
  | { keep: Side; loser: Side; both: boolean }
  | { undecided: string };

const other = (side: Side): Side => (side === "source" ? "target" : "source");

/**
 * The decision of `policy` for a conflict whose sides are described (see conflict-details.ts).
 * A deletion has no time or size: newer, older, larger, smaller and both keep the surviving
 * content on modify-delete; only naming the deleting storage deletes (and the deleted content
 * is kept as a version). `both` keeps the newer side under the name and the older one as a
 * conflict copy (a file against a folder: the folder keeps the name). Ties stay in conflict.
 */
export function decide(policy: ConflictPolicy, conflict: Pick<Conflict, "sides">): Decision {
  const sides = conflict.sides;
  if (!sides) return { undecided: "its sides are not known" };
  const [a, b] = sides;
  const bySide: Record<Side, ConflictSide> = { source: a, target: b };
  const pick = (keep: Side, both = false): Decision => ({ keep, loser: other(keep), both });
  if (policy.kind === "storage") {
    if (a.storage === policy.storage) return pick("source");
    if (b.storage === policy.storage) return pick("target");
    return { undecided: `${policy.storage} is not one of this pair's storages` };
  }
  const absent = a.kind === "absent" ? "source" : b.kind === "absent" ? "target" : undefined;
  if (absent) return pick(other(absent));
  if (policy.kind === "both") {
    const fileVsDir = (a.kind === "dir") !== (b.kind === "dir");
    if (fileVsDir) return pick(a.kind === "dir" ? "source" : "target", true);
    const cmp = timeOf(a) - timeOf(b);
    return pick(cmp > 0 ? "source" : cmp < 0 ? "target" : a.storage <= b.storage ? "source" : "target", true);
  }
  const key = policy.kind === "newer" || policy.kind === "older" ? timeOf : (s: ConflictSide) => s.size;
  const diff = key(bySide.source) - key(bySide.target);
  if (diff === 0) return { undecided: `both sides have the same ${policy.kind === "newer" || policy.kind === "older" ? "modification time" : "size"}` };
  const firstIsMore = diff > 0;
  const wantMore = policy.kind === "newer" || policy.kind === "larger";
  return pick(firstIsMore === wantMore ? "source" : "target");
}

function timeOf(side: ConflictSide): number {
  return side.mtime ? Date.parse(side.mtime) : 0;
}

/**
 * The name a conflict's loser is kept under with `both`, beside the winner, as Syncthing does:
 * `dir/name.conflict-<storage>-<UTC time>.ext` (`report.conflict-laptop-20261130T134939Z.txt`).
 */
export function conflictCopyName(path: string, storage: string, ms: number): string {
  const slash = path.lastIndexOf("/");
  const dir = path.slice(0, slash + 1);
  const base = path.slice(slash + 1);
  const dot = base.lastIndexOf(".");
  const stamp = new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
  const tag = `.conflict-${storage}-${stamp}`;
  return dot > 0 ? `${dir}${base.slice(0, dot)}${tag}${base.slice(dot)}` : `${dir}${base}${tag}`;
}
