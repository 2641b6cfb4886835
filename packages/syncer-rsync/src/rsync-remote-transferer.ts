import { randomBytes } from "node:crypto";
import { link, lstat, mkdir, rename, rm, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  BackendError,
  CasMismatchError,
  ChangedDuringSyncError,
  TEMP_PREFIX,
  VerifyError,
  errorMessage,
  isWlError,
  forEachLimit,
    type CopyTask,
  type Logger,
  type StorageBackend,
  type StorageEntry,
  type TransferHooks,
  type Transferer,
} from "@wlsync/plugin-api";
import { sha256File } from "./hash-file.js";
import { withWantedMode } from "./wanted-mode.js";
import { localRootOf } from "./local-root.js";
import { messagesByPath } from "./rsync-messages.js";
import { describeRun, runRsync, type RsyncProgram, type RsyncRun } from "./rsync-program.js";
import { asRemoteShellStorage, quoteForRsyncE, type RemoteShellStorage } from "./remote-storage.js";

export interface RsyncRemoteTransfererOptions {
  program: RsyncProgram;
  logger: Logger;
  /** Bandwidth limit in bytes per second (SyncOptions.bwlimit), passed to rsync as --bwlimit. */
  bwlimit?: number;
  /** Files and bytes per rsync run. */
  chunkFiles?: number;
  chunkBytes?: number;
  concurrency?: number;
}

/** One side of a direction: a local folder, or a folder on a server rsync reaches over ssh. */
interface Side {
  backend: StorageBackend;
  remote: RemoteShellStorage | null;
  /** Local: the absolute folder. Remote: the absolute folder on the server. */
  root: string;
  /** rsync's spelling of `root` (`user@host:/folder` for a remote one). */
  spec: string;
  ssh?: string[];
}

async function sideOf(backend: StorageBackend): Promise<Side> {
  const remote = asRemoteShellStorage(backend);
  if (!remote) {
    const root = localRootOf(backend);
    return { backend, remote: null, root, spec: root };
  }
  const target = await remote.remoteShellTarget();
  if (!remote.remoteShell) {
    throw new BackendError(`storage ${backend.backendId}: rsync needs to run commands on the server, and this storage has remote-shell off; use --syncer naive`, undefined, 3);
  }
  return { backend, remote, root: target.root, spec: `${target.destination}:${target.root}`, ssh: target.sshCommand };
}

/**
 * Moves the engine's copy set between a local folder and a remote one (an sftp storage) with
 * rsync over ssh. Per direction and chunk: every destination is re-checked against the plan,
 * then one rsync run writes the files into a staging folder at the destination's root, with
 * the destination's current files as the basis of rsync's delta algorithm (`--compare-dest`),
 * so a small edit of a large file sends only the changed blocks. Nothing rsync writes is in
 * place until it was verified: the staged copy must hash to the source's sha256 (computed on
 * the server for a remote destination), the source must not have changed since the plan, and
 * then the destination backend puts it in place with its own compare-and-swap (a hard link for
 * new files, a re-check and an atomic rename for replacements). A dropped connection leaves at
 * most a staging folder, never a partial file.
 */
export class RsyncRemoteTransferer implements Transferer {
  private readonly program: RsyncProgram;
  private readonly logger: Logger;
  private readonly chunkFiles: number;
  private readonly chunkBytes: number;
  private readonly concurrency: number;
  private readonly bwlimit?: number;

  constructor(options: RsyncRemoteTransfererOptions) {
    this.program = options.program;
    this.bwlimit = options.bwlimit;
    this.logger = options.logger;
    this.chunkFiles = options.chunkFiles ?? 5000;
    this.chunkBytes = options.chunkBytes ?? 4 * 1024 * 1024 * 1024;
    this.concurrency = options.concurrency ?? 8;
  }

  async copy(tasks: CopyTask[], hooks: TransferHooks): Promise<void> {
    const groups = new Map<string, CopyTask[]>();
    for (const task of tasks) {
      const key = `${task.from.identity()}\u0000${task.to.identity()}`;
      groups.set(key, [...(groups.get(key) ?? []), task]);
    }
    for (const group of groups.values()) await this.copyDirection(group, hooks);
  }

  private async copyDirection(tasks: CopyTask[], hooks: TransferHooks): Promise<void> {
    let from: Side;
    let to: Side;
    try {
      from = await sideOf(tasks[0]!.from);
      to = await sideOf(tasks[0]!.to);
      if (from.remote && to.remote) throw new BackendError("rsync cannot copy between two remote storages; use --syncer naive", undefined, 3);
    } catch (err) {
      for (const task of tasks) hooks.onError(task, err);
      return;
    }
    let chunk: CopyTask[] = [];
    let bytes = 0;
    for (const task of tasks) {
      if (chunk.length && (chunk.length >= this.chunkFiles || bytes + task.action.entry.size > this.chunkBytes)) {
        await this.copyChunk(chunk, from, to, hooks);
        chunk = [];
        bytes = 0;
      }
      chunk.push(task);
      bytes += task.action.entry.size;
    }
    if (chunk.length) await this.copyChunk(chunk, from, to, hooks);
  }

