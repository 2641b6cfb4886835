import { errorMessage, isWlError, permissionsOf } from "@wlsync/plugin-api";
import type { StorageBackend } from "@wlsync/plugin-api";
import { forEachLimit } from "@wlsync/plugin-api";
import { ancestorsOf, depthOf } from "../util/paths.js";
import type { StateJournal } from "./state-journal.js";
import type { CopyTask, Transferer } from "@wlsync/plugin-api";
import { emptyCounters, type Action, type AppliedChange, type Conflict, type ItemError, type Plan, type ProgressInfo, type Side, type SyncCounters, type SyncEvent, type SyncedRecord } from "@wlsync/plugin-api";
import { trustedToken } from "../state/racy.js";
import { SIDES, other, tokenKey } from "./side.js";
import { modeKey } from "./modes.js";

/** The counters of the changes made on each side. */
const COUNTERS = {
  source: { deleted: "deletedOnSource", copied: "copiedToSource", bytes: "bytesToSource" },
  target: { deleted: "deletedOnTarget", copied: "copiedToTarget", bytes: "bytesToTarget" },
} as const satisfies Record<Side, Record<string, keyof SyncCounters>>;

/** `token` is the token the path has after the write ("" when it was deleted). */
/** A write of this pass: `token` as the write left the entry, `mode` its permission bits where known (0o777 mask). */
export type WriteListener = (side: Side, path: string, token: string, mode?: number) => void;

export interface ApplyContext {
  source: StorageBackend;
  target: StorageBackend;
  transferer: Transferer;
  /** Deletions and folder creations in flight at once (default 8). */
  concurrency?: number;
  journal: StateJournal;
  emit(event: SyncEvent): void;
  onWrite?: WriteListener;
  /** Once aborted (Ctrl-C), no further change starts; copies in flight are abandoned by the transferer. */
  signal?: AbortSignal;
  /** Told when a move or copy within a side could not be made and is transferred instead (for logs). */
  onFallback?: (action: WithinAction, reason: unknown) => void;
}

type DeleteAction = Extract<Action, { type: "delete" }>;
type CopyAction = Extract<Action, { type: "copy" }>;
type WithinAction = Extract<Action, { type: "move" | "copy-within" }>;

export interface ApplyOutcome {
  counters: SyncCounters;
  errors: ItemError[];
  /** Compare-and-swap refusals: the destination changed after the plan was made. */
  conflicts: Conflict[];
}

/**
 * Carries out a plan: deletions (deepest first), folders, links, content, then permission bits
 * (a chmod of a path whose content was copied the other way comes after that copy); records
 * each success.
 */
