import {
  chmodSync,
  closeSync,
  fchmodSync,
  fstatSync,
  futimesSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeSync,
  type BigIntStats,
  type Dirent,
  type WriteStream,
  constants as fsConstants,
} from "node:fs";
import { constants } from "node:fs";
import { chmod, copyFile, mkdir, open, readdir, rmdir, stat, symlink, unlink, utimes } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { FileHandle } from "node:fs/promises";
import type { Readable } from "node:stream";
import {
  BackendError,
  CasMismatchError,
  ChangedDuringSyncError,
  PollingWatcher,
  StorageBackend,
  StorageUnavailableError,
  describeSystemError,
  isPartialName,
  isStaleTempFile,
  isTempName,
  partialFileName,
  type PreviousWrite,
  type ResumableWriter,
  OWN_DIR,
  isOwnPath,
  LocalVersionStore,
  sha256OfFile,
  type StoredVersion,
  tempFileName,
  type BackendCapabilities,
  type BackendContext,
  type Expected,
  type FileReader,
  type SafeReplaceWriter,
  type StorageEntry,
  type StorageWatcher,
  type WalkOptions,
  type WriteOptions,
  type WithinOptions,
  isWlError,
  assertExpected,
  casMismatch,
  foreignToken,
  isSameFile,
  localFileToken,
  placeFile,
  type StorageParams,
  PERMISSION_BITS,
  defaultFileMode,
} from "@wlsync/plugin-api";

import { LocalWatcher } from "./local-watcher.js";
import type { LocalStorageOptions } from "./storage-options.generated.js";
import { OPTIONS_SCHEMA, validateOptions } from "./storage-options.validate.generated.js";

const code = (err: unknown) => (err as NodeJS.ErrnoException)?.code;

/** What a directory entry that is neither file, folder nor link is, for the warning that skips it. */
function specialKind(st: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean }): string {
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  if (st.isBlockDevice() || st.isCharacterDevice()) return "a device";
  return "not a regular file";
}


/**
 * Opens the partial file of a previous resumable write for writing, if it is still the file
 * that write made (a regular file, same inode, never a link followed) and holds at least
 * `offset` bytes; the bytes after `offset` are cut off. Undefined otherwise.
 */
async function reopenPartial(file: string, previous: PreviousWrite): Promise<{ handle: FileHandle; ino: string } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, fsConstants.O_RDWR | fsConstants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const st = await handle.stat({ bigint: true });
    if (st.isFile() && String(st.ino) === previous.handle.ino && st.size >= BigInt(previous.offset)) {
      await handle.truncate(previous.offset);
      return { handle, ino: String(st.ino) };
    }
  } catch {
    // unreadable: not continued
  }
  await handle.close().catch(() => {});
  return undefined;
}

/** What probeFileSystem measures. */
interface ProbedFileSystem {
  caseSensitive: boolean;
  normalizesNames: boolean;
  hardLinks: boolean;
  symlinks: boolean;
  modes: boolean;
  timestampResolutionMs: number;
  realCtime: boolean;
}

/** Errors of link(2) that mean "no hard links here". */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "ENOSYS", "EMLINK"]);

const NOT_SUPPORTED = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK", "EINVAL"]);

/** See LocalBackend.probeCapabilities; null when `root` cannot be written. */
export function probeFileSystem(root: string): ProbedFileSystem | null {
  // "é" precomposed (NFC); its NFD form and its upper case must not find it on a plain Linux file system.
  const name = `${tempFileName()}-probe-\u00e9`;
  const file = join(root, name);
  const extra: string[] = [];
  try {
    writeFileSyncExclusive(file);
  } catch {
    return null;
  }
  try {
    const exists = (p: string) => lstatSync(p, { throwIfNoEntry: false }) !== undefined;
    const caseSensitive = !exists(join(root, name.toUpperCase()));
    const normalizesNames = exists(join(root, name.normalize("NFD")));
    const attempt = (fn: () => void): boolean => {
      try {
        fn();
        return true;
      } catch (err) {
        if (NOT_SUPPORTED.has(code(err) ?? "")) return false;
        throw err;
      }
    };
    extra.push(`${file}-link`, `${file}-symlink`);
    const hardLinks = attempt(() => linkSync(file, `${file}-link`));
    const symlinks = attempt(() => symlinkSync(name, `${file}-symlink`));
    const modes = attempt(() => chmodSync(file, 0o751)) && (lstatSync(file).mode & 0o777) === 0o751;
    // An odd second with a fraction: what comes back tells the step.
    utimesSync(file, 1_000_000_001.25, 1_000_000_001.25);
    let st = lstatSync(file, { bigint: true });
    const ns = st.mtimeNs % 1_000_000_000n;
    const timestampResolutionMs = ns !== 0n ? 1 : st.mtimeNs % 2_000_000_000n === 0n ? 2000 : 1000;
    st = lstatSync(file, { bigint: true });
    const realCtime = st.ctimeNs !== st.mtimeNs;
    return { caseSensitive, normalizesNames, hardLinks, symlinks, modes, timestampResolutionMs, realCtime };
  } catch {
    return null;
  } finally {
    for (const p of [...extra, file]) {
      try {
        unlinkSync(p);
      } catch {
        // not made
      }
    }
  }
}

function writeFileSyncExclusive(file: string): void {
  closeSync(openSync(file, "wx", 0o644));
}

/**
 * A local folder. Files are replaced through a temporary file in the same folder, re-checked
 * against what the plan saw, and renamed into place; new files are linked into place so an
 * existing name is never clobbered.
 */
