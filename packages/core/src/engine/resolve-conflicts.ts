import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { errorMessage, permissionsOf } from "@wlsync/plugin-api";
import type { StorageBackend, StorageEntry } from "@wlsync/plugin-api";
import { depthOf } from "../util/paths.js";
import { conflictCopyName, decide, describePolicy } from "./conflict-policy.js";
import type { Listing } from "./scan.js";
import type { Action, Conflict, ConflictResolution, Plan, ResolvedConflict, Side } from "@wlsync/plugin-api";

export type { ConflictResolution, ResolvedConflict } from "@wlsync/plugin-api";

export interface ResolveInput {
  source: Listing;
  target: Listing;
  backends: Record<Side, StorageBackend>;
  hash(side: Side, entry: StorageEntry): Promise<string>;
  unidirectional: boolean;
  dryRun: boolean;
  now: number;
}

const other = (side: Side): Side => (side === "source" ? "target" : "source");
const atOrBelow = (path: string, roots: readonly string[]) => roots.some((r) => r === "" || path === r || path.startsWith(`${r}/`));

function* below(listing: Listing, path: string): Generator<StorageEntry> {
  const prefix = `${path}/`;
  for (const [p, entry] of listing) if (p.startsWith(prefix)) yield entry;
}

/**
 * Settles the plan's conflicts that `resolution` covers: the kept side's content goes to the
 * other side as ordinary actions, each carrying what it expects to replace (compare-and-swap:
 * a side that changed after the scan stays in conflict at apply time), and the replaced content
 * is kept as a version by the backend. With `both`, the loser's content is first copied beside
 * it under its conflict name (verified by sha256) and that copy goes to the other side too.
 * Settled conflicts leave `plan.conflicts`; the others get the reason appended to their message.
 */
export async function resolveConflicts(plan: Plan, input: ResolveInput, resolution: ConflictResolution): Promise<ResolvedConflict[]> {
  const resolved: ResolvedConflict[] = [];
  const remaining: Conflict[] = [];
  const added: Action[] = [];
  const names: Record<Side, string> = { source: input.backends.source.backendId, target: input.backends.target.backendId };
  for (const conflict of plan.conflicts) {
    const policy = resolution.decisions?.get(conflict.path) ?? (resolution.paths && !atOrBelow(conflict.path, resolution.paths) ? undefined : resolution.policy);
    if (!policy) {
      remaining.push(conflict);
      continue;
    }
    const leave = (why: string) => {
      conflict.message = `${conflict.message} (${describePolicy(policy)}: ${why})`;
      remaining.push(conflict);
    };
    if (resolution.shown) {
      const shown = resolution.shown.get(conflict.path);
      if (!shown) {
        leave("not shown before; see list-conflicts, then resolve again");
        continue;
      }
      if ((shown.sourceToken ?? "") !== (conflict.sourceToken ?? "") || (shown.targetToken ?? "") !== (conflict.targetToken ?? "")) {
        leave("changed since it was shown; left in conflict");
        continue;
      }
    }
    const decision = decide(policy, conflict);
    if ("undecided" in decision) {
      leave(decision.undecided);
      continue;
    }
    const { keep, loser } = decision;
    if (input.unidirectional && keep === "target") {
      leave(`one-way: ${names.target}'s version is never copied to ${names.source}`);
      continue;
    }
    if (conflict.reason === "mode") {
      // The same content, two modes: the loser's file gets the kept side's bits (no copy, nothing
      // to keep beside it, with `both` too: the newer side's mode wins).
      const kept = input[keep].get(conflict.path);
      const lost = input[loser].get(conflict.path);
      const mode = permissionsOf(kept);
      if (lost?.kind !== "file" || mode === undefined) {
        leave("its sides are no longer two files with modes");
        continue;
      }
      added.push({ type: "chmod", path: conflict.path, to: loser, entry: lost, mode });
      resolved.push({ path: conflict.path, reason: conflict.reason, policy: describePolicy(policy), kept: names[keep], loser: names[loser], message: conflict.message, replaced: "mode" });
      continue;
    }
    try {
      const actions: Action[] = [];
      let conflictCopy: string | undefined;
      const loserEntry = input[loser].get(conflict.path);
      if (decision.both && loserEntry && loserEntry.kind !== "dir") {
        conflictCopy = conflictCopyName(conflict.path, names[loser], input.now);
        const copy = await keepBeside(input, loser, loserEntry, conflictCopy);
        if (!input.unidirectional || loser === "source") actions.push(copyAction(copy, other(loser)));
      }
      actions.push(...(await keepActions(conflict.path, keep, input)));
      added.push(...actions);
      const replaced = loserEntry ? "content" : "nothing";
      resolved.push({ path: conflict.path, reason: conflict.reason, policy: describePolicy(policy), kept: names[keep], loser: names[loser], message: conflict.message, replaced, ...(conflictCopy ? { conflictCopy } : {}) });
    } catch (err) {
      leave(`could not be settled: ${errorMessage(err)}`);
    }
  }
  plan.conflicts = remaining;
  plan.actions = order([...plan.actions, ...added]);
  return resolved;
}