  private async copyChunk(tasks: CopyTask[], from: Side, to: Side, hooks: TransferHooks): Promise<void> {
    // Compare-and-swap, first half: destinations that changed since the plan are conflicts.
    const ready: CopyTask[] = [];
    // A new file needs none: it is put in place by link(2), which refuses a name that appeared.
    await forEachLimit(tasks, this.concurrency, async (task) => {
      try {
        if (task.action.expected.kind !== "absent") await recheck(task);
        ready.push(task);
      } catch (err) {
        hooks.onError(task, err);
      }
    });
    if (!ready.length) return;
    const stageName = `${TEMP_PREFIX}rsync-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      if (!to.remote) await mkdir(join(to.root, stageName), { mode: 0o700 });
      const run = await this.transfer(ready, from, to, stageName, hooks);
      await this.settleAll(ready, run, from, to, stageName, hooks);
    } catch (err) {
      for (const task of ready) hooks.onError(task, isWlError(err) ? err : new BackendError(`rsync transfer failed: ${errorMessage(err)}`, err));
    } finally {
      try {
        if (to.remote) await to.remote.removeTree(stageName);
        else await rm(join(to.root, stageName), { recursive: true, force: true });
      } catch (err) {
        this.logger.warn(`could not remove the staging folder ${stageName} on ${to.backend.backendId}: ${errorMessage(err)}`);
      }
    }
  }

  private async transfer(tasks: CopyTask[], from: Side, to: Side, stageName: string, hooks: TransferHooks): Promise<RsyncRun> {
    const ssh = from.ssh ?? to.ssh!;
    const args = [
      "--files-from=-",
      "--from0",
      "--times",
      "--perms",
      // The plan decided these files differ; never skip one because size and mtime match.
      "--ignore-times",
      // Delta transfer against the file already at the destination: the staging folder is one
      // level below the root, so `..` is the destination tree itself.
      "--no-whole-file",
      "--compare-dest=..",
      "--info=progress2",
      ...(this.bwlimit ? [`--bwlimit=${Math.max(1, Math.floor(this.bwlimit / 1024))}`] : []),
      "-e",
      ssh.map(quoteForRsyncE).join(" "),
      "--",
      `${from.spec}/`,
      `${to.spec}/${stageName}/`,
    ];
    const input = Buffer.from(tasks.map((t) => `${t.action.path}\0`).join(""), "utf8");
    let reported = 0;
    const first = tasks[0]!;
    this.logger.debug(`rsync: ${tasks.length} file(s) ${from.spec} → ${to.spec}`);
    const started = Date.now();
    const run = await runRsync(this.program.command, args, input, (soFar) => {
      if (soFar > reported) hooks.onBytes(soFar - reported, first);
      reported = Math.max(reported, soFar);
    });
    this.logger.debug(`rsync: done in ${Date.now() - started} ms${run.exitCode === 0 ? "" : `: ${describeRun(run)}`}`);
    return run;
  }

  private async settleAll(tasks: CopyTask[], run: RsyncRun, from: Side, to: Side, stageName: string, hooks: TransferHooks): Promise<void> {
    const messages = messagesByPath(run.stderr, [from.root, to.root, `${to.root}/${stageName}`], new Set(tasks.map((t) => t.action.path)));
    // Hashes of the staged copies: one command on the server for a remote destination.
    let remoteHashes: Map<string, string> | undefined;
    if (to.remote) remoteHashes = await to.remote.remoteSha256Many(tasks.map((t) => `${stageName}/${t.action.path}`));
    const verified: Array<{ task: CopyTask; hash: string; sourceNow: StorageEntry }> = [];
    await forEachLimit(tasks, this.concurrency, async (task) => {
      try {
        verified.push({ task, ...(await this.verify(task, run, messages, to, stageName, remoteHashes)) });
      } catch (err) {
        hooks.onError(task, err);
      }
    });
    const done = async (item: (typeof verified)[number], landed: StorageEntry): Promise<void> => {
      const { task, hash, sourceNow } = item;
      task.from.rememberHash(task.action.path, sourceNow, hash);
      let placed: StorageEntry;
      try {
        placed = await withWantedMode(task, landed);
      } catch (err) {
        hooks.onError(task, err);
        return;
      }
      if (!placed.token.endsWith("#changed-after-write")) task.to.rememberHash(task.action.path, placed, hash);
      hooks.onDone(task, { hash, entry: placed });
    };
    if (to.remote) {
      const placed = await to.remote.placeWrittenMany(verified.map(({ task }) => ({ tempPath: `${stageName}/${task.action.path}`, path: task.action.path, expected: task.action.expected })));
      await forEachLimit(verified, this.concurrency, async (item, i) => {
        const result = placed[i]!;
        if (result instanceof Error) hooks.onError(item.task, result);
        else await done(item, result);
      });
      return;
    }
    await forEachLimit(verified, this.concurrency, async (item) => {
      try {
        await done(item, await placeLocal(item.task, to.root, `${stageName}/${item.task.action.path}`));
      } catch (err) {
        hooks.onError(item.task, err);
      }
    });
  }

  /** The staged copy hashes to the source's sha256, and the source is still the planned version. */
  private async verify(task: CopyTask, run: RsyncRun, messages: Map<string, string>, to: Side, stageName: string, remoteHashes?: Map<string, string>): Promise<{ hash: string; sourceNow: StorageEntry }> {
    const { action } = task;
    const { path, entry } = action;
    const other = action.to === "target" ? "source" : "target";
    const stagedPath = `${stageName}/${path}`;
    const stagedHash = to.remote ? (remoteHashes!.get(stagedPath) ?? null) : await sha256File(join(to.root, stagedPath), entry.size).catch(() => null);
    if (stagedHash === null) {
      const said = messages.get(path);
      if (said && /vanished|No such file or directory/.test(said)) throw new ChangedDuringSyncError(`${path}: rsync: ${said}; it will be synced on the next pass`);
      if (said) throw new BackendError(`${path}: rsync: ${said}`);
      throw new BackendError(`${path}: not transferred (${run.exitCode === 0 ? "rsync reported success but wrote nothing" : describeRun(run)}); it will be retried on the next pass`);
    }
    const sourceNow = await task.from.stat(path);
    if (sourceNow?.kind !== "file" || sourceNow.token !== entry.token) {
      throw new ChangedDuringSyncError(`${path}: ${sourceNow ? "changed" : "vanished"} on the ${other} while it was synced; the ${action.to} was left as it was, it will be synced on the next pass`);
    }
    let sourceHash: string;
    try {
      sourceHash = action.hash ?? (await task.from.getHash(path, sourceNow));
    } catch (err) {
      if ((err as { code?: string }).code === "E_CHANGED") throw new ChangedDuringSyncError(`${path}: changed on the ${other} while it was synced; it will be synced on the next pass`);
      throw err;
    }
    if (stagedHash !== sourceHash) throw new VerifyError(`${path}: rsync's copy does not hash to the ${other}'s sha256; nothing was put in place`);
    return { hash: stagedHash, sourceNow };
  }
}

/** Compare-and-swap, first half: the destination still holds what the plan expected. */
async function recheck(task: CopyTask): Promise<void> {
  const { action, to } = task;
  const current = await to.stat(action.path);
  const fail = (what: string): never => {
    throw new CasMismatchError(`${action.path}: ${what} on ${to.backendId} since the plan was made`);
  };
  const expected = action.expected;
  if (expected.kind === "absent") {
    if (current) fail("appeared");
    return;
  }
  if (expected.kind !== "file" || current?.kind !== "file") return fail(current ? "is not the file the plan expected" : "disappeared");
  let hash: string;
  try {
    hash = await to.getHash(action.path, current);
  } catch (err) {
    if ((err as { code?: string }).code === "E_CHANGED") return fail("is changing");
    throw err;
  }
  if (hash !== expected.hash) fail("changed");
}

/**
 * Puts a verified staged file in place in a local folder: link(2) for a new file (refuses a
 * name that appeared meanwhile), else a re-check of the destination and rename(2) over it.
 */
async function placeLocal(task: CopyTask, root: string, stagedPath: string): Promise<StorageEntry> {
  const { action, to } = task;
  const staged = join(root, stagedPath);
  const target = join(root, action.path);
  const written = await lstat(staged, { bigint: true });
  try {
    if (action.createParents !== false) await mkdir(dirname(target), { recursive: true });
    if (action.expected.kind === "absent") {
      try {
        await link(staged, target);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EEXIST") throw new CasMismatchError(`${action.path}: appeared on ${to.backendId} since the plan was made`);
        if (code === "ENOENT") throw new ChangedDuringSyncError(`${action.path}: its folder was removed from ${to.backendId} during the pass; not recreated`);
        throw new BackendError(`cannot put it in place on ${to.backendId}: ${errorMessage(err)}`, err);
      }
    } else {
      await recheck(task);
      // RACE: a write between the re-check and the rename is replaced (the local backend's
      // window, one system call long).
      await rename(staged, target);
    }
  } finally {
    await unlink(staged).catch(() => {});
  }
  const now = await lstat(target, { bigint: true }).catch(() => null);
  const entry = await to.stat(action.path);
  const ours = entry && now && now.ino === written.ino && now.size === written.size && now.mtimeNs === written.mtimeNs;
  if (ours) return entry;
  return { path: action.path, kind: "file", size: Number(written.size), token: `${written.ino}:${written.size}:${written.mtimeNs}:${written.ctimeNs}#changed-after-write`, mtimeMs: Number(written.mtimeNs) / 1e6 };
}
