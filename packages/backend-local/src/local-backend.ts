import { randomBytes } from "node:crypto";
import { createWriteStream, realpathSync, type BigIntStats, type Dirent } from "node:fs";
import { chmod, link, lstat, mkdir, open, readdir, readlink, rename, rmdir, stat, symlink, unlink, utimes } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import {
  BackendError,
  CasMismatchError,
  ChangedDuringSyncError,
  PollingWatcher,
  StorageBackend,
  StorageUnavailableError,
  TEMP_PREFIX,
  forEachLimit,
  type BackendCapabilities,
  type BackendContext,
  type Expected,
  type SafeReplaceWriter,
  type StorageEntry,
  type StorageWatcher,
  type WalkOptions,
  type WriteOptions,
} from "@wlsync/core";

import { LocalWatcher } from "./local-watcher.js";

const code = (err: unknown) => (err as NodeJS.ErrnoException)?.code;

function specialKind(st: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean }): string {
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  if (st.isBlockDevice() || st.isCharacterDevice()) return "a device";
  return "not a regular file";
}

/** Token: inode, size, mtime and ctime in nanoseconds. Any content change moves at least one. */
export function tokenOf(st: BigIntStats): string {
  return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/**
 * A local folder. Files are replaced through a temporary file in the same folder, re-checked
 * against what the plan saw, and renamed into place; new files are linked into place so an
 * existing name is never clobbered.
 */
export class LocalBackend extends StorageBackend {
  static override TYPE = "local";
  readonly root: string;
  readonly capabilities: BackendCapabilities = { symlinks: true, atomicCompareAndSwap: false, emptyDirs: true };
  private realRoot?: string;

  constructor(context: BackendContext) {
    super(context);
    const path = context.params.path;
    if (typeof path !== "string" || path === "") throw new BackendError(`storage ${this.backendId}: "path" is required for type local`, undefined, 3);
    this.root = resolve(context.configDir, path);
  }

  identity(): string {
    if (!this.realRoot) {
      try {
        this.realRoot = realpathSync(this.root);
      } catch {
        return `local:${this.root}`;
      }
    }
    return `local:${this.realRoot}`;
  }

  describe(): string {
    return this.root;
  }

  override relativePathOf(absolutePath: string): string | null {
    const rel = relative(this.root, absolutePath);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return null;
    return rel.split(sep).join("/");
  }

  private full(path: string): string {
    return path === "" ? this.root : join(this.root, path);
  }

  async checkRoot(): Promise<void> {
    let st;
    try {
      st = await stat(this.root);
    } catch (err) {
      if (code(err) === "ENOENT") {
        throw new StorageUnavailableError(`storage ${this.backendId}: folder ${this.root} does not exist (is the disk mounted? create the folder to start syncing into it)`);
      }
      throw new StorageUnavailableError(`storage ${this.backendId}: cannot access ${this.root}: ${(err as Error).message}`, err);
    }
    if (!st.isDirectory()) throw new StorageUnavailableError(`storage ${this.backendId}: ${this.root} is not a folder`);
    try {
      await readdir(this.root);
    } catch (err) {
      throw new StorageUnavailableError(`storage ${this.backendId}: cannot read ${this.root}: ${(err as Error).message}`, err);
    }
  }

  private entryOf(path: string, st: BigIntStats, linkTarget?: string): StorageEntry {
    if (st.isDirectory()) return { path, kind: "dir", size: 0, token: "dir", mtimeMs: Number(st.mtimeNs) / 1e6, mode: Number(st.mode) & 0o7777 };
    if (st.isSymbolicLink()) return { path, kind: "symlink", size: 0, token: `link:${linkTarget}`, mtimeMs: Number(st.mtimeNs) / 1e6, linkTarget };
    return { path, kind: "file", size: Number(st.size), token: tokenOf(st), mtimeMs: Number(st.mtimeNs) / 1e6, mode: Number(st.mode) & 0o7777 };
  }

  async *walk(options: WalkOptions): AsyncIterable<StorageEntry> {
    const include = options.include ?? (() => true);
    const found: StorageEntry[] = [];
    const start = options.under ?? "";
    let pending = [start];
    while (pending.length) {
      const next: string[] = [];
      await forEachLimit(pending, 16, async (dir) => {
        let dirents: Dirent[];
        try {
          dirents = await readdir(this.full(dir), { withFileTypes: true });
        } catch (err) {
          if (dir === start && start !== "" && (code(err) === "ENOENT" || code(err) === "ENOTDIR")) return;
          if (dir !== "") options.onWarning({ path: dir, message: `cannot list this folder (${code(err) ?? (err as Error).message}); nothing below it is synced this pass`, unlistedFolder: true });
          else throw new StorageUnavailableError(`storage ${this.backendId}: cannot read ${this.root}: ${(err as Error).message}`, err);
          return;
        }
        await Promise.all(
          dirents.map(async (d) => {
            const path = dir === "" ? d.name : `${dir}/${d.name}`;
            if (!include(path, d.isDirectory())) return;
            let st: BigIntStats;
            try {
              st = await lstat(this.full(path), { bigint: true });
            } catch (err) {
              if (code(err) !== "ENOENT") options.onWarning({ path, message: `cannot stat: ${(err as Error).message}` });
              return;
            }
            if (st.isDirectory()) {
              found.push(this.entryOf(path, st));
              next.push(path);
            } else if (st.isFile()) {
              found.push(this.entryOf(path, st));
            } else if (st.isSymbolicLink()) {
              try {
                found.push(this.entryOf(path, st, await readlink(this.full(path))));
              } catch (err) {
                options.onWarning({ path, message: `cannot read symlink: ${(err as Error).message}` });
              }
            } else {
              options.onWarning({ path, message: `skipped: ${specialKind(st)} cannot be synced` });
            }
          }),
        );
      });
      pending = next;
    }
    yield* found;
  }

  override async stat(path: string): Promise<StorageEntry | null> {
    try {
      const st = await lstat(this.full(path), { bigint: true });
      if (st.isSymbolicLink()) return this.entryOf(path, st, await readlink(this.full(path)));
      if (!st.isFile() && !st.isDirectory()) return null;
      return this.entryOf(path, st);
    } catch (err) {
      if (code(err) === "ENOENT" || code(err) === "ENOTDIR") return null;
      throw err;
    }
  }

  async getFileToken(path: string): Promise<string | null> {
    return (await this.stat(path))?.token ?? null;
  }

  async createReadStream(path: string): Promise<Readable> {
    const handle = await open(this.full(path), "r");
    return handle.createReadStream({ highWaterMark: 1 << 20 });
  }

  /** Throws CasMismatchError unless the path holds exactly what the caller expects. */
  private async assertExpected(path: string, expected: Expected): Promise<void> {
    const current = await this.stat(path);
    const fail = (what: string) => {
      throw new CasMismatchError(`${path}: ${what} on ${this.backendId} since the plan was made`);
    };
    switch (expected.kind) {
      case "absent":
        if (current) fail("appeared");
        return;
      case "dir":
        if (current?.kind !== "dir") fail("changed");
        return;
      case "symlink":
        if (current?.kind !== "symlink" || current.linkTarget !== expected.target) fail("changed");
        return;
      case "file": {
        if (current?.kind !== "file") return fail(current ? "changed kind" : "disappeared");
        let hash: string;
        try {
          hash = await this.getHash(path, current);
        } catch (err) {
          if (err instanceof ChangedDuringSyncError) return fail("is changing");
          throw err;
        }
        if (hash !== expected.hash) fail("changed");
      }
    }
  }

  async openForSafeReplace(path: string, expected: Expected, options: WriteOptions = {}): Promise<SafeReplaceWriter> {
    const full = this.full(path);
    const dir = dirname(full);
    await this.assertExpected(path, expected);
    if (options.createParents === false) {
      const parent = await stat(dir).catch(() => null);
      if (!parent?.isDirectory()) throw new ChangedDuringSyncError(`${path}: its folder was removed from ${this.backendId} during the pass; not recreated`);
    } else {
      try {
        await mkdir(dir, { recursive: true });
      } catch (err) {
        throw new BackendError(`${path}: cannot create its folder on ${this.backendId}: ${(err as Error).message}`, err);
      }
    }
    const tmp = join(dir, `${TEMP_PREFIX}${randomBytes(6).toString("hex")}`);
    const stream = createWriteStream(tmp, { flags: "wx", mode: 0o600, highWaterMark: 1 << 20 });
    const closed = new Promise<void>((ok, ko) => {
      stream.once("close", ok);
      stream.once("error", ko);
    });
    closed.catch(() => {});
    return {
      stream,
      commit: async () => {
        await closed;
        let written: BigIntStats;
        try {
          await chmod(tmp, options.mode ?? 0o644);
          if (options.mtimeMs !== undefined) await utimes(tmp, Date.now() / 1000, options.mtimeMs / 1000);
          written = await lstat(tmp, { bigint: true });
          await this.assertExpected(path, expected);
          if (expected.kind === "absent") await this.linkIntoPlace(tmp, full, path);
          else await rename(tmp, full);
        } catch (err) {
          await unlink(tmp).catch(() => {});
          throw err;
        }
        // The content is in place. If someone changed or moved the path between the rename and
        // this stat, the token is theirs: mark it so that it is neither cached with our hash nor
        // mistaken for our own write; the next pass sees their change as news.
        const foreign = { ...this.entryOf(path, written), token: `${tokenOf(written)}#changed-after-write` };
        const now = await lstat(full, { bigint: true }).catch(() => null);
        if (!now || now.ino !== written.ino || now.size !== written.size || now.mtimeNs !== written.mtimeNs) return foreign;
        return (await this.stat(path)) ?? foreign;
      },
      abort: async () => {
        stream.destroy();
        await closed.catch(() => {});
        await unlink(tmp).catch(() => {});
      },
    };
  }

  /** Create-if-absent: link(2) fails with EEXIST instead of replacing a file that just appeared. */
  private async linkIntoPlace(tmp: string, full: string, path: string): Promise<void> {
    try {
      await link(tmp, full);
      await unlink(tmp);
    } catch (err) {
      if (code(err) === "EEXIST") throw new CasMismatchError(`${path}: appeared on ${this.backendId} since the plan was made`);
      if (code(err) === "EPERM" || code(err) === "ENOTSUP" || code(err) === "EOPNOTSUPP" || code(err) === "EXDEV") {
        // File systems without hard links (FAT, some FUSE mounts): re-checked, then renamed.
        await this.assertExpected(path, { kind: "absent" });
        await rename(tmp, full);
        return;
      }
      throw err;
    }
  }

  async mkdir(path: string): Promise<void> {
    try {
      await mkdir(this.full(path), { recursive: true });
    } catch (err) {
      throw new BackendError(`${path}: cannot create folder on ${this.backendId}: ${(err as Error).message}`, err);
    }
  }

  async remove(path: string, expected: Expected): Promise<void> {
    await this.assertExpected(path, expected);
    try {
      if (expected.kind === "dir") await rmdir(this.full(path));
      else await unlink(this.full(path));
    } catch (err) {
      if (code(err) === "ENOENT") return;
      if (code(err) === "ENOTEMPTY" || code(err) === "EEXIST") {
        throw new BackendError(`${path}/: not deleted on ${this.backendId}: the folder still holds files that are not synced (ignored or unreadable)`, err);
      }
      throw new BackendError(`${path}: cannot delete on ${this.backendId}: ${(err as Error).message}`, err);
    }
  }

  async symlink(path: string, target: string, expected: Expected): Promise<void> {
    await this.assertExpected(path, expected);
    await mkdir(dirname(this.full(path)), { recursive: true });
    try {
      await symlink(target, this.full(path));
    } catch (err) {
      if (code(err) === "EEXIST") throw new CasMismatchError(`${path}: appeared on ${this.backendId} since the plan was made`);
      throw new BackendError(`${path}: cannot create symlink on ${this.backendId}: ${(err as Error).message}`, err);
    }
  }

  /** SPEC section 3: the polling watcher when the storage sets watcher-interval, else kernel events. */
  watcher(): StorageWatcher {
    const interval = this.params["watcher-interval"];
    if (typeof interval === "number") return new PollingWatcher(this, interval * 1000);
    return new LocalWatcher(this.root, this.logger);
  }
}