export class LocalBackend extends StorageBackend {
  static override TYPE = "local";
  /** `path` (see schemas/storage-options.schema.json). */
  static override OPTIONS_SCHEMA = OPTIONS_SCHEMA;
  static override validateOptions = validateOptions;
  readonly root: string;
  readonly capabilities: BackendCapabilities = { symlinks: true, atomicCompareAndSwap: false, emptyDirs: true, versions: true };
  /** When each change-time is trusted: see probeCapabilities. */
  private timeStepNs = 1n;
  private ctimeCounts = true;
  /** `<root>/.wlsync/versions/`: what passes replaced or deleted here. */
  readonly versionStore: LocalVersionStore;
  private realRoot?: string;
  /** Device and inode of the root when first checked. */
  private rootId?: string;

  constructor(context: BackendContext) {
    super(context);
    // wl checked the entry against OPTIONS_SCHEMA; a program building the backend itself may not have.
    const { path } = context.params as StorageParams & Partial<LocalStorageOptions>;
    if (typeof path !== "string" || path === "") throw new BackendError(`storage ${this.backendId}: "path" is required for type local`, undefined, 3);
    this.root = resolve(context.configDir, path);
    this.versionStore = new LocalVersionStore(this.root);
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

  override localPath(): string {
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
    // The same folder for as long as this backend lives (a daemon job): an unmounted disk leaves
    // its empty mount point behind, which must not be synced as if everything was deleted. A
    // root with wl's identity marker (`.wlsync/storage-id`) may come back with another device
    // and inode (a disk mounted again, on another loop device): the engine then tells by the
    // marker whether it is the same storage; device and inode decide only where there is none.
    const id = `${st.dev}:${st.ino}`;
    this.rootId ??= id;
    if (id !== this.rootId && (await stat(join(this.root, OWN_DIR, "storage-id")).then((m) => m.isFile(), () => false))) this.rootId = id;
    if (id !== this.rootId) {
      throw new StorageUnavailableError(
        `storage ${this.backendId}: ${this.root} is no longer the folder it was (was its disk unmounted, or the folder replaced?); nothing is synced until it is back`,
      );
    }
    try {
      await readdir(this.root);
    } catch (err) {
      throw new StorageUnavailableError(`storage ${this.backendId}: cannot read ${this.root}: ${(err as Error).message}`, err);
    }
  }

  /**
   * Measures the file system at the root with one temporary file (never synced; removed at
   * once, or by the next pass if this one is killed): whether a name in other case or other
   * Unicode normalization finds it, whether link(2), symlink(2) and chmod(2) work, the step of
   * stored mtimes, and whether ctime is real (moves when mtime is set back). A root that cannot
   * be written keeps the previous (or the usual Linux) values.
   */
  override async probeCapabilities(): Promise<void> {
    const caps = probeFileSystem(this.root);
    if (!caps) return;
    Object.assign(this.capabilities, caps);
    this.timeStepNs = BigInt(Math.max(1, Math.round(caps.timestampResolutionMs * 1e6)));
    this.ctimeCounts = caps.realCtime;
  }

  override async rootIdentity(): Promise<string | null> {
    const st = await stat(this.root, { bigint: true });
    return `dev:${st.dev}:ino:${st.ino}`;
  }

  private entryOf(path: string, st: BigIntStats, linkTarget?: string): StorageEntry {
    const mode = this.capabilities.modes === false ? undefined : Number(st.mode) & 0o7777;
    if (st.isDirectory()) return { path, kind: "dir", size: 0, token: "dir", mtimeMs: Number(st.mtimeNs) / 1e6, mode };
    if (st.isSymbolicLink()) return { path, kind: "symlink", size: 0, token: `link:${linkTarget}`, mtimeMs: Number(st.mtimeNs) / 1e6, linkTarget };
    const entry: StorageEntry = { path, kind: "file", size: Number(st.size), token: localFileToken(st), mtimeMs: Number(st.mtimeNs) / 1e6, mode };
    if (!this.ctimeCounts) entry.tokenTrusted = false;
    else if (this.timeStepNs >= 1_000_000_000n) {
      // Coarse timestamps: a second write within the same step (its mtime set back or not)
      // leaves the same mtime and ctime. The later of the two, rounded up to the step, is when
      // the token starts to mean something. (Fine timestamps: every write moves ctime's own
      // nanoseconds, which are in the token; mtime alone sets the window, as before.)
      // biome-ignore lint/complexity/useMathMinMax: bigint nanoseconds (Math.max throws on bigints)
      const changed = st.ctimeNs > st.mtimeNs ? st.ctimeNs : st.mtimeNs;
      const step = this.timeStepNs;
      entry.changedMs = Number(((changed + step - 1n) / step) * step) / 1e6;
    }
    return entry;
  }

  /**
   * Breadth-first, with synchronous readdir and lstat: on a warm cache each costs a few µs of
   * CPU, where the promise API costs three to four times that (and its garbage). Entries are
   * handed out folder by folder, and the event loop gets a turn every few milliseconds so the
   * other side's scan, progress and the daemon keep going.
   */
  async *walk(options: WalkOptions): AsyncIterable<StorageEntry> {
    for await (const batch of this.walkBatches(options)) yield* batch;
  }

  /** A folder's entries per batch: readdir, then lstat each (synchronous: metadata is usually cached, and a promise per entry costs more than the call). */
  override async *walkBatches(options: WalkOptions): AsyncIterable<StorageEntry[]> {
    const include = options.include ?? (() => true);
    const start = options.under ?? "";
    const folders = [start];
    // Date.now(), not performance.now(): the global `performance` loads node:perf_hooks (and its
    // event target) on first use, a few ms of every start (bench/README.md); a 10 ms slice needs no more.
    let sliceStarted = Date.now();
    for (let i = 0; i < folders.length; i++) {
      const dir = folders[i]!;
      let dirents: Dirent[];
      try {
        dirents = readdirSync(this.full(dir), { withFileTypes: true });
      } catch (err) {
        if (dir === start && start !== "" && (code(err) === "ENOENT" || code(err) === "ENOTDIR")) return;
        if (dir !== "") {
          options.onWarning({ path: dir, message: `cannot list this folder (${code(err) ?? (err as Error).message}); nothing below it is synced this pass`, unlistedFolder: true });
          continue;
        }
        throw new StorageUnavailableError(`storage ${this.backendId}: cannot read ${this.root}: ${(err as Error).message}`, err);
      }
      // Leftovers of a killed pass go first: one may be a second link to a file listed here,
      // and unlinking it moves that file's ctime (its token) after it was read.
      const before = options.cleanStaleTemp;
      if (before !== undefined) {
        // (symlinks too: the file-system probe makes one; unlinking a link never touches its target)
        for (const d of dirents) if ((d.isFile() || d.isSymbolicLink()) && isTempName(d.name)) this.removeIfStale(dir === "" ? d.name : `${dir}/${d.name}`, before, options);
      }
      const found: StorageEntry[] = [];
      // Names from readdir need no normalising: plain concatenation (path.join costs a microsecond per entry).
      const folderPrefix = dir === "" ? `${this.root}/` : `${this.root}/${dir}/`;
      for (const d of dirents) {
        const path = dir === "" ? d.name : [dir, d.name].join("/"); // flat, not a rope (see localFileToken)
        if (dir === "" && d.name === OWN_DIR) continue; // wl's own folder (versions, marker): never a storage entry
        if (!include(path, d.isDirectory())) continue;
        let st: BigIntStats | undefined;
        try {
          st = lstatSync(folderPrefix + d.name, { bigint: true, throwIfNoEntry: false });
        } catch (err) {
          options.onWarning({ path, message: `cannot look at it (${code(err) ?? (err as Error).message}); it is left alone this pass`, unknown: true });
          continue;
        }
        if (!st) {
          // readdir decodes names as UTF-8: a name that is not valid UTF-8 comes back altered and cannot be found.
          if (d.name.includes("\uFFFD")) options.onWarning({ path, message: "its name is not valid UTF-8 and cannot be synced; rename it", unknown: true });
          continue; // else: deleted since it was listed
        }
        if (st.isDirectory()) {
          found.push(this.entryOf(path, st));
          folders.push(path);
        } else if (st.isFile()) {
          found.push(this.entryOf(path, st));
        } else if (st.isSymbolicLink()) {
          try {
            found.push(this.entryOf(path, st, readlinkSync(this.full(path))));
          } catch (err) {
            options.onWarning({ path, message: `cannot read this symlink (${code(err) ?? (err as Error).message}); it is left alone this pass`, unknown: true });
          }
        } else {
          options.onWarning({ path, message: `skipped: ${specialKind(st)} cannot be synced` });
        }
      }
      if (found.length) yield found;
      if (Date.now() - sliceStarted > 10) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = Date.now();
      }
    }
  }

