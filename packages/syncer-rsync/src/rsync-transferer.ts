import { lstat, mkdir, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import {
  BackendError,
  CasMismatchError,
  ChangedDuringSyncError,
  VerifyError,
  forEachLimit,
  LocalVersionStore,
  type CopyDone,
  type CopyTask,
  type Expected,
  type Logger,
  type StorageEntry,
  type TransferHooks,
  type Transferer,
  hasCode,
  assertExpected,
  foreignToken,
  isSameFile,
  placeFile,
} from "@wlsync/plugin-api";
import { displacedVersion, recheckDestination, type FileSnapshot } from "./compare-and-swap.js";
import { sha256File } from "./hash-file.js";
import { absolutePath, localRootOf } from "./local-root.js";
import { messagesByPath } from "./rsync-messages.js";
import { PARTIAL_EXIT_CODES, describeRun, filesFromInput, rsyncArgs, runRsync, type RsyncProgram, type RsyncRun } from "./rsync-program.js";
import { WorkDir } from "./work-dir.js";
import { withWantedMode } from "./wanted-mode.js";

export interface RsyncTransfererOptions {
  program: RsyncProgram;
  logger: Logger;
  /**
   * Files at least this big whose destination exists go through rsync's delta algorithm
   * (`--no-whole-file`). Off by default: between local folders the destination is rewritten in
   * full either way, and delta reads the old file twice more (see the README's measurements).
   */
  deltaMinBytes?: number;
  /** Bandwidth limit in bytes per second (SyncOptions.bwlimit), passed to rsync as --bwlimit. */
  bwlimit?: number;
  /** SyncOptions.signal: once aborted, no further rsync run starts. */
  signal?: AbortSignal;
  /** Files and bytes per rsync run: each run is re-checked right before it starts. */
  chunkFiles?: number;
  chunkBytes?: number;
  /** Files re-checked and verified at once. */
  concurrency?: number;
}

interface Item {
  task: CopyTask;
  /** A new file (nothing expected at the destination): rsync writes it to the staging folder. */
  staged?: boolean;
  /** Identity of the destination file the re-check approved (null: absence was expected). */
  approved: FileSnapshot | null;
  /**
   * sha256 of the source read while rsync runs (when the plan did not hash it). It counts only
   * if the source's token after rsync is still the plan's: then no write came in between.
   */
  sourceHash?: Promise<string | null>;
}

interface Direction {
  tasks: CopyTask[];
  sourceRoot: string;
  targetRoot: string;
  work: WorkDir;
}

type Displaced = "none" | "expected" | "other";

function groupByDirection(tasks: readonly CopyTask[]): CopyTask[][] {
  const groups = new Map<string, CopyTask[]>();
  for (const task of tasks) {
    const key = `${task.from.identity()}\u0000${task.to.identity()}`;
    const group = groups.get(key) ?? [];
    group.push(task);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function* chunksOf(tasks: readonly CopyTask[], maxFiles: number, maxBytes: number): Generator<CopyTask[]> {
  let chunk: CopyTask[] = [];
  let bytes = 0;
  for (const task of tasks) {
    if (chunk.length && (chunk.length >= maxFiles || bytes + task.action.entry.size > maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(task);
    bytes += task.action.entry.size;
  }
  if (chunk.length) yield chunk;
}

/**
 * Whether `dest` carries the mtime rsync gives its copy (`--times`): the source's as the plan saw
 * it. Asked only while the source still has the plan's token, so also its mtime now.
 */
function carriesSourceTime(dest: StorageEntry, planned: StorageEntry): boolean {
  return dest.mtimeMs === planned.mtimeMs;
}

/**
 * Moves the engine's copy set with the rsync program. Per direction, in chunks: re-check every
 * destination against what the plan saw (compare-and-swap), hand the rest to one rsync run
 * (`--files-from`, NUL-separated), then judge every item on its own: the destination must hash
 * to the source's sha256 and the source must not have changed since the plan. Whatever rsync
 * replaced sits in a backup folder until then, so a copy that fails verification, or a version
 * someone wrote after the re-check, is put back instead of being lost.
 */
export class RsyncTransferer implements Transferer {
  private readonly program: RsyncProgram;
  private readonly logger: Logger;
  private readonly deltaMinBytes: number;
  private readonly chunkFiles: number;
  private readonly chunkBytes: number;
  private readonly concurrency: number;
  private readonly bwlimit?: number;
  private readonly signal?: AbortSignal;

  constructor(options: RsyncTransfererOptions) {
    this.program = options.program;
    this.logger = options.logger;
    this.deltaMinBytes = options.deltaMinBytes ?? Number.POSITIVE_INFINITY;
    this.chunkFiles = options.chunkFiles ?? 1000;
    this.chunkBytes = options.chunkBytes ?? 1024 * 1024 * 1024;
    this.concurrency = options.concurrency ?? 8;
    this.bwlimit = options.bwlimit;
    this.signal = options.signal;
  }

  async copy(tasks: CopyTask[], hooks: TransferHooks): Promise<void> {
    for (const group of groupByDirection(tasks)) await this.copyDirection(group, hooks);
  }

  private async copyDirection(tasks: CopyTask[], hooks: TransferHooks): Promise<void> {
    let direction: Direction;
    try {
      const targetRoot = localRootOf(tasks[0]!.to);
      const sourceRoot = localRootOf(tasks[0]!.from);
      direction = { tasks, sourceRoot, targetRoot, work: await WorkDir.create(targetRoot, sourceRoot) };
    } catch (err) {
      const error = hasCode(err, "E_BACKEND") ? err : new BackendError(`cannot prepare the rsync transfer: ${(err as Error).message}`, err);
      for (const task of tasks) hooks.onError(task, error);
      return;
    }
    try {
      // Verification of one run overlaps the re-check and rsync run of the next.
      let settling = Promise.resolve();
      for (const chunk of chunksOf(tasks, this.chunkFiles, this.chunkBytes)) {
        if (this.signal?.aborted) break; // stopped by the user: a started rsync run finishes, no new one starts
        const ready = await this.recheck(chunk, direction, hooks);
        for (const item of ready) item.staged = item.task.action.expected.kind === "absent";
        const staged = ready.filter((i) => i.staged);
        const whole = ready.filter((i) => !i.staged && !this.wantsDelta(i.task));
        const delta = ready.filter((i) => !i.staged && this.wantsDelta(i.task));
        for (const [items, useDelta] of [[staged, false], [whole, false], [delta, true]] as const) {
          if (!items.length) continue;
          this.hashSourcesMeanwhile(items, direction);
          const run = await this.transfer(items, useDelta, direction, hooks);
          settling = settling.then(() => this.settleAll(items, run, direction, hooks));
        }
      }
      await settling;
    } finally {
      await direction.work.finish(this.logger).catch((err) => this.logger.warn(`could not remove ${direction.work.dir}: ${(err as Error).message}`));
    }
  }

  /** Reads the sources rsync is about to read, on the other core, instead of after rsync. */
  private hashSourcesMeanwhile(items: Item[], direction: Direction): void {
    const pending = items.filter((i) => !i.task.action.hash);
    let next = 0;
    const results = new Map<Item, { resolve: (hash: string | null) => void }>();
    for (const item of pending) item.sourceHash = new Promise((resolve) => results.set(item, { resolve }));
    const worker = async (): Promise<void> => {
      while (next < pending.length) {
        const item = pending[next++]!;
        const { path, entry } = item.task.action;
        const hash = await sha256File(absolutePath(direction.sourceRoot, path), entry.size).catch(() => null);
        results.get(item)!.resolve(hash);
      }
    };
    for (let i = 0; i < Math.min(4, pending.length); i++) void worker();
  }

  private wantsDelta(task: CopyTask): boolean {
    return task.action.expected.kind === "file" && task.action.entry.size >= this.deltaMinBytes;
  }

  /** Compare-and-swap, first half: destinations that changed since the plan are held back as conflicts. */
  private async recheck(chunk: CopyTask[], direction: Direction, hooks: TransferHooks): Promise<Item[]> {
    const ready: Array<Item | undefined> = new Array(chunk.length);
    await forEachLimit(chunk, this.concurrency, async (task, index) => {
      try {
        ready[index] = { task, approved: await recheckDestination(task, absolutePath(direction.targetRoot, task.action.path)) };
      } catch (err) {
        hooks.onError(task, err);
      }
    });
    return ready.filter((i): i is Item => !!i);
  }

  private async transfer(items: Item[], delta: boolean, direction: Direction, hooks: TransferHooks): Promise<RsyncRun> {
    try {
      await direction.work.journal(items.map((i) => ({ p: i.task.action.path, h: i.task.action.expected.kind === "file" ? i.task.action.expected.hash : null })));
    } catch (err) {
      return { spawnError: `cannot write the transfer journal in ${direction.work.dir}: ${(err as Error).message}`, stderr: [] };
    }
    const staged = !!items[0]?.staged;
    if (staged) await mkdir(direction.work.stageDir, { recursive: true });
    const args = rsyncArgs({
      sourceRoot: direction.sourceRoot,
      targetRoot: staged ? direction.work.stageDir : direction.targetRoot,
      backupDir: direction.work.backupDir,
      tempDir: direction.work.tempDir,
      delta,
      impliedDirs: staged,
      bwlimit: this.bwlimit,
    });
    await mkdir(direction.work.tempDir, { recursive: true });
    const input = filesFromInput(items.map((i) => i.task.action.path));
    let reported = 0;
    const first = items[0]!.task;
    this.logger.debug(`rsync: ${items.length} file(s)${delta ? " (delta)" : ""} ${direction.sourceRoot} → ${direction.targetRoot}`);
    const started = Date.now();
    const run = await runRsync(this.program.command, args, input, (soFar) => {
      if (soFar > reported) hooks.onBytes(soFar - reported, first);
      reported = Math.max(reported, soFar);
    });
    this.logger.debug(`rsync: done in ${Date.now() - started} ms${run.exitCode === 0 ? "" : `: ${describeRun(run)}`}`);
    return run;
  }

  private async settleAll(items: Item[], run: RsyncRun, direction: Direction, hooks: TransferHooks): Promise<void> {
    const messages = messagesByPath(run.stderr, [direction.sourceRoot, direction.targetRoot], new Set(items.map((i) => i.task.action.path)));
    let backedUp: Set<string>;
    try {
      backedUp = await direction.work.backups();
    } catch (err) {
      for (const item of items) hooks.onError(item.task, new BackendError(`cannot list ${direction.work.backupDir}: ${(err as Error).message}`, err));
      return;
    }
    const started = Date.now();
    await forEachLimit(items, this.concurrency, async (item) => {
      let done: CopyDone;
      try {
        done = item.staged ? await this.settleStaged(item, run, messages, direction) : await this.settle(item, run, messages, backedUp, direction);
      } catch (err) {
        hooks.onError(item.task, err);
        return;
      }
      hooks.onDone(item.task, done);
    });
    this.logger.debug(`rsync: ${items.length} file(s) verified in ${Date.now() - started} ms`);
  }

  /**
   * Judges one replacement after rsync ran: verified copy (done), or an error / conflict with the
   * destination left as it was before the pass (or as someone else has since written it). Only
   * items whose plan expected a file come here: a new file is staged (settleStaged), and the
   * re-check refuses a folder or symlink.
   */
  private async settle(item: Item, run: RsyncRun, messages: Map<string, string>, backedUp: Set<string>, direction: Direction): Promise<CopyDone> {
    const { task } = item;
    const { action, from, to } = task;
    const { path, entry } = action;
    const expectedHash = (action.expected as Extract<Expected, { kind: "file" }>).hash;
    const targetAbs = absolutePath(direction.targetRoot, path);
    const backupAbs = direction.work.backupOf(path);
    const other = action.to === "target" ? "source" : "target";

    const displaced = backedUp.has(path) ? await displacedVersion(backupAbs, task, item.approved) : "none";
    const sourceNow = await from.stat(path);
    const destNow = await to.stat(path);
    // Hashes are read straight from the files: a change during the read gives a hash that does
    // not match, which fails the item; nothing unverified is ever recorded.
    let destHash: string | null = null;
    if (destNow?.kind === "file") {
      try {
        destHash = await sha256File(targetAbs, destNow.size);
      } catch (err) {
        await this.dropBackup(displaced, backupAbs, path, direction, task);
        throw new CasMismatchError(`${path}: changing on ${to.backendId} while it was synced (${(err as Error).message}); left as it is`);
      }
    }
    let sourceHash: string | null = null;
    if (sourceNow?.kind === "file" && sourceNow.token === entry.token) {
      sourceHash = action.hash ?? (await item.sourceHash) ?? null;
    }

    if (sourceHash !== null && destHash === sourceHash && destNow) {
      // rsync's copy is in place and verified; now the second half of compare-and-swap.
      if (displaced === "other") {
        await this.putBack(item, destNow, displaced, direction);
        throw new CasMismatchError(`${path}: changed on ${to.backendId} while rsync replaced it; that version was put back`);
      }
      if (displaced === "none") {
        await this.putBack(item, destNow, displaced, direction);
        throw new CasMismatchError(`${path}: deleted on ${to.backendId} while rsync replaced it; the deletion was kept`);
      }
      this.retire(task, backupAbs, direction); // the displaced version is the approved one
      if (sourceNow) from.rememberHash(path, sourceNow, sourceHash);
      const placed = await withWantedMode(task, destNow);
      to.rememberHash(path, placed, destHash);
      return { hash: destHash, entry: placed };
    }

    // Not verified. Did rsync put something in place? A backup says it renamed over a file.
    const rsyncWroteIt = destNow?.kind === "file" && displaced !== "none";

    if (sourceHash === null) {
      if (rsyncWroteIt) await this.putBack(item, destNow!, displaced, direction);
      else await this.dropBackup(displaced, backupAbs, path, direction, task);
      if (displaced === "other") throw new CasMismatchError(`${path}: changed on both sides during the sync; the ${action.to}'s version was put back`);
      const said = messages.get(path);
      const what = sourceNow ? "changed" : "vanished";
      throw new ChangedDuringSyncError(`${path}: ${what} on the ${other} while it was synced${said ? ` (rsync: ${said})` : ""}; the ${action.to} was left as it was, it will be synced on the next pass`);
    }

    const untouched = displaced === "none" && destHash === expectedHash;
    if (untouched) throw this.notTransferred(path, run, messages);

    if (rsyncWroteIt && carriesSourceTime(destNow!, entry)) {
      await this.putBack(item, destNow!, displaced, direction);
      throw new VerifyError(`${path}: rsync's copy does not hash to the ${other}'s sha256; the ${action.to} was put back as it was`);
    }
    await this.dropBackup(displaced, backupAbs, path, direction, task);
    throw new CasMismatchError(`${path}: changed on ${to.backendId} while it was synced; left as it is`);
  }

  /**
   * Judges a new file: rsync wrote it into the staging folder; it goes into place only if it
   * hashes to the source's sha256 and the source did not change, with link(2), which refuses
   * to replace a file that appeared meanwhile. A failed item never touches the destination.
   */
  private async settleStaged(item: Item, run: RsyncRun, messages: Map<string, string>, direction: Direction): Promise<CopyDone> {
    const { task } = item;
    const { action, from, to } = task;
    const { path, entry } = action;
    const stagedAbs = absolutePath(direction.work.stageDir, path);
    const targetAbs = absolutePath(direction.targetRoot, path);
    const other = action.to === "target" ? "source" : "target";
    try {
      const sourceNow = await from.stat(path);
      const sourceHash = sourceNow?.kind === "file" && sourceNow.token === entry.token ? (action.hash ?? (await item.sourceHash) ?? null) : null;
      if (sourceHash === null) {
        const said = messages.get(path);
        throw new ChangedDuringSyncError(`${path}: ${sourceNow ? "changed" : "vanished"} on the ${other} while it was synced${said ? ` (rsync: ${said})` : ""}; the ${action.to} was left as it was, it will be synced on the next pass`);
      }
      const stagedHash = await sha256File(stagedAbs, entry.size).catch(() => null);
      if (stagedHash === null) throw this.notTransferred(path, run, messages);
      if (stagedHash !== sourceHash) throw new VerifyError(`${path}: rsync's copy does not hash to the ${other}'s sha256; nothing was put in place`);
      const written = await lstat(stagedAbs, { bigint: true });
      if (action.createParents !== false) await mkdir(dirname(targetAbs), { recursive: true });
      // Create-if-absent (link(2); re-check then rename where the file system has no hard
      // links). The staged name is gone before the token is read: unlinking it moves the file's
      // ctime, and a token read before that would make the next pass hash the file again.
      await placeFile(stagedAbs, targetAbs, { kind: "absent" }, { path, backendId: to.backendId, hardLinks: to.capabilities.hardLinks !== false, recheck: () => assertExpected(to, path, { kind: "absent" }) });
      const destNow = await to.stat(path);
      const now = await lstat(targetAbs, { bigint: true }).catch(() => null);
      // Someone changed or moved it right after it was put in place: their token, not ours.
      const ours = destNow && now && isSameFile(now, written);
      const entryNow: StorageEntry = ours ? await withWantedMode(task, destNow) : { path, kind: "file", size: entry.size, token: foreignToken(written), mtimeMs: Number(written.mtimeNs) / 1e6 };
      if (sourceNow) from.rememberHash(path, sourceNow, sourceHash);
      if (ours) to.rememberHash(path, entryNow, stagedHash);
      return { hash: stagedHash, entry: entryNow };
    } finally {
      await unlink(stagedAbs).catch(() => {});
    }
  }

  /** Why an item rsync did not touch failed: rsync's own line about it, else how the run ended. */
  private notTransferred(path: string, run: RsyncRun, messages: Map<string, string>): Error {
    const message = messages.get(path);
    if (message) {
      if (/vanished|No such file or directory/.test(message)) return new ChangedDuringSyncError(`${path}: rsync: ${message}; it will be synced on the next pass`);
      return new BackendError(`${path}: rsync: ${message}`);
    }
    if (run.exitCode === 0) return new BackendError(`${path}: rsync reported success but did not transfer it`);
    if (run.exitCode !== undefined && PARTIAL_EXIT_CODES.has(run.exitCode)) return new BackendError(`${path}: not transferred (${describeRun(run)})`);
    return new BackendError(`${path}: ${describeRun(run)}`);
  }

  /**
   * Undoes rsync's replacement of one file: the displaced version goes back (or the new file is
   * removed where there was none), unless the destination changed again since it was examined.
   */
  private async putBack(item: Item, examined: StorageEntry, displaced: Displaced, direction: Direction): Promise<void> {
    const { path } = item.task.action;
    const targetAbs = absolutePath(direction.targetRoot, path);
    const current = await item.task.to.stat(path);
    if (current?.token !== examined.token) {
      if (displaced === "other") direction.work.keep(path);
      else if (displaced === "expected") this.retire(item.task, direction.work.backupOf(path), direction);
      throw new CasMismatchError(`${path}: changed on ${item.task.to.backendId} while it was synced; left as it is`);
    }
    try {
      if (displaced === "none") await unlink(targetAbs);
      else await rename(direction.work.backupOf(path), targetAbs);
    } catch (err) {
      if (displaced !== "none") direction.work.keep(path);
      throw new BackendError(`${path}: could not undo rsync's replacement on ${item.task.to.backendId}: ${(err as Error).message}`, err);
    }
  }

  private async dropBackup(displaced: Displaced, backupAbs: string, path: string, direction: Direction, task?: CopyTask): Promise<void> {
    if (displaced === "expected") {
      if (task) this.retire(task, backupAbs, direction);
      else await unlink(backupAbs).catch(() => {});
    } else if (displaced === "other") direction.work.keep(path);
  }

  /**
   * The version rsync displaced, checked to be the one the plan expected: kept in the storage's
   * versions store (`.wlsync/versions/`, a rename on the same file system) when the storage keeps
   * versions, else deleted. If it cannot be moved there, the work folder keeps it for the user.
   */
  private retire(task: CopyTask, backupAbs: string, direction: Direction): void {
    const { to, action } = task;
    if (!to.keepsVersions) {
      unlink(backupAbs).catch(() => {});
      return;
    }
    try {
      new LocalVersionStore(direction.targetRoot).moveIn(action.path, backupAbs);
    } catch (err) {
      this.logger.warn(`${action.path}: could not keep the replaced version on ${to.backendId} (${(err as Error).message}); it stays in ${direction.work.dir}`);
      direction.work.keep(action.path);
    }
  }
}