export async function applyPlan(plan: Plan, ctx: ApplyContext): Promise<ApplyOutcome> {
  const counters = emptyCounters();
  const errors: ItemError[] = [];
  const conflicts: Conflict[] = [];
  const storages: Record<Side, StorageBackend> = { source: ctx.source, target: ctx.target };
  const backend = (side: Side): StorageBackend => storages[side];
  const failedPaths = new Set<string>();

  const stopped = (): boolean => !!ctx.signal?.aborted;
  const fail = (action: Action, err: unknown): void => {
    failedPaths.add(`${action.to}\u0000${action.path}`);
    // Stopped by the user: what fails now (abandoned copies, an rsync run killed by the same
    // Ctrl-C) is not recorded and simply waits for the next pass; a refused overwrite is still a conflict.
    if (stopped() && !(isWlError(err) && err.code === "E_CAS")) return;
    if (isWlError(err) && err.code === "E_CAS") {
      const conflict: Conflict = { path: action.path, reason: "changed-during-sync", message: `changed on the ${action.to} after the plan was made; left untouched` };
      conflicts.push(conflict);
      ctx.emit({ type: "conflict", conflict });
      return;
    }
    const error: ItemError = { path: action.path, code: isWlError(err) ? err.code : "E_ITEM", message: errorMessage(err) };
    errors.push(error);
    ctx.emit({ type: "error", error });
  };
  const wrote = (side: Side, path: string, token: string, mode?: number): void => ctx.onWrite?.(side, path, token, mode);
  const applied = (change: AppliedChange): void => ctx.emit({ type: "applied", change });
  const blocked = (action: Action): boolean => stopped() || failedPaths.has(`${action.to}\u0000${action.path}`);

  const deletes = plan.actions.filter((a): a is Extract<Action, { type: "delete" }> => a.type === "delete");
  const fileDeletes = deletes.filter((a) => a.kind !== "dir");
  // Files made from a file already on their side (see moves.ts): a folder they are moved out of
  // is deleted once they are gone from it.
  const within = plan.actions.filter((a): a is WithinAction => a.type === "move" || a.type === "copy-within");
  // Every folder (side and path) a move takes a file out of: one set, not a scan per folder.
  const movedOutOf = new Set<string>();
  for (const a of within) {
    if (a.type !== "move") continue;
    for (let at = a.from.lastIndexOf("/"); at > 0; at = a.from.lastIndexOf("/", at - 1)) movedOutOf.add(`${a.to}\u0000${a.from.slice(0, at)}`);
  }
  const emptiedByMoves = (a: DeleteAction): boolean => movedOutOf.has(`${a.to}\u0000${a.path}`);
  const dirDeletes = deletes.filter((a) => a.kind === "dir" && !emptiedByMoves(a));
  const lateDirDeletes = deletes.filter((a) => a.kind === "dir" && emptiedByMoves(a));
  // Files and links, each with its compare-and-swap (the backend's remove checks `expected`).
  const removeFiles = (files: DeleteAction[]): Promise<void> =>
    forEachLimit(files, ctx.concurrency ?? 8, async (action) => {
      if (stopped()) return;
      try {
        await backend(action.to).remove(action.path, action.expected);
        wrote(action.to, action.path, "");
        applied({ type: "delete", path: action.path, to: action.to, size: 0, kind: action.kind });
        ctx.journal.forget(action.path);
        backend(action.to).forgetHash(action.path);
        counters[COUNTERS[action.to].deleted]++;
      } catch (err) {
        fail(action, err);
      }
    });
  await removeFiles(fileDeletes);
  // Folders deepest first; folders of one depth are independent of each other.
  const removeDirs = async (dirs: DeleteAction[]): Promise<void> => {
    for (const level of byDepth(dirs, "deepest-first")) {
      await forEachLimit(level, ctx.concurrency ?? 8, async (action) => {
        if (stopped()) return;
        try {
          await backend(action.to).remove(action.path, action.expected);
          wrote(action.to, action.path, "");
          applied({ type: "delete", path: action.path, to: action.to, size: 0, kind: "dir" });
          ctx.journal.forget(action.path);
        } catch (err) {
          fail(action, err);
        }
      });
    }
  };
  await removeDirs(dirDeletes);

  // Parents before children; folders of one depth in parallel (each is a request on a remote storage).
  const mkdirs = plan.actions.filter((a) => a.type === "mkdir" && !blocked(a));
  const filled = new Set<string>();
  for (const action of plan.actions) {
    if (action.type === "copy" || action.type === "symlink" || action.type === "move" || action.type === "copy-within") for (const parent of ancestorsOf(action.path)) filled.add(`${action.to}\u0000${parent}`);
  }
  for (const level of byDepth(mkdirs, "shallowest-first")) {
    await forEachLimit(level, ctx.concurrency ?? 8, async (action) => {
      try {
        await backend(action.to).mkdir(action.path, { contentFollows: filled.has(`${action.to}\u0000${action.path}`) });
        wrote(action.to, action.path, "dir");
        applied({ type: "mkdir", path: action.path, to: action.to, size: 0, kind: "dir" });
        ctx.journal.record({ path: action.path, kind: "dir", size: 0, hash: null, linkTarget: null });
        counters.dirsCreated++;
      } catch (err) {
        fail(action, err);
      }
    });
  }

  for (const action of plan.actions) {
    if (action.type !== "symlink" || blocked(action)) continue;
    try {
      const target = action.entry.linkTarget ?? "";
      await backend(action.to).symlink(action.path, target, action.expected);
      wrote(action.to, action.path, `link:${target}`);
      applied({ type: "symlink", path: action.path, to: action.to, size: 0, kind: "symlink", linkTarget: target });
      ctx.journal.record({ path: action.path, kind: "symlink", size: 0, hash: null, linkTarget: target });
      counters.linksCreated++;
    } catch (err) {
      fail(action, err);
    }
  }

  const tasks: CopyTask[] = [];
  for (const action of plan.actions) {
    if (action.type !== "copy" || blocked(action)) continue;
    tasks.push({ action, from: backend(other(action.to)), to: backend(action.to) });
  }

  // Moves first (a copy within may be made from a file a move just placed), then copies within a
  // side; what a backend cannot do, or refuses because something does not match, is transferred
  // instead (and the moved-from file deleted as the plan first said).
  const fallbackDeletes: DeleteAction[] = [];
  const placeWithin = async (action: WithinAction): Promise<void> => {
    const to = backend(action.to);
    const method = action.type === "move" ? to.moveWithin : to.copyWithin;
    try {
      if (!method) throw new Error("not supported by this storage");
      const placed = await method.call(to, action.from, action.path, {
        hash: action.hash,
        expected: action.expected,
        createParents: action.createParents ?? true,
        mtimeMs: action.entry.mtimeMs,
        mode: action.entry.mode,
      });
      if (action.type === "move") {
        wrote(action.to, action.from, "");
        ctx.journal.forget(action.from);
        to.forgetHash(action.from);
      }
      wrote(action.to, action.path, placed.token);
      to.rememberHash(action.path, placed, action.hash);
      applied({ type: action.type, path: action.path, to: action.to, size: placed.size, kind: "file", from: action.from });
      const now = Date.now();
      const record: SyncedRecord = { path: action.path, kind: "file", size: placed.size, hash: action.hash, linkTarget: null };
      record[tokenKey(other(action.to))] = trustedToken(action.entry, now);
      record[tokenKey(action.to)] = trustedToken(placed, now);
      ctx.journal.record(record);
      counters[action.type === "move" ? "moved" : "copiedWithin"]++;
      counters.bytesReused += placed.size;
    } catch (err) {
      if (stopped()) return fail(action, err);
      ctx.onFallback?.(action, err);
      const copy: CopyAction = { type: "copy", path: action.path, to: action.to, entry: action.entry, hash: action.hash, expected: action.expected };
      if (action.createParents !== undefined) copy.createParents = action.createParents;
      tasks.push({ action: copy, from: backend(other(action.to)), to });
      if (action.type === "move") fallbackDeletes.push({ type: "delete", path: action.from, to: action.to, expected: { kind: "file", hash: action.hash }, kind: "file" });
    }
  };
  for (const type of ["move", "copy-within"] as const) {
    const batch = within.filter((a) => a.type === type && !blocked(a));
    await forEachLimit(batch, ctx.concurrency ?? 8, async (action) => {
      if (!stopped()) await placeWithin(action);
    });
  }
  const progress: ProgressInfo = {
    filesDone: 0,
    filesTotal: tasks.length,
    bytesDone: 0,
    bytesTotal: tasks.reduce((sum, t) => sum + t.action.entry.size, 0),
  };
  let lastProgress = 0;
  const report = (force = false): void => {
    const now = Date.now();
    if (!force && now - lastProgress < 100) return;
    lastProgress = now;
    ctx.emit({ type: "progress", progress: { ...progress } });
  };
  await ctx.transferer.copy(tasks, {
    onBytes(bytes, task) {
      progress.bytesDone += bytes;
      progress.current = task.action.path;
      report();
    },
    onDone(task, done) {
      const { action } = task;
      wrote(action.to, action.path, done.entry.token, permissionsOf(done.entry));
      applied({ type: "copy", path: action.path, to: action.to, size: done.entry.size, kind: "file" });
      // The copied-from entry's token was checked unchanged by the copy; the written one is done.entry's.
      const now = Date.now();
      const from = trustedToken(action.entry, now);
      const to = trustedToken(done.entry, now);
      const record: SyncedRecord = { path: action.path, kind: "file", size: done.entry.size, hash: done.hash, linkTarget: null };
      record[tokenKey(other(action.to))] = from;
      record[tokenKey(action.to)] = to;
      // Each side's mode as it now is, except where a mode change is still to be carried over.
      const seen = { [action.to]: permissionsOf(done.entry) ?? null, [other(action.to)]: permissionsOf(action.entry) ?? null } as Record<Side, number | null>;
      for (const side of SIDES) record[modeKey(side)] = action.pendingModes && side in action.pendingModes ? (action.pendingModes[side] ?? null) : seen[side];
      ctx.journal.record(record);
      progress.filesDone++;
      counters[COUNTERS[action.to].copied]++;
      counters[COUNTERS[action.to].bytes] += done.entry.size;
      counters.contentBytes += done.entry.size - (done.resumed ?? 0);
      counters.bytesResumed += done.resumed ?? 0;
      report();
    },
    onError(task, err) {
      progress.filesDone++;
      fail(task.action, err);
    },
  });
  if (tasks.length) report(true);
  // The moved-from files of moves that were transferred instead, then the folders they emptied.
  await removeFiles(fallbackDeletes);
  await removeDirs(lateDirDeletes);

  // Permission bits alone: compare-and-swap on the file's token and mode as scanned.
  const chmods = plan.actions.filter((a): a is Extract<Action, { type: "chmod" }> => a.type === "chmod" && !blocked(a));
  await forEachLimit(chmods, ctx.concurrency ?? 8, async (action) => {
    if (stopped()) return;
    try {
      const after = await backend(action.to).setMode(action.path, action.mode, action.entry);
      wrote(action.to, action.path, after.token, action.mode);
      applied({ type: "chmod", path: action.path, to: action.to, size: 0, kind: "file", mode: action.mode });
      // The other side has this mode (it is where the change came from): both bases are it now.
      ctx.journal.setModes(action.path, { sourceMode: action.mode, targetMode: action.mode });
      counters.modesChanged++;
    } catch (err) {
      fail(action, err);
    }
  });
  ctx.journal.flush();
  return { counters, errors, conflicts };
}

/** Actions grouped by the depth of their path, in the given order of depths. */
function byDepth<T extends Action>(actions: readonly T[], order: "shallowest-first" | "deepest-first"): T[][] {
  const levels = new Map<number, T[]>();
  for (const action of actions) {
    const depth = depthOf(action.path);
    const level = levels.get(depth);
    if (level) level.push(action);
    else levels.set(depth, [action]);
  }
  const depths = [...levels.keys()].sort((a, b) => (order === "shallowest-first" ? a - b : b - a));
  return depths.map((d) => levels.get(d)!);
}
