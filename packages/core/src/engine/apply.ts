import { errorMessage, isWlError } from "@wlsync/plugin-api";
import type { StorageBackend } from "@wlsync/plugin-api";
import { forEachLimit } from "@wlsync/plugin-api";
import { ancestorsOf, depthOf } from "../util/paths.js";
import type { StateJournal } from "./state-journal.js";
import type { CopyTask, Transferer } from "@wlsync/plugin-api";
import { emptyCounters, type Action, type AppliedChange, type Conflict, type ItemError, type Plan, type ProgressInfo, type Side, type SyncCounters, type SyncEvent, type SyncedRecord } from "@wlsync/plugin-api";
import { trustedToken } from "../state/racy.js";
import { other, tokenKey } from "./side.js";

/** The counters of the changes made on each side. */
const COUNTERS = {
  source: { deleted: "deletedOnSource", copied: "copiedToSource", bytes: "bytesToSource" },
  target: { deleted: "deletedOnTarget", copied: "copiedToTarget", bytes: "bytesToTarget" },
} as const satisfies Record<Side, Record<string, keyof SyncCounters>>;

/** `token` is the token the path has after the write ("" when it was deleted). */
export type WriteListener = (side: Side, path: string, token: string) => void;

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
}

export interface ApplyOutcome {
  counters: SyncCounters;
  errors: ItemError[];
  /** Compare-and-swap refusals: the destination changed after the plan was made. */
  conflicts: Conflict[];
}

/** Carries out a plan: deletions (deepest first), folders, then content; records each success. */
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
  const wrote = (side: Side, path: string, token: string): void => ctx.onWrite?.(side, path, token);
  const applied = (change: AppliedChange): void => ctx.emit({ type: "applied", change });
  const blocked = (action: Action): boolean => stopped() || failedPaths.has(`${action.to}\u0000${action.path}`);

  const deletes = plan.actions.filter((a): a is Extract<Action, { type: "delete" }> => a.type === "delete");
  const fileDeletes = deletes.filter((a) => a.kind !== "dir");
  const dirDeletes = deletes.filter((a) => a.kind === "dir");
  await forEachLimit(fileDeletes, ctx.concurrency ?? 8, async (action) => {
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
  // Folders deepest first; folders of one depth are independent of each other.
  for (const level of byDepth(dirDeletes, "deepest-first")) {
    await forEachLimit(level, ctx.concurrency ?? 8, async (action) => {
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

  // Parents before children; folders of one depth in parallel (each is a request on a remote storage).
  const mkdirs = plan.actions.filter((a) => a.type === "mkdir" && !blocked(a));
  const filled = new Set<string>();
  for (const action of plan.actions) {
    if (action.type === "copy" || action.type === "symlink") for (const parent of ancestorsOf(action.path)) filled.add(`${action.to}\u0000${parent}`);
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
      wrote(action.to, action.path, done.entry.token);
      applied({ type: "copy", path: action.path, to: action.to, size: done.entry.size, kind: "file" });
      // The copied-from entry's token was checked unchanged by the copy; the written one is done.entry's.
      const now = Date.now();
      const from = trustedToken(action.entry, now);
      const to = trustedToken(done.entry, now);
      const record: SyncedRecord = { path: action.path, kind: "file", size: done.entry.size, hash: done.hash, linkTarget: null };
      record[tokenKey(other(action.to))] = from;
      record[tokenKey(action.to)] = to;
      ctx.journal.record(record);
      progress.filesDone++;
      counters[COUNTERS[action.to].copied]++;
      counters[COUNTERS[action.to].bytes] += done.entry.size;
      counters.bytesResumed += done.resumed ?? 0;
      report();
    },
    onError(task, err) {
      progress.filesDone++;
      fail(task.action, err);
    },
  });
  if (tasks.length) report(true);
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