  /** Removes a temporary file left by a killed pass (see isStaleTempFile); a live write is left alone. */
  private removeIfStale(path: string, before: number, options: WalkOptions): void {
    try {
      const st = lstatSync(this.full(path));
      if (!(st.isFile() || st.isSymbolicLink()) || !isStaleTempFile(path.slice(path.lastIndexOf("/") + 1), st.mtimeMs, before)) return;
      unlinkSync(this.full(path));
      this.logger.debug(`${this.backendId}: removed ${path}, left by an interrupted pass`);
    } catch (err) {
      if (code(err) !== "ENOENT") options.onWarning({ path, message: `cannot remove this temporary file left by an interrupted pass: ${(err as Error).message}` });
    }
  }

  override async stat(path: string): Promise<StorageEntry | null> {
    return this.entryAt(path);
  }

  /** What `stat` answers, read from the file system (never through an override: see assertExpected). */
  private entryAt(path: string): StorageEntry | null {
    try {
      const st = lstatSync(this.full(path), { bigint: true, throwIfNoEntry: false });
      if (!st) return null;
      if (st.isSymbolicLink()) return this.entryOf(path, st, readlinkSync(this.full(path)));
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

  /**
   * Throws CasMismatchError unless the path holds exactly what the caller expects (the plugin
   * API's verdict); returns what it checked, as lstat saw it right before the check. The last
   * looks (placeReplacing, isCheckedVersion, remove) compare that entry's token (inode, size,
   * times) with lstat: it is read from the file system, never through the overridable `stat`,
   * whose tokens a subclass may present otherwise (the kit's size-only backend does). A change
   * between this lstat and the check fails one of the two: the check or the last look.
   */
  private async assertExpected(path: string, expected: Expected): Promise<StorageEntry | null> {
    const before = this.entryAt(path);
    await assertExpected(this, path, expected);
    return before;
  }

  /**
   * Deletes the file or symlink at `path` by keeping it as a version: compare-and-swap against
   * `expected`, then rename(2) into `.wlsync/versions/<path>~<UTC time>` (same file system: no
   * copy; a crash leaves it in place or kept). The moved file must be the very one checked (same
   * inode, size and mtime, or the expected hash when its mtime is too recent to tell); if a write
   * reached it in between, it is put back (link(2): never over a newcomer) and the deletion is a
   * conflict. Returns false (nothing moved, checks done) when the store is on another file
   * system (a mount below the root): the caller then deletes as without versions.
   */
  private async setAside(path: string, expected: Expected): Promise<boolean> {
    const checked = await this.assertExpected(path, expected);
    let name: string;
    try {
      name = this.versionStore.moveIn(path, this.full(path));
    } catch (err) {
      if (code(err) === "ENOENT" || code(err) === "ENOTDIR") throw new CasMismatchError(`${path}: disappeared on ${this.backendId} since the plan was made`);
      if (code(err) === "EXDEV") return false;
      throw new BackendError(`cannot keep the old version on ${this.backendId} (${this.versionStore.dir}): ${describeSystemError(err)}`, err);
    }
    const abs = this.versionStore.absOf(name);
    if (await this.isCheckedVersion(abs, checked, expected)) return true;
    // RACE: written between the check and the rename: put back (link(2): never over a newcomer).
    try {
      linkSync(abs, this.full(path));
      this.versionStore.remove(name);
    } catch {
      // Something new is at the path already: the changed version stays in the store, nothing is lost.
    }
    throw new CasMismatchError(`${path}: changed on ${this.backendId} since the plan was made`);
  }

  /**
   * Before a replacement: keeps the file or symlink at `path` as a version by a second hard link
   * in the store (the file stays in place until the new content is renamed over it, so a crash
   * leaves it old or new), checked to be the very version the plan expected (as setAside).
   * Returns false when the store is on another file system.
   */
  private async keepBeforeReplace(path: string, expected: Expected): Promise<{ name: string; checked: StorageEntry | null } | null> {
    const checked = await this.assertExpected(path, expected);
    let name: string;
    try {
      name = this.versionStore.linkIn(path, this.full(path));
    } catch (err) {
      if (code(err) === "ENOENT" || code(err) === "ENOTDIR") throw new CasMismatchError(`${path}: disappeared on ${this.backendId} since the plan was made`);
      if (code(err) === "EXDEV") return null;
      throw new BackendError(`cannot keep the old version on ${this.backendId} (${this.versionStore.dir}): ${describeSystemError(err)}`, err);
    }
    if (await this.isCheckedVersion(this.versionStore.absOf(name), checked, expected)) return { name, checked };
    this.versionStore.remove(name); // a write came after the check: not the planned version, not replaced
    throw new CasMismatchError(`${path}: changed on ${this.backendId} since the plan was made`);
  }

  /** Whether the file kept at `abs` is the version `checked` (see setAside). */
  private async isCheckedVersion(abs: string, checked: StorageEntry | null, expected: Expected): Promise<boolean> {
    const st = lstatSync(abs, { bigint: true, throwIfNoEntry: false });
    if (!st || !checked) return false;
    if (expected.kind === "symlink") return st.isSymbolicLink() && readlinkSync(abs) === expected.target;
    // Stryker disable next-line ConditionalExpression: equivalent: only files and symlinks are ever kept, and symlinks returned above
    if (expected.kind !== "file" || !st.isFile()) return false;
    const [ino, size, mtimeNs] = checked.token.split(":");
    // A write sets mtime to the current time: an mtime that is old and unchanged means no write came.
    // Stryker disable next-line EqualityOperator: equivalent: at exactly 2000 ms either answer is safe (not settled: the hash decides)
    const settled = Date.now() - checked.mtimeMs > 2000;
    if (settled && String(st.ino) === ino && String(st.size) === size && String(st.mtimeNs) === mtimeNs) return true;
    try {
      return (await sha256OfFile(abs)) === expected.hash;
    } catch {
      return false;
    }
  }

  /**
   * The last look before a rename or an unlink at `full` (placeReplacing, remove): null when the
   * path holds, right now, the very entry a compare-and-swap checked (`checked`, from
   * assertExpected), else why not: "disappeared", or "changed" (another kind; a symlink's other
   * target; a file's other inode, size or mtime, or ctime unless `ctimeMoved`, as a link into the
   * version store moves it). A check can hash, which takes milliseconds: an editor's save renamed
   * onto the path meanwhile must not be replaced or deleted. Synchronous: callers act right after
   * it (the window left: two system calls; Node has no renameat2(RENAME_EXCHANGE)).
   */
  private lastLook(full: string, checked: StorageEntry | null, expected: Expected, ctimeMoved: boolean): "disappeared" | "changed" | null {
    const now = lstatSync(full, { bigint: true, throwIfNoEntry: false });
    if (!now) return "disappeared";
    if (expected.kind === "symlink") return now.isSymbolicLink() && readlinkSync(full) === expected.target ? null : "changed";
    if (checked?.kind !== "file") return null; // a folder: rmdir(2) refuses one that is not empty
    const [ino, size, mtimeNs, ctimeNs] = checked.token.split(":");
    const same = String(now.ino) === ino && String(now.size) === size && String(now.mtimeNs) === mtimeNs && (ctimeMoved || String(now.ctimeNs) === ctimeNs);
    return same ? null : "changed";
  }

  /**
   * Puts the temporary file `tmp` at `path` in place of what `expected` says is there: a new
   * name by link(2); a replaced file is first kept as a version where versions are on (checked
   * there to be the planned one), else re-checked; then renamed over.
   */
  private async placeReplacing(tmp: string, full: string, path: string, expected: Expected): Promise<void> {
    if (expected.kind === "absent") return this.place(tmp, full, path, expected);
    const keep = (expected.kind === "file" || expected.kind === "symlink") && this.keepsVersions && !isOwnPath(path);
    // Without hard links (FAT, exFAT) the old version is moved into the store, not linked there:
    // a crash before the rename below leaves the path empty, and the old version kept.
    const movedAside = keep && this.capabilities.hardLinks === false && (await this.setAside(path, expected));
    const linked = keep && !movedAside && this.capabilities.hardLinks !== false ? await this.keepBeforeReplace(path, expected) : null;
    const checked = movedAside || linked !== null ? null : await this.assertExpected(path, expected);
    // The checks above take time (hashing a recent file goes through the thread pool): a save that
    // renamed a new file onto the path meanwhile (as editors save) would be replaced by the rename
    // below, and lost (the store holds the version checked, not the save). So the path must hold,
    // right now, the very file that was checked and kept: synchronous calls from here to the
    // rename, no turn of the event loop in between.
    // Linked into the store, the file's ctime moved with the link; a write into that inode that
    // leaves inode, size and mtime as they were (within one timestamp tick) goes into the store
    // with it: kept, not lost. Not linked: even the ctime is as checked.
    const changed = movedAside
      ? lstatSync(full, { throwIfNoEntry: false }) // the path was emptied by the move into the store
        ? "appeared"
        : null
      : this.lastLook(full, linked?.checked ?? checked, expected, linked !== null);
    if (changed) {
      // The planned version stays kept when it was moved out of the path (a save took its place); a link to it goes.
      if (linked !== null) this.versionStore.remove(linked.name);
      throw casMismatch(path, this.backendId, changed);
    }
    // RACE: a file renamed onto the path between the lstat above and this rename is replaced
    // (two system calls in a row, microseconds; Linux's renameat2(RENAME_EXCHANGE) would close it, Node has no binding).
    renameSync(tmp, full);
  }

  override async listVersions(under = ""): Promise<StoredVersion[]> {
    return this.versionStore.list(under);
  }

  override async openVersion(version: StoredVersion): Promise<Readable> {
    const handle = await open(this.versionStore.absOf(version.name), "r");
    // Stryker disable next-line ObjectLiteral: equivalent: the buffer size only (64 KiB or 1 MiB reads)
    return handle.createReadStream({ highWaterMark: 1 << 20 });
  }

  override async removeVersion(version: StoredVersion): Promise<void> {
    this.versionStore.remove(version.name);
  }

  /**
   * The folder a file is about to be written into. Missing parents are created only when the
   * plan allows it: a folder that existed earlier in the pass and is gone now was removed by
   * someone, and a write must not bring it back.
   */
  private ensureParent(path: string, dir: string, createParents: boolean | undefined): void {
    if (createParents === false) {
      let isDir = false;
      try {
        isDir = lstatSync(dir).isDirectory();
      } catch {
        // gone
      }
      if (!isDir) throw new ChangedDuringSyncError(`${path}: its folder was removed from ${this.backendId} during the pass; not recreated`);
      return;
    }
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new BackendError(`cannot create its folder on ${this.backendId}: ${describeSystemError(err)}`, err);
    }
  }

  /**
   * The entry of a file just put in place (`written`: the temporary file's stats). If someone
   * changed or moved the path between the rename and now, the token is theirs: it is marked so
   * that it is neither cached with our hash nor mistaken for our own write, and the next pass
   * sees their change as news.
   */
  private async placedEntry(path: string, written: BigIntStats): Promise<StorageEntry> {
    const foreign = { ...this.entryOf(path, written), token: foreignToken(written) };
    let now: BigIntStats | null = null;
    try {
      now = lstatSync(this.full(path), { bigint: true });
    } catch {
      return foreign;
    }
    if (!isSameFile(now, written)) return foreign;
    return this.entryOf(path, now); // the file placed (same inode), its token as of now: no second lstat
  }

  async openForSafeReplace(path: string, expected: Expected, options: WriteOptions = {}): Promise<SafeReplaceWriter> {
    const full = this.full(path);
    const dir = dirname(full);
    await this.assertExpected(path, expected);
    this.ensureParent(path, dir, options.createParents);
    const tmp = join(dir, tempFileName());
    let handle: FileHandle;
    try {
      handle = await open(tmp, "wx", 0o600);
    } catch (err) {
      throw new BackendError(`cannot write it on ${this.backendId}: ${describeSystemError(err)}`, err);
    }
    return this.tempWriter(path, expected, options, tmp, handle, 0);
  }

  /**
   * openForSafeReplace for a large copy that a later pass may continue: the bytes go to a
   * partial file (`.wlsync-tmp-<host>-<pid>-<random>.part`, see partialFileName) that is left in
   * place when the pass is killed or stopped. A previous write is continued only when its file
   * is still the one this backend made (same name pattern, same inode: not a file put there
   * since) and holds at least the checkpoint's bytes; the bytes after the checkpoint are cut off.
   */
  override async openResumable(path: string, expected: Expected, options: WriteOptions, previous?: PreviousWrite): Promise<ResumableWriter> {
    const full = this.full(path);
    const dir = dirname(full);
    await this.assertExpected(path, expected);
    this.ensureParent(path, dir, options.createParents);
    const previousName = previous && typeof previous.handle.name === "string" && isPartialName(previous.handle.name) ? previous.handle.name : undefined;
    if (previous && previousName) {
      const kept = previous.keep ? await reopenPartial(join(dir, previousName), previous) : undefined;
      if (kept) return this.tempWriter(path, expected, options, join(dir, previousName), kept.handle, previous.offset, kept.ino);
      await unlink(join(dir, previousName)).catch(() => {}); // not continued: our own leftover goes
    }
    const tmp = join(dir, partialFileName());
    let handle: FileHandle;
    try {
      handle = await open(tmp, "wx", 0o600);
    } catch (err) {
      throw new BackendError(`cannot write it on ${this.backendId}: ${describeSystemError(err)}`, err);
    }
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: not observable here: inode numbers below 2^53 read the same as a number or a bigint
    return this.tempWriter(path, expected, options, tmp, handle, 0, String((await handle.stat({ bigint: true })).ino));
  }

  /** The writer of openForSafeReplace / openResumable over the open temporary file `tmp`. */
  private tempWriter(path: string, expected: Expected, options: WriteOptions, tmp: string, handle: FileHandle, offset: number): SafeReplaceWriter;
  private tempWriter(path: string, expected: Expected, options: WriteOptions, tmp: string, handle: FileHandle, offset: number, ino: string): ResumableWriter;
  private tempWriter(path: string, expected: Expected, options: WriteOptions, tmp: string, handle: FileHandle, offset: number, ino?: string): SafeReplaceWriter | ResumableWriter {
    const full = this.full(path);
    // The bytes come either through `stream` (made on first use, it owns and closes the
    // handle) or through writeAt (positional writes on the handle, closed here).
    let stream: WriteStream | undefined;
    let streamClosed: Promise<void> | undefined;
    let closed = false;
    const close = async (): Promise<void> => {
      if (stream) await streamClosed;
      else if (!closed) {
        closed = true;
        await handle.close();
      }
    };
    return {
      get stream() {
        if (!stream) {
          const s = handle.createWriteStream({ highWaterMark: 1 << 20, start: offset });
          streamClosed = new Promise<void>((ok, ko) => {
            s.once("close", ok);
            s.once("error", ko);
          });
          streamClosed.catch(() => {});
          stream = s;
        }
        return stream;
      },
      writeAt: async (buffer: Buffer, length: number, position: number) => {
        // Stryker disable next-line ArithmeticOperator: equivalent on local files: write(2) to a regular file writes the whole buffer unless the disk is full (the loop only continues a short write)
        for (let done = 0; done < length; ) done += (await handle.write(buffer, done, length - done, position + done)).bytesWritten;
      },
      commit: async () => {
        await close();
        let written: BigIntStats;
        try {
          if (this.capabilities.modes !== false) await chmod(tmp, options.mode ?? defaultFileMode());
          if (options.mtimeMs !== undefined) await utimes(tmp, Date.now() / 1000, options.mtimeMs / 1000);
          written = lstatSync(tmp, { bigint: true });
          await this.placeReplacing(tmp, full, path, expected);
        } catch (err) {
          await unlink(tmp).catch(() => {});
          throw err;
        }
        return this.placedEntry(path, written);
      },
      abort: async () => {
        stream?.destroy();
        await close().catch(() => {});
        await unlink(tmp).catch(() => {});
      },
      handle: { name: basename(tmp), ino: ino ?? null },
      offset,
      openPrefixReader: async () => {
        const reader = await open(tmp, "r");
        return { read: async (buffer, position) => (await reader.read(buffer, 0, buffer.length, position)).bytesRead, close: () => reader.close() };
      },
      suspend: async () => {
        stream?.destroy();
        await close().catch(() => {});
      },
    };
  }

  /**
   * Renames the file at `from` to `path` (see StorageBackend.moveWithin): checked to hold
   * `hash`, then linked to the new name (link(2) never replaces a name that appeared) and
   * unlinked from the old one; without hard links, renamed after re-checking that the new name
   * is free. The file placed must be the very one checked (as setAside), else it goes back and
   * the move is refused. Only new names (`expected` absent): anything else is left to a transfer.
   */
  override async moveWithin(from: string, path: string, options: WithinOptions): Promise<StorageEntry> {
    if (options.expected.kind !== "absent") throw new BackendError(`${path}: a move onto an existing file is not made on ${this.backendId}`);
    const expected: Expected = { kind: "file", hash: options.hash };
    const checked = await this.assertExpected(from, expected);
    const full = this.full(path);
    const fromFull = this.full(from);
    this.ensureParent(path, dirname(full), options.createParents);
    const linked = this.capabilities.hardLinks !== false && this.tryLink(fromFull, full, path);
    if (!linked) {
      // No hard links here (FAT, exFAT): rename(2) would replace a name that appeared, so check first.
      // RACE: a file created at `path` between this check and the rename is replaced (microseconds).
      if (lstatSync(full, { throwIfNoEntry: false })) throw casMismatch(path, this.backendId, "appeared");
      try {
        renameSync(fromFull, full);
      } catch (err) {
        throw new BackendError(`cannot move ${from} to ${path} on ${this.backendId}: ${describeSystemError(err)}`, err);
      }
    }
    // RACE: a write reaching the file between the hash check and the link is caught here.
    if (!(await this.isCheckedVersion(full, checked, expected))) {
      try {
        if (!linked) linkSync(full, fromFull);
        unlinkSync(full);
      } catch {
        // Something new is at the old name: the changed file stays at the new one, nothing is lost.
      }
      throw casMismatch(from, this.backendId, "changed");
    }
    if (linked) {
      // The check above can take milliseconds (a hash): a save renamed onto the old name meanwhile
      // (a new inode) must not be unlinked with it. Synchronous from here to the unlink.
      const atFrom = lstatSync(fromFull, { bigint: true, throwIfNoEntry: false });
      const atNew = lstatSync(full, { bigint: true, throwIfNoEntry: false });
      if (atFrom && (!atNew || atFrom.ino !== atNew.ino || atFrom.dev !== atNew.dev)) {
        try {
          unlinkSync(full); // the moved content lives on where the move came from (the other storage)
        } catch {
          // gone already
        }
        throw casMismatch(from, this.backendId, "changed");
      }
      // RACE: a save renamed onto the old name between the lstat above and this unlink is deleted (microseconds).
      try {
        unlinkSync(fromFull);
      } catch (err) {
        if (code(err) !== "ENOENT") {
          unlinkSync(full);
          throw new BackendError(`cannot move ${from} on ${this.backendId}: ${describeSystemError(err)}`, err);
        }
      }
    }
    return this.finishWithin(path, full, options);
  }

  /**
   * Copies the file at `from` to `path` inside the file system (copy_file_range, or a reflink
   * where the file system shares blocks: btrfs, XFS): to a temporary file in the folder,
   * verified by sha256, then linked into place (never over a name that appeared).
   */
  override async copyWithin(from: string, path: string, options: WithinOptions): Promise<StorageEntry> {
    if (options.expected.kind !== "absent") throw new BackendError(`${path}: a copy onto an existing file is not made on ${this.backendId}`);
    await this.assertExpected(from, { kind: "file", hash: options.hash });
    const full = this.full(path);
    this.ensureParent(path, dirname(full), options.createParents);
    const tmp = join(dirname(full), tempFileName());
    try {
      await copyFile(this.full(from), tmp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
      if ((await sha256OfFile(tmp)) !== options.hash) throw casMismatch(from, this.backendId, "changed");
      if (this.capabilities.modes !== false) await chmod(tmp, options.mode ?? 0o644);
      if (options.mtimeMs !== undefined) await utimes(tmp, Date.now() / 1000, options.mtimeMs / 1000);
      const written = lstatSync(tmp, { bigint: true });
      await this.place(tmp, full, path, options.expected);
      return this.placedEntry(path, written);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      if (isWlError(err)) throw err;
      throw new BackendError(`cannot copy ${from} to ${path} on ${this.backendId}: ${describeSystemError(err)}`, err);
    }
  }

  /** link(2) `full` to the file at `fromFull`: false when this file system has no hard links; a taken name is a conflict. */
  private tryLink(fromFull: string, full: string, path: string): boolean {
    try {
      linkSync(fromFull, full);
      return true;
    } catch (err) {
      if (code(err) === "EEXIST") throw casMismatch(path, this.backendId, "appeared");
      if (NO_HARD_LINKS.has(code(err) ?? "")) return false;
      throw new BackendError(`cannot move it to ${path} on ${this.backendId}: ${describeSystemError(err)}`, err);
    }
  }

  /** A file just moved into place: its mode and mtime as on the other side, and its entry now. */
  private finishWithin(path: string, full: string, options: WithinOptions): StorageEntry {
    try {
      if (this.capabilities.modes !== false && options.mode !== undefined) chmodSync(full, options.mode);
      if (options.mtimeMs !== undefined) utimesSync(full, Date.now() / 1000, options.mtimeMs / 1000);
    } catch {
      // Metadata only: the content is in place; a mode or time that differs is seen next pass.
    }
    return this.entryOf(path, lstatSync(full, { bigint: true }));
  }

  /** Positional reads on an open handle: a large copy reuses its buffers (core's copyOne). */
  override async openReader(path: string): Promise<FileReader> {
    const handle = await open(this.full(path), "r");
    return {
      read: async (buffer, position) => (await handle.read(buffer, 0, buffer.length, position)).bytesRead,
      close: () => handle.close(),
    };
  }

  /**
   * A small file read with synchronous open/read/fstat/close: on a warm cache each takes a few
   * µs, where every promise round trip through the thread pool costs more than the work. The
   * token comes from the open descriptor after the bytes were read.
   */
  override async readWhole(path: string): Promise<{ data: Buffer; token: string | null }> {
    const fd = openSync(this.full(path), "r");
    try {
      // A file that grows or shrinks meanwhile gets another token: the caller sees it changed.
      const data = Buffer.allocUnsafe(Number(fstatSync(fd, { bigint: true }).size));
      let got = 0;
      while (got < data.length) {
        const n = readSync(fd, data, got, data.length - got, got);
        if (n === 0) break;
        got += n;
      }
      return { data: data.subarray(0, got), token: localFileToken(fstatSync(fd, { bigint: true })) };
    } finally {
      closeSync(fd);
    }
  }

  /**
   * openForSafeReplace + commit for a small file, with synchronous calls (see readWhole): the
   * bytes go to a new temporary file in the same folder (mode and mtime set on the descriptor),
   * which is then linked into place when the path must be absent (link(2) is the atomic
   * create-if-absent) or renamed over the file after re-checking its hash.
   */
  override async replaceWhole(path: string, expected: Expected, data: Buffer, _hash: string, options: WriteOptions = {}): Promise<StorageEntry> {
    const full = this.full(path);
    if (expected.kind !== "absent") await this.assertExpected(path, expected);
    const tmp = join(dirname(full), tempFileName());
    let fd: number;
    try {
      fd = openSync(tmp, "wx", 0o600);
    } catch (err) {
      if (code(err) !== "ENOENT") throw new BackendError(`cannot write it on ${this.backendId}: ${describeSystemError(err)}`, err);
      this.ensureParent(path, dirname(full), options.createParents);
      try {
        fd = openSync(tmp, "wx", 0o600);
      } catch (err2) {
        throw new BackendError(`cannot write it on ${this.backendId}: ${describeSystemError(err2)}`, err2);
      }
    }
    let written: BigIntStats;
    try {
      try {
        for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done);
        if (this.capabilities.modes !== false) fchmodSync(fd, options.mode ?? defaultFileMode());
        if (options.mtimeMs !== undefined) futimesSync(fd, Date.now() / 1000, options.mtimeMs / 1000);
        written = fstatSync(fd, { bigint: true });
      } finally {
        closeSync(fd);
      }
      await this.placeReplacing(tmp, full, path, expected);
    } catch (err) {
      try {
        unlinkSync(tmp);
      } catch {
        // already linked into place and removed, or never created
      }
      throw err;
    }
    return this.placedEntry(path, written);
  }

  /**
   * chmod(2) of a file that still has the token (and mode) the plan saw; see StorageBackend.setMode.
   * Nothing else is touched: the content stays, the file keeps its inode and mtime.
   */
  override async setMode(path: string, mode: number, expected: Pick<StorageEntry, "token" | "mode">): Promise<StorageEntry> {
    if (this.capabilities.modes === false) return super.setMode(path, mode, expected);
    const now = await this.stat(path);
    if (now?.kind !== "file") throw casMismatch(path, this.backendId, now ? "is no longer a file" : "disappeared");
    if (now.token !== expected.token || (expected.mode !== undefined && now.mode !== expected.mode)) throw casMismatch(path, this.backendId, "changed");
    try {
      // RACE: a write or chmod landing between the check above and this call (microseconds) is
      // not refused; a chmod loses no content either way.
      chmodSync(this.full(path), mode & PERMISSION_BITS);
    } catch (err) {
      throw new BackendError(`cannot change its permissions on ${this.backendId}: ${describeSystemError(err)}`, err);
    }
    const after = await this.stat(path);
    if (!after) throw new ChangedDuringSyncError(`${path}: disappeared from ${this.backendId} right after its permissions were changed`);
    return after;
  }

  /** The plugin API's placeFile: link(2) for a new file, else re-check then rename(2). */
  private place(tmp: string, full: string, path: string, expected: Expected): Promise<void> {
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: equivalent: where probing found no hard links, link(2) fails (EPERM, ENOTSUP) and placeFile falls back to the same re-check and rename
    return placeFile(tmp, full, expected, { path, backendId: this.backendId, hardLinks: this.capabilities.hardLinks !== false, recheck: () => this.assertExpected(path, expected) });
  }

  async mkdir(path: string): Promise<void> {
    try {
      mkdirSync(this.full(path), { recursive: true }); // µs on a local disk: no thread-pool round trip
    } catch (err) {
      throw new BackendError(`cannot create this folder on ${this.backendId}: ${describeSystemError(err)}`, err);
    }
  }

  async remove(path: string, expected: Expected): Promise<void> {
    if ((expected.kind === "file" || expected.kind === "symlink") && this.keepsVersions && !isOwnPath(path) && (await this.setAside(path, expected))) return;
    const checked = await this.assertExpected(path, expected);
    try {
      if (expected.kind === "dir") await rmdir(this.full(path));
      else {
        // The check can hash (milliseconds): a save renamed onto the path meanwhile must not be
        // deleted. Synchronous from this look to the unlink (the window left: two system calls).
        const changed = this.lastLook(this.full(path), checked, expected, false);
        if (changed === "disappeared") return;
        if (changed) throw casMismatch(path, this.backendId, changed);
        unlinkSync(this.full(path));
      }
    } catch (err) {
      if (isWlError(err)) throw err;
      if (code(err) === "ENOENT") return;
      // Stryker disable next-line ConditionalExpression,StringLiteral: not testable here: some file systems answer rmdir(2) of a non-empty folder with EEXIST (POSIX allows both); ext4 and tmpfs say ENOTEMPTY
      if (code(err) === "ENOTEMPTY" || code(err) === "EEXIST") {
        throw new BackendError(`${path}/: not deleted on ${this.backendId}: the folder still holds files that are not synced (ignored or unreadable)`, err);
      }
      throw new BackendError(`cannot delete it on ${this.backendId}: ${describeSystemError(err)}`, err);
    }
  }

  async symlink(path: string, target: string, expected: Expected): Promise<void> {
    await this.assertExpected(path, expected);
    await mkdir(dirname(this.full(path)), { recursive: true });
    try {
      await symlink(target, this.full(path));
    } catch (err) {
      if (code(err) === "EEXIST") throw casMismatch(path, this.backendId, "appeared");
      throw new BackendError(`cannot create this symlink on ${this.backendId}: ${describeSystemError(err)}`, err);
    }
  }

  /** The polling watcher when the storage sets watcher-interval, else kernel events (inotify through fs.watch). */
  watcher(): StorageWatcher {
    const interval = this.params["watcher-interval"];
    if (typeof interval === "number") return new PollingWatcher(this, interval * 1000);
    return new LocalWatcher(this.root, this.logger);
  }
}