/** A new file or link at `entry.path` on the side that has it, copied to `to` (nothing expected there). */
function copyAction(entry: StorageEntry, to: Side): Action {
  if (entry.kind === "symlink") return { type: "symlink", path: entry.path, to, entry, expected: { kind: "absent" } };
  return { type: "copy", path: entry.path, to, entry, hash: entry.hash, expected: { kind: "absent" }, createParents: true };
}

/** What `side` must hold for an entry to be replaced or deleted (files by sha256). */
async function expectedOf(side: Side, entry: StorageEntry, input: ResolveInput) {
  if (entry.kind === "dir") return { kind: "dir" as const };
  if (entry.kind === "symlink") return { kind: "symlink" as const, target: entry.linkTarget ?? "" };
  entry.hash ??= await input.hash(side, entry);
  return { kind: "file" as const, hash: entry.hash };
}

/** The actions that make the other side hold what `keep` holds at `path` (and below it). */
async function keepActions(path: string, keep: Side, input: ResolveInput): Promise<Action[]> {
  const to = other(keep);
  const w = input[keep].get(path);
  const l = input[to].get(path);
  const actions: Action[] = [];
  // What the losing side has that the winner's content cannot replace in place goes first
  // (a folder's content deepest first, then the folder), each kept as a version where it is a file.
  if (l && (!w || l.kind !== w.kind || l.kind === "symlink")) {
    const doomed = l.kind === "dir" ? [...below(input[to], path), l] : [l];
    for (const e of doomed) actions.push({ type: "delete", path: e.path, to, kind: e.kind, expected: await expectedOf(to, e, input) });
  }
  if (!w) return actions;
  const replacing = l && l.kind === w.kind && w.kind === "file";
  if (w.kind === "file") actions.push({ type: "copy", path, to, entry: w, hash: w.hash, expected: replacing ? await expectedOf(to, l, input) : { kind: "absent" }, createParents: true });
  else if (w.kind === "symlink") actions.push({ type: "symlink", path, to, entry: w, expected: { kind: "absent" } });
  else {
    actions.push({ type: "mkdir", path, to, entry: w });
    for (const e of below(input[keep], path)) {
      if (e.kind === "dir") actions.push({ type: "mkdir", path: e.path, to, entry: e });
      else actions.push(copyAction(e, to));
    }
  }
  return actions;
}

/**
 * `both`: the loser's content, as scanned, copied beside it under `name` on its own storage
 * (create-if-absent), verified by sha256 against the scan. On a dry run only described.
 * Returns the new entry (with its hash).
 */
async function keepBeside(input: ResolveInput, side: Side, entry: StorageEntry, name: string): Promise<StorageEntry> {
  const backend = input.backends[side];
  if (input.dryRun) return { ...entry, path: name };
  if (entry.kind === "symlink") {
    await backend.symlink(name, entry.linkTarget ?? "", { kind: "absent" });
    return { ...entry, path: name };
  }
  const expected = entry.hash ?? (entry.hash = await input.hash(side, entry));
  const writer = await backend.openForSafeReplace(name, { kind: "absent" }, { size: entry.size, mtimeMs: entry.mtimeMs, mode: permissionsOf(entry), createParents: true, hash: expected });
  try {
    const hash = createHash("sha256");
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(await backend.createReadStream(entry.path), tap, writer.stream);
    const digest = hash.digest("hex");
    if (digest !== expected) throw new Error(`${entry.path} changed on ${backend.backendId} since the scan`);
    const written = await writer.commit(digest);
    backend.rememberHash(name, written, digest);
    return { ...written, path: name, hash: digest };
  } catch (err) {
    await writer.abort().catch(() => {});
    throw err;
  }
}

/** Deletions deepest first, then folders shallowest first, then content (as the planner orders them). */
function order(actions: Action[]): Action[] {
  const rank = (a: Action): number => (a.type === "delete" ? 0 : a.type === "mkdir" ? 1 : 2);
  return actions.sort((x, y) => {
    const r = rank(x) - rank(y);
    if (r !== 0) return r;
    if (x.type === "delete") return depthOf(y.path) - depthOf(x.path);
    if (x.type === "mkdir") return depthOf(x.path) - depthOf(y.path);
    return 0;
  });
}
