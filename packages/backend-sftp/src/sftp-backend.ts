import { posix } from "node:path";
import { Readable, Writable } from "node:stream";
import {
  BackendError,
  CasMismatchError,
  SMALL_FILE_BYTES,
  ChangedDuringSyncError,
  PollingWatcher,
  StorageBackend,
  StorageUnavailableError,
  errorMessage,
  forEachLimit,
  isWlError,
  isStaleTempFile,
  isTempName,
  isPartialName,
  partialFileName,
  tempFileName,
  PERMISSION_BITS,
  type BackendCapabilities,
  type BackendContext,
  type Expected,
  type FileReader,
  type PreviousWrite,
  type ResumableWriter,
  type SafeReplaceWriter,
  type StorageEntry,
  type StorageWatcher,
  type WalkOptions,
  type WriteOptions,
  type WithinOptions,
} from "@wlsync/plugin-api";
import type { Stats } from "ssh2";
import { FIND_FIELDS, FIND_FORMAT, RemoteStatter, normaliseTime, parseStatLine, timeToMs, tokenOfRemote, type RemoteAttrs } from "./remote-stat.js";
import { SftpIo, SFTP_STATUS, statusOf } from "./sftp-io.js";
import { knownHostsName, readSftpOptions, type SftpOptions } from "./sftp-options.js";
import { SshSession, shellQuote } from "./ssh-session.js";
import { OPTIONS_SCHEMA, validateOptions } from "./storage-options.validate.generated.js";

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** Files at least this big are hashed on the server (sha256sum) when a remote shell is allowed. */
const REMOTE_HASH_MIN_BYTES = 256 * 1024;
/** rsync's staging folders at a storage root (see the rsync syncer); removed a day after a killed pass left one. */
const STAGING_FOLDER = /^\.wlsync-tmp-rsync-\d+-[0-9a-f]+$/;
const STALE_STAGING_MS = 24 * 3600_000;
/** Folders listed at once during a walk. */
const LIST_CONCURRENCY = 16;

/**
 * Token of a file from its SFTP attributes: size and mtime. SFTP (version 3, what OpenSSH
 * speaks) gives whole-second mtimes and no inode or ctime, so two writes of the same size
 * within one second share a token: such a token is not trusted until two seconds after its
 * mtime (core's racy rule, which uses a 2 s window for whole-second mtimes), and the file is
 * hashed again until then.
 */
export function tokenOfAttrs(attrs: Pick<Stats, "size" | "mtime">): string {
  return `${attrs.size}:${attrs.mtime}`;
}

/** One entry as the server describes it, through GNU stat/find (shell) or SFTP attributes. */
interface Seen {
  type: string;
  size: number;
  token: string;
  mtimeMs: number;
  perm: number;
  /** What stays the same when the file is renamed (for "is it still ours" after placing it). */
  id: string;
}

function seenFromAttrs(attrs: Pick<Stats, "size" | "mtime" | "mode">): Seen {
  const t = attrs.mode & S_IFMT;
  const type = t === S_IFREG ? "f" : t === S_IFDIR ? "d" : t === S_IFLNK ? "l" : "?";
  const token = tokenOfAttrs(attrs);
  return { type, size: attrs.size, token, mtimeMs: attrs.mtime * 1000, perm: attrs.mode & 0o7777, id: token };
}

function seenFromRemote(a: RemoteAttrs): Seen {
  return { type: a.type, size: a.size, token: tokenOfRemote(a), mtimeMs: timeToMs(a.mtime), perm: a.perm, id: `${a.ino}:${a.size}:${a.mtime}` };
}

/** What a remote SSH storage offers to programs that reach it on their own (rsync over ssh). */
export interface RemoteShellTarget {
  /** `user@host`. */
  destination: string;
  port: number;
  identityFile?: string;
  knownHosts: string;
  /** The storage's folder on the server, absolute. */
  root: string;
  /** `ssh` and its options, ready for rsync's `-e` (host keys checked, no prompts). */
  sshCommand: string[];
}

/**
 * A folder on a server reached over SSH (SFTP). The host key is checked against known_hosts
 * before anything is sent. Files are written to a temporary name in their folder, re-checked
 * against what the plan saw, and renamed into place (posix-rename@openssh.com); new files are
 * hard-linked into place (hardlink@openssh.com), which fails instead of replacing a file that
 * appeared meanwhile. Large files are hashed on the server with sha256sum when a shell is allowed.
 */
export class SftpBackend extends StorageBackend {
  static override TYPE = "sftp";
  /** host, port, user, path, identity-file, known-hosts, remote-shell, connect-timeout (see schemas/storage-options.schema.json). */
  static override OPTIONS_SCHEMA = OPTIONS_SCHEMA;
  static override validateOptions = validateOptions;
  readonly options: SftpOptions;
  readonly capabilities: BackendCapabilities = { symlinks: true, atomicCompareAndSwap: false, emptyDirs: true, modes: true };
  private connecting?: Promise<SshSession>;
  private current?: SshSession;
  private rootAbs?: string;
  private shell?: boolean;
  private statter?: RemoteStatter;
  private extensions = { hardlink: true, posixRename: true };

  constructor(context: BackendContext) {
    super(context);
    this.options = readSftpOptions(context.params, context.configDir);
  }

  identity(): string {
    const o = this.options;
    const path = o.path.startsWith("/") ? posix.normalize(o.path) : `~/${posix.normalize(o.path)}`;
    return `sftp:${o.user}@${knownHostsName(o.host, o.port)}:${path.replace(/\/+$/, "") || "/"}`;
  }

  describe(): string {
    return `${this.options.user}@${knownHostsName(this.options.host, this.options.port)}:${this.options.path}`;
  }

  /** The live session, connecting (again, after a dropped connection) when needed. */
  private async session(): Promise<SshSession> {
    if (this.current && !this.current.closed) return this.current;
    if (this.current?.closed && !this.connecting) this.logger.warn(`${this.backendId}: ${this.current.closed}; reconnecting`);
    this.connecting ??= (async () => {
      try {
        const session = await SshSession.connect(this.options, this.backendId);
        const io = new SftpIo(session.sftp, session.lost);
        try {
          this.rootAbs = await io.realpath(this.options.path);
        } catch (err) {
          session.close();
          if (statusOf(err) === SFTP_STATUS.NO_SUCH_FILE) {
            throw new StorageUnavailableError(`storage ${this.backendId}: folder ${this.options.path} does not exist on ${this.options.host} (create it to start syncing into it)`);
          }
          throw new StorageUnavailableError(`storage ${this.backendId}: cannot access ${this.options.path} on ${this.options.host}: ${errorMessage(err)}`, err);
        }
        const exts = (session.sftp as unknown as { _extensions?: Record<string, string> })._extensions ?? {};
        this.extensions = { hardlink: "hardlink@openssh.com" in exts, posixRename: "posix-rename@openssh.com" in exts };
        this.shell = this.options.remoteShell === false ? false : await this.probeShell(session);
        this.statter = this.shell ? new RemoteStatter(session) : undefined;
        this.current = session;
        return session;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  private async probeShell(session: SshSession): Promise<boolean> {
    try {
      const r = await session.exec("LC_ALL=C; export LC_ALL; sha256sum --version >/dev/null 2>&1 && find / -maxdepth 0 -printf '%T@' >/dev/null 2>&1 && stat -c '%.9Y' / >/dev/null 2>&1 && echo wlsync-shell-ok");
      const ok = r.code === 0 && r.stdout.toString().includes("wlsync-shell-ok");
      if (!ok && this.options.remoteShell === true) throw new Error(r.stderr.trim() || `exit code ${r.code}`);
      return ok;
    } catch (err) {
      if (this.options.remoteShell === true) {
        throw new StorageUnavailableError(`storage ${this.backendId}: remote-shell is true, but GNU find, stat and sha256sum cannot be run on ${this.options.host}: ${errorMessage(err)}`);
      }
      return false;
    }
  }

  private async io(): Promise<SftpIo> {
    const session = await this.session();
    return new SftpIo(session.sftp, session.lost);
  }

  /** Absolute remote path of a storage path (the root is known once connected). */
  private full(path: string): string {
    if (!this.rootAbs) throw new BackendError(`storage ${this.backendId}: not connected`);
    return path === "" ? this.rootAbs : `${this.rootAbs}/${path}`;
  }

  /** Whether commands run on the server (after the first connection). */
  get remoteShell(): boolean {
    return !!this.shell;
  }

  /** The settings rsync's `-e ssh` needs to reach this storage. Connects first. */
  async remoteShellTarget(): Promise<RemoteShellTarget> {
    await this.session();
    const o = this.options;
    const sshCommand = ["ssh", "-p", String(o.port), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", `UserKnownHostsFile=${o.knownHosts}`, "-o", "LogLevel=ERROR"];
    if (o.identityFile) sshCommand.push("-i", o.identityFile, "-o", "IdentitiesOnly=yes");
    return { destination: `${o.user}@${o.host}`, port: o.port, identityFile: o.identityFile, knownHosts: o.knownHosts, root: this.full(""), sshCommand };
  }

  async checkRoot(): Promise<void> {
    const io = await this.io();
    let st: Stats;
    try {
      st = await io.stat(this.full(""));
    } catch (err) {
      if (statusOf(err) === SFTP_STATUS.NO_SUCH_FILE) {
        throw new StorageUnavailableError(`storage ${this.backendId}: folder ${this.describe()} does not exist (create it on the server to start syncing into it)`, err);
      }
      throw new StorageUnavailableError(`storage ${this.backendId}: cannot access ${this.describe()}: ${this.describeError(err)}`, err);
    }
    if ((st.mode & S_IFMT) !== S_IFDIR) throw new StorageUnavailableError(`storage ${this.backendId}: ${this.describe()} is not a folder`);
    try {
      await io.readdir(this.full(""));
    } catch (err) {
      throw new StorageUnavailableError(`storage ${this.backendId}: cannot read ${this.describe()}: ${this.describeError(err)}`, err);
    }
  }

  private describeError(err: unknown): string {
    switch (statusOf(err)) {
      case SFTP_STATUS.NO_SUCH_FILE:
        return "no such file or folder";
      case SFTP_STATUS.PERMISSION_DENIED:
        return "permission denied";
      default:
        return errorMessage(err);
    }
  }

  private entryOf(path: string, seen: Seen, linkTarget?: string): StorageEntry | null {
    const { mtimeMs } = seen;
    if (seen.type === "d") return { path, kind: "dir", size: 0, token: "dir", mtimeMs, mode: seen.perm };
    if (seen.type === "l") return { path, kind: "symlink", size: 0, token: `link:${linkTarget}`, mtimeMs, linkTarget };
    if (seen.type === "f") return { path, kind: "file", size: seen.size, token: seen.token, mtimeMs, mode: seen.perm };
    return null;
  }

  /**
   * lstat of a remote path: through the stat loops when a shell is allowed (inode, ns times),
   * else SFTP. Null when absent.
   */
  private async look(abs: string): Promise<Seen | null> {
    await this.session();
    if (this.statter && !abs.includes("\n")) {
      const a = await this.statter.stat(abs).catch((err: unknown) => {
        throw new BackendError(`cannot look at ${abs} on ${this.backendId}: ${errorMessage(err)}`, err);
      });
      return a ? seenFromRemote(a) : null;
    }
    const io = await this.io();
    try {
      return seenFromAttrs(await io.lstat(abs));
    } catch (err) {
      if (statusOf(err) === SFTP_STATUS.NO_SUCH_FILE) return null;
      throw new BackendError(`cannot look at ${abs} on ${this.backendId}: ${this.describeError(err)}`, err);
    }
  }

  async *walk(options: WalkOptions): AsyncIterable<StorageEntry> {
    for await (const batch of this.walkBatches(options)) yield* batch;
  }

  /** Lists folder by folder, LIST_CONCURRENCY folders in flight; one batch per folder. */
  override async *walkBatches(options: WalkOptions): AsyncIterable<StorageEntry[]> {
    const io = await this.io();
    if (this.shell) {
      yield* this.walkWithFind(io, options);
      return;
    }
    const include = options.include ?? (() => true);
    const start = options.under ?? "";
    const pending = [start];
    const inFlight = new Map<number, Promise<{ id: number; batch: StorageEntry[] }>>();
    let nextId = 0;
    const list = async (dir: string): Promise<StorageEntry[]> => {
      let names;
      try {
        names = await io.readdir(this.full(dir));
      } catch (err) {
        if (dir === start && start !== "" && statusOf(err) === SFTP_STATUS.NO_SUCH_FILE) return [];
        if (dir !== "") {
          options.onWarning({ path: dir, message: `cannot list this folder (${this.describeError(err)}); nothing below it is synced this pass`, unlistedFolder: true });
          return [];
        }
        throw new StorageUnavailableError(`storage ${this.backendId}: cannot read ${this.describe()}: ${this.describeError(err)}`, err);
      }
      const found: StorageEntry[] = [];
      await forEachLimit(names, 8, async (item) => {
        const name = item.filename;
        if (name === "." || name === "..") return;
        const path = dir === "" ? name : `${dir}/${name}`;
        const type = item.attrs.mode & S_IFMT;
        // Leftovers of a killed pass go before the filter (which never lets temporary names through).
        if (options.cleanStaleTemp !== undefined && type === S_IFREG && isTempName(name) && isStaleTempFile(name, item.attrs.mtime * 1000, options.cleanStaleTemp)) {
          await io.unlink(this.full(path)).catch(() => {});
          return;
        }
        if (!include(path, type === S_IFDIR)) return;
        if (name.includes("\uFFFD")) {
          options.onWarning({ path, message: "its name is not valid UTF-8 and cannot be synced; rename it", unknown: true });
          return;
        }
        let linkTarget: string | undefined;
        if (type === S_IFLNK) {
          try {
            linkTarget = await io.readlink(this.full(path));
          } catch (err) {
            options.onWarning({ path, message: `cannot read this symlink (${this.describeError(err)}); it is left alone this pass`, unknown: true });
            return;
          }
        }
        const entry = this.entryOf(path, seenFromAttrs(item.attrs as Stats), linkTarget);
        if (!entry) {
          options.onWarning({ path, message: "skipped: not a regular file, folder or symlink (a FIFO, socket or device) cannot be synced" });
          return;
        }
        found.push(entry);
        if (entry.kind === "dir") pending.push(path);
      });
      return found;
    };
    while (pending.length || inFlight.size) {
      while (pending.length && inFlight.size < LIST_CONCURRENCY) {
        const id = nextId++;
        const dir = pending.shift()!;
        inFlight.set(
          id,
          list(dir).then((batch) => ({ id, batch })),
        );
      }
      const { id, batch } = await Promise.race(inFlight.values());
      inFlight.delete(id);
      if (batch.length) yield batch;
    }
  }

  /**
   * The whole tree in one remote `find` (GNU): NUL-separated fields, so any name but one that is
   * not valid UTF-8 comes through. Excluded folders are dropped with everything below them.
   */
  private async *walkWithFind(io: SftpIo, options: WalkOptions): AsyncIterable<StorageEntry[]> {
    const include = options.include ?? (() => true);
    const under = options.under ?? "";
    const session = await this.session();
    const top = this.full(under);
    const r = await session.exec(`LC_ALL=C; export LC_ALL; cd ${shellQuote(top)} && find . -mindepth 1 -printf '${FIND_FORMAT}'`).catch((err: unknown) => {
      throw new StorageUnavailableError(`storage ${this.backendId}: cannot list ${this.describe()}: ${errorMessage(err)}`, err);
    });
    const errors = r.stderr.split("\n").filter(Boolean);
    if (r.code !== 0 && r.code !== 1) {
      if (under !== "" && /can't cd|No such file|Not a directory/.test(r.stderr)) return;
      throw new StorageUnavailableError(`storage ${this.backendId}: cannot list ${this.describe()}: ${errors[0] ?? `find exited with ${r.code}`}`);
    }
    if (r.code === null) throw new BackendError(`storage ${this.backendId}: the listing of ${this.describe()} was cut short (connection lost?)`);
    const prefix = under === "" ? "" : `${under}/`;
    for (const line of errors) {
      const m = /^find: '\.\/(.*)': (.*)$/.exec(line);
      if (m) options.onWarning({ path: prefix + m[1], message: `cannot list this folder (${m[2]}); nothing below it is synced this pass`, unlistedFolder: true });
      else if (r.code !== 0) options.onWarning({ path: under, message: line, unknown: true });
    }
    const fields = r.stdout.toString("utf8").split("\0");
    const skipped = new Set<string>();
    let batch: StorageEntry[] = [];
    for (let i = 0; i + FIND_FIELDS <= fields.length; i += FIND_FIELDS) {
      const [type, ino, size, mtime, ctime, perm, rel, link] = fields.slice(i, i + FIND_FIELDS) as string[];
      const path = prefix + rel!;
      const slash = path.lastIndexOf("/");
      if (slash > 0 && skipped.has(path.slice(0, slash))) {
        if (type === "d") skipped.add(path);
        continue;
      }
      if (type === "d" && slash < 0 && options.cleanStaleTemp !== undefined && STAGING_FOLDER.test(path) && timeToMs(normaliseTime(mtime!)) < options.cleanStaleTemp - STALE_STAGING_MS) {
        // A staging folder of an rsync pass that was killed (its own pass removes it otherwise).
        await this.removeTree(path).catch(() => {});
        skipped.add(path);
        continue;
      }
      // Leftovers of a killed pass go before the filter (which never lets temporary names through).
      const name = path.slice(slash + 1);
      if (options.cleanStaleTemp !== undefined && type === "f" && isTempName(name) && isStaleTempFile(name, timeToMs(normaliseTime(mtime!)), options.cleanStaleTemp)) {
        await io.unlink(this.full(path)).catch(() => {});
        continue;
      }
      if (!include(path, type === "d")) {
        if (type === "d") skipped.add(path);
        continue;
      }
      if (path.includes("\uFFFD")) {
        options.onWarning({ path, message: "its name is not valid UTF-8 and cannot be synced; rename it", unknown: true });
        if (type === "d") skipped.add(path);
        continue;
      }
      if (path.includes("\n")) {
        options.onWarning({ path, message: "names with a line break are not synced on sftp storages; rename it", unknown: true });
        if (type === "d") skipped.add(path);
        continue;
      }
      const seen: Seen = seenFromRemote({ ino: ino!, size: Number(size), mtime: normaliseTime(mtime!), ctime: normaliseTime(ctime!), type: type!, perm: parseInt(perm!, 8) });
      const entry = this.entryOf(path, seen, type === "l" ? link : undefined);
      if (!entry) {
        options.onWarning({ path, message: "skipped: not a regular file, folder or symlink (a FIFO, socket or device) cannot be synced" });
        continue;
      }
      batch.push(entry);
      if (batch.length >= 1000) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  override async stat(path: string): Promise<StorageEntry | null> {
    const seen = await this.look(this.full(path));
    if (!seen) return null;
    if (seen.type === "l") {
      const target = await (await this.io()).readlink(this.full(path)).catch(() => undefined);
      if (target === undefined) return null;
      return this.entryOf(path, seen, target);
    }
    return this.entryOf(path, seen);
  }

  async getFileToken(path: string): Promise<string | null> {
    const entry = await this.stat(path);
    return entry?.kind === "file" ? entry.token : null;
  }

  async createReadStream(path: string): Promise<Readable> {
    const reader = await this.openReader(path);
    let position = 0;
    return new Readable({
      highWaterMark: 1 << 20,
      read(size) {
        const buffer = Buffer.allocUnsafe(Math.max(size, 1 << 20));
        reader.read(buffer, position).then(
          (n) => {
            position += n;
            if (n === 0) {
              reader.close().then(
                () => this.push(null),
                (err: Error) => this.destroy(err),
              );
            } else this.push(buffer.subarray(0, n));
          },
          (err: Error) => {
            reader.close().catch(() => {});
            this.destroy(err);
          },
        );
      },
    });
  }

  override async openReader(path: string): Promise<FileReader> {
    const io = await this.io();
    let handle: Buffer;
    try {
      handle = await io.open(this.full(path), "r");
    } catch (err) {
      if (statusOf(err) === SFTP_STATUS.NO_SUCH_FILE) throw new ChangedDuringSyncError(`${path}: vanished from ${this.backendId}`);
      throw new BackendError(`cannot read it on ${this.backendId}: ${this.describeError(err)}`, err);
    }
    return {
      read: (buffer, position) => io.readAt(handle, buffer, buffer.length, position),
      close: () => io.close(handle),
    };
  }

  /**
   * A small file in three round trips: open, every piece of the first SMALL_FILE_BYTES + 1
   * requested at once (a larger file falls back to the positional reader), then close and the
   * token, read after the bytes so that a write meanwhile shows as a changed token.
   */
  override async readWhole(path: string): Promise<{ data: Buffer; token: string | null }> {
    const io = await this.io();
    let handle: Buffer;
    try {
      handle = await io.open(this.full(path), "r");
    } catch (err) {
      if (statusOf(err) === SFTP_STATUS.NO_SUCH_FILE) return { data: Buffer.alloc(0), token: null };
      throw new BackendError(`cannot read it on ${this.backendId}: ${this.describeError(err)}`, err);
    }
    let data: Buffer;
    try {
      const buffer = Buffer.allocUnsafe(SMALL_FILE_BYTES + 1);
      const n = await io.readAt(handle, buffer, buffer.length, 0);
      if (n === buffer.length) {
        const chunks = [buffer];
        for (let at = n; ; ) {
          const more = Buffer.allocUnsafe(1 << 20);
          const got = await io.readAt(handle, more, more.length, at);
          if (got === 0) break;
          chunks.push(more.subarray(0, got));
          at += got;
        }
        data = Buffer.concat(chunks);
      } else data = buffer.subarray(0, n);
    } finally {
      await io.close(handle).catch(() => {});
    }
    const after = await this.look(this.full(path));
    return { data, token: after?.type === "f" ? after.token : null };
  }

  /**
   * sha256 of a file: from the cache under a trusted token, else computed on the server
   * (`sha256sum`, for files of REMOTE_HASH_MIN_BYTES and more when a shell is allowed), else by
   * reading the bytes. The token must be the same before and after.
   */
  override async getHash(path: string, entry?: StorageEntry): Promise<string> {
    const current = entry ?? (await this.stat(path));
    if (current?.kind !== "file") throw new ChangedDuringSyncError(`${path}: no longer a file`);
    const known = this.knownHash(path, current);
    if (known) return known;
    await this.session();
    if (!this.shell || current.size < REMOTE_HASH_MIN_BYTES) return super.getHash(path, current);
    const digest = await this.remoteSha256(path);
    if ((await this.getFileToken(path)) !== current.token) throw new ChangedDuringSyncError(`${path}: changed while it was hashed`);
    this.hashCache.put(this.identity(), path, current.token, digest, current.mtimeMs);
    return digest;
  }

  /**
   * sha256 of a file (any storage path, temporary names included) computed on the server.
   * Throws ChangedDuringSyncError when it is gone, BackendError when the command fails.
   */
  async remoteSha256(path: string): Promise<string> {
    const session = await this.session();
    let r;
    try {
      r = await session.exec(`exec sha256sum < ${shellQuote(this.full(path))}`);
    } catch (err) {
      throw new BackendError(`cannot hash ${path} on ${this.backendId}: ${errorMessage(err)}`, err);
    }
    const m = /^([0-9a-f]{64})\b/.exec(r.stdout.toString("latin1"));
    if (r.code === 0 && m) return m[1]!;
    if (/No such file|Not a directory/.test(r.stderr)) throw new ChangedDuringSyncError(`${path}: vanished from ${this.backendId} while it was hashed`);
    throw new BackendError(`cannot hash ${path} on ${this.backendId}: sha256sum: ${r.stderr.trim() || `exit code ${r.code}`}`);
  }

  /**
   * sha256 of many storage paths (temporary names included) in one command on the server:
   * `xargs -0 sha256sum -z`. Paths that are gone or unreadable are left out of the map.
   */
  async remoteSha256Many(paths: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!paths.length) return out;
    const session = await this.session();
    if (!this.shell) throw new BackendError(`storage ${this.backendId}: commands cannot run on ${this.options.host} (remote-shell)`, undefined, 3);
    let r;
    try {
      r = await session.exec(`LC_ALL=C; export LC_ALL; cd ${shellQuote(this.full(""))} && exec xargs -0 sha256sum -z --`, Buffer.from(paths.map((p) => `${p}\0`).join(""), "utf8"));
    } catch (err) {
      throw new BackendError(`cannot hash files on ${this.backendId}: ${errorMessage(err)}`, err);
    }
    if (r.code === null) throw new BackendError(`cannot hash files on ${this.backendId}: the connection was lost`);
    for (const record of r.stdout.toString("utf8").split("\0")) {
      const m = /^([0-9a-f]{64}) [ *](.*)$/s.exec(record);
      if (m) out.set(m[2]!, m[1]!);
    }
    return out;
  }

  /** Throws CasMismatchError unless the path holds exactly what the caller expects. */
  private async assertExpected(path: string, expected: Expected): Promise<void> {
    const current = await this.stat(path);
    const fail = (what: string): never => {
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
          if ((err as { code?: string }).code === "E_CHANGED") return fail("is changing");
          throw err;
        }
        if (hash !== expected.hash) fail("changed");
      }
    }
  }

  /** Creates a folder and its missing parents; one that exists is fine. */
  private async mkdirs(io: SftpIo, abs: string): Promise<void> {
    try {
      await io.mkdir(abs);
      return;
    } catch (err) {
      const st = await io.stat(abs).catch(() => null);
      if (st && (st.mode & S_IFMT) === S_IFDIR) return;
      if (st || abs === "/" || statusOf(err) === SFTP_STATUS.PERMISSION_DENIED) throw err;
    }
    await this.mkdirs(io, posix.dirname(abs));
    try {
      await io.mkdir(abs);
    } catch (err) {
      const st = await io.stat(abs).catch(() => null);
      if (!st || (st.mode & S_IFMT) !== S_IFDIR) throw err;
    }
  }

  private async ensureParent(io: SftpIo, path: string, createParents: boolean | undefined): Promise<void> {
    const dir = posix.dirname(this.full(path));
    if (createParents === false) {
      const st = await io.stat(dir).catch(() => null);
      if (!st || (st.mode & S_IFMT) !== S_IFDIR) throw new ChangedDuringSyncError(`${path}: its folder was removed from ${this.backendId} during the pass; not recreated`);
      return;
    }
    try {
      await this.mkdirs(io, dir);
    } catch (err) {
      throw new BackendError(`cannot create its folder on ${this.backendId}: ${this.describeError(err)}`, err);
    }
  }

  /**
   * Moves a file written under a temporary name (`tempAbs`, same folder) to `path`, after
   * re-checking `expected`: create-if-absent by hard link (fails when something appeared), or
   * an atomic replace by posix-rename. The temporary file is gone afterwards in every case.
   */
  private async place(io: SftpIo, tempAbs: string, path: string, expected: Expected): Promise<void> {
    const full = this.full(path);
    try {
      // A new file needs no re-check: the hard link below refuses an existing name by itself.
      if (expected.kind !== "absent" || !this.extensions.hardlink) await this.assertExpected(path, expected);
      if (expected.kind === "absent") {
        try {
          // RACE: a file created between the re-check and here makes link(2) fail: a conflict.
          if (this.extensions.hardlink) await io.hardlink(tempAbs, full);
          else await io.rename(tempAbs, full); // OpenSSH's plain rename links too: never replaces
        } catch (err) {
          if (await io.lstat(full).then(() => true, () => false)) throw new CasMismatchError(`${path}: appeared on ${this.backendId} since the plan was made`);
          throw new BackendError(`cannot put it in place on ${this.backendId}: ${this.describeError(err)}`, err);
        }
      } else {
        // RACE: a write landing between the re-check above and this rename is replaced; the
        // window is one round trip (SFTP has no conditional rename).
        if (!this.extensions.posixRename) throw new BackendError(`${this.backendId}: the server does not offer posix-rename@openssh.com, needed to replace files atomically`, undefined, 3);
        await io.posixRename(tempAbs, full);
      }
    } finally {
      await io.unlink(tempAbs).catch(() => {});
    }
  }

  /**
   * The entry of a file just put in place (`written`: the temporary file's attributes). If
   * someone changed the path between the rename and now, the token is theirs: it is marked so
   * that it is not cached with our hash, and the next pass sees their change.
   */
  private async placedEntry(path: string, written: Seen): Promise<StorageEntry> {
    const ours = this.entryOf(path, written)!;
    const now = await this.look(this.full(path)).catch(() => null);
    if (!now || now.id !== written.id || now.type !== "f") return { ...ours, token: `${ours.token}#changed-after-write` };
    return this.entryOf(path, now)!;
  }

  async openForSafeReplace(path: string, expected: Expected, options: WriteOptions = {}): Promise<SafeReplaceWriter> {
    const io = await this.io();
    await this.assertExpected(path, expected);
    await this.ensureParent(io, path, options.createParents);
    const tempAbs = posix.join(posix.dirname(this.full(path)), tempFileName());
    return this.tempWriter(io, path, expected, options, tempAbs, await this.createTemp(io, path, tempAbs, options));
  }

  /**
   * openForSafeReplace for a large copy that a later pass may continue (see
   * StorageBackend.openResumable): the bytes go to a partial file in the destination's folder
   * (`.wlsync-tmp-<host>-<pid>-<random>.part`, see partialFileName) that stays on the server when
   * the pass is killed or stopped. A previous write is continued only when its file is still the
   * one this backend made: a regular file of that name pattern (never a link followed), the same
   * inode where a remote shell tells inodes, and at least the checkpoint's bytes long; the bytes
   * after the checkpoint are cut off (SETSTAT size). The caller then reads the kept bytes back
   * (openPrefixReader) and starts over unless they hash to its checkpoint. Placement into the
   * final name is the compare-and-swap of every write (see place).
   */
  override async openResumable(path: string, expected: Expected, options: WriteOptions, previous?: PreviousWrite): Promise<ResumableWriter> {
    const io = await this.io();
    await this.assertExpected(path, expected);
    await this.ensureParent(io, path, options.createParents);
    const dir = posix.dirname(this.full(path));
    const previousName = previous && typeof previous.handle.name === "string" && isPartialName(previous.handle.name) ? previous.handle.name : undefined;
    if (previous && previousName) {
      const previousAbs = posix.join(dir, previousName);
      const kept = previous.keep ? await this.reopenPartial(io, previousAbs, previous) : undefined;
      if (kept) {
        const ino = typeof previous.handle.ino === "string" ? previous.handle.ino : null;
        return this.tempWriter(io, path, expected, options, previousAbs, kept.handle, { offset: previous.offset, ino, checked: kept.checked });
      }
      await io.unlink(previousAbs).catch(() => {}); // not continued: our own leftover goes
    }
    const tempAbs = posix.join(dir, partialFileName());
    const handle = await this.createTemp(io, path, tempAbs, options);
    const ino = this.statter ? ((await this.statter.stat(tempAbs).catch(() => null))?.ino ?? null) : null;
    return this.tempWriter(io, path, expected, options, tempAbs, handle, { offset: 0, ino, checked: false });
  }

  /**
   * Opens the partial file of a previous resumable write for writing, if it is still that
   * write's file (see openResumable), cut to `previous.offset` bytes. Undefined otherwise. With
   * a remote shell and the host's `prefixSha256`, the kept bytes are hashed on the server
   * (sha256sum) and must match (`checked`): nothing is read back over the network.
   */
  private async reopenPartial(io: SftpIo, abs: string, previous: PreviousWrite): Promise<{ handle: Buffer; checked: boolean } | undefined> {
    const before = await io.lstat(abs).catch(() => null);
    if (!before || (before.mode & S_IFMT) !== S_IFREG || before.size < previous.offset) return undefined;
    if (typeof previous.handle.ino === "string") {
      const now = this.statter ? await this.statter.stat(abs).catch(() => null) : null;
      if (now?.ino !== previous.handle.ino) return undefined; // replaced since (or no way to tell: not continued)
    }
    let handle: Buffer;
    try {
      // RACE: a symlink put at this name between the lstat above and this open is followed; the
      // fstat below sees its target's size and type only. The name is wl's own temporary name.
      handle = await io.open(abs, "r+");
    } catch {
      return undefined;
    }
    try {
      const st = await io.fstat(handle);
      if ((st.mode & S_IFMT) === S_IFREG && st.size >= previous.offset) {
        if (st.size > previous.offset) await io.fsetstat(handle, { size: previous.offset });
        if (!this.shell || !previous.prefixSha256 || abs.includes("\n")) return { handle, checked: false };
        if ((await this.remotePrefixSha256(abs, previous.offset)) === previous.prefixSha256) return { handle, checked: true };
      }
    } catch {
      // unreadable: not continued
    }
    await io.close(handle).catch(() => {});
    return undefined;
  }

  /** sha256 of the first `length` bytes of the file at `abs`, computed on the server; undefined when it cannot be read. */
  private async remotePrefixSha256(abs: string, length: number): Promise<string | undefined> {
    const session = await this.session();
    const r = await session.exec(`LC_ALL=C; export LC_ALL; head -c ${Math.floor(length)} < ${shellQuote(abs)} | sha256sum`).catch(() => undefined);
    const m = r && r.code === 0 ? /^([0-9a-f]{64})\b/.exec(r.stdout.toString("latin1")) : null;
    return m?.[1];
  }

  /** Creates the temporary file `tempAbs` (exclusively, mode 0600) for a write of `path`; its open handle. */
  private async createTemp(io: SftpIo, path: string, tempAbs: string, options: WriteOptions): Promise<Buffer> {
    try {
      return await io.open(tempAbs, "wx", { mode: 0o600 });
    } catch (err) {
      if (statusOf(err) === SFTP_STATUS.NO_SUCH_FILE && options.createParents === false) {
        throw new ChangedDuringSyncError(`${path}: its folder was removed from ${this.backendId} during the pass; not recreated`);
      }
      throw new BackendError(`cannot write it on ${this.backendId}: ${this.describeError(err)}`, err);
    }
  }

  /**
   * The writer of openForSafeReplace / openResumable over the open temporary file `tempAbs`
   * (`resumable`: where it continues, the inode recorded in its handle, and whether the kept
   * bytes were checked on the server, in which case no openPrefixReader is offered).
   */
  private tempWriter(io: SftpIo, path: string, expected: Expected, options: WriteOptions, tempAbs: string, handle: Buffer): SafeReplaceWriter;
  private tempWriter(io: SftpIo, path: string, expected: Expected, options: WriteOptions, tempAbs: string, handle: Buffer, resumable: { offset: number; ino: string | null; checked: boolean }): ResumableWriter;
  private tempWriter(io: SftpIo, path: string, expected: Expected, options: WriteOptions, tempAbs: string, handle: Buffer, resumable?: { offset: number; ino: string | null; checked: boolean }): SafeReplaceWriter | ResumableWriter {
    let open = true;
    const closeHandle = async () => {
      if (!open) return;
      open = false;
      await io.close(handle);
    };
    let position = resumable?.offset ?? 0;
    let stream: Writable | undefined;
    const writeAt = (buffer: Buffer, length: number, at: number) => io.writeAt(handle, buffer, length, at);
    const writer: SafeReplaceWriter = {
      get stream() {
        stream ??= new Writable({
          highWaterMark: 1 << 20,
          write(chunk: Buffer, _encoding, callback) {
            const at = position;
            position += chunk.length;
            writeAt(chunk, chunk.length, at).then(() => callback(), callback);
          },
        });
        return stream;
      },
      writeAt,
      commit: async () => {
        let written: Seen | null;
        try {
          const mtime = options.mtimeMs !== undefined ? Math.floor(options.mtimeMs / 1000) : undefined;
          await io.fsetstat(handle, { mode: options.mode ?? 0o644, ...(mtime !== undefined ? { atime: Math.floor(Date.now() / 1000), mtime } : {}) });
          await closeHandle();
          written = await this.look(tempAbs);
          if (written?.type !== "f") throw new Error("the temporary file vanished");
        } catch (err) {
          await closeHandle().catch(() => {});
          await io.unlink(tempAbs).catch(() => {});
          throw new BackendError(`cannot write it on ${this.backendId}: ${this.describeError(err)}`, err);
        }
        await this.place(io, tempAbs, path, expected);
        return this.placedEntry(path, written);
      },
      abort: async () => {
        stream?.destroy();
        await closeHandle().catch(() => {});
        await io.unlink(tempAbs).catch(() => {});
      },
    };
    if (!resumable) return writer;
    const extra: Omit<ResumableWriter, keyof SafeReplaceWriter> = {
      handle: { name: posix.basename(tempAbs), ino: resumable.ino },
      offset: resumable.offset,
      ...(resumable.checked
        ? {}
        : {
            openPrefixReader: async () => {
              const reader = await io.open(tempAbs, "r");
              return { read: (buffer: Buffer, at: number) => io.readAt(reader, buffer, buffer.length, at), close: () => io.close(reader) };
            },
          }),
      suspend: async () => {
        stream?.destroy();
        await closeHandle().catch(() => {});
      },
    };
    return Object.assign(writer, extra) as ResumableWriter; // (assign, not spread: keeps the lazy `stream` getter)
  }

  /**
   * A small file in as few round trips as it takes: the temporary file is opened (its folder
   * made only when missing), written and closed; a new file is hard-linked into place (link(2)
   * is the atomic create-if-absent), a replacement re-checked then renamed over the old one.
   */
  override async replaceWhole(path: string, expected: Expected, data: Buffer, _hash: string, options: WriteOptions = {}): Promise<StorageEntry> {
    const io = await this.io();
    const tempAbs = posix.join(posix.dirname(this.full(path)), tempFileName());
    const mtime = options.mtimeMs !== undefined ? Math.floor(options.mtimeMs / 1000) : undefined;
    const attrs = { mode: options.mode ?? 0o644, ...(mtime !== undefined ? { atime: Math.floor(Date.now() / 1000), mtime } : {}) };
    let handle: Buffer;
    try {
      handle = await io.open(tempAbs, "wx", { mode: 0o600 });
    } catch (err) {
      if (statusOf(err) !== SFTP_STATUS.NO_SUCH_FILE) throw new BackendError(`cannot write it on ${this.backendId}: ${this.describeError(err)}`, err);
      await this.ensureParent(io, path, options.createParents);
      try {
        handle = await io.open(tempAbs, "wx", { mode: 0o600 });
      } catch (err2) {
        throw new BackendError(`cannot write it on ${this.backendId}: ${this.describeError(err2)}`, err2);
      }
    }
    let written: Seen | null;
    try {
      try {
        await io.writeAt(handle, data, data.length, 0);
        await io.fsetstat(handle, attrs);
      } finally {
        await io.close(handle);
      }
      written = await this.look(tempAbs);
      if (written?.type !== "f") throw new Error("the temporary file vanished");
    } catch (err) {
      await io.unlink(tempAbs).catch(() => {});
      throw isWlError(err) ? err : new BackendError(`cannot write it on ${this.backendId}: ${this.describeError(err)}`, err);
    }
    await this.place(io, tempAbs, path, expected);
    return this.placedEntry(path, written);
  }

  /**
   * Renames the file at `from` to `path` on the server (see StorageBackend.moveWithin): checked
   * to hold `hash`, then renamed by plain SFTP rename, which OpenSSH's server refuses when the
   * new name exists (never a replacement). The file at the new name must be the one checked
   * (same identity: inode, size and mtime where a shell is allowed, else size and mtime), or it
   * is renamed back and the move refused. No copy within an sftp storage (SFTP has no copy
   * request OpenSSH offers): such copies are transferred.
   */
  override async moveWithin(from: string, path: string, options: WithinOptions): Promise<StorageEntry> {
    if (options.expected.kind !== "absent") throw new BackendError(`${path}: a move onto an existing file is not made on ${this.backendId}`);
    const io = await this.io();
    const fromAbs = this.full(from);
    const full = this.full(path);
    const before = await this.look(fromAbs);
    if (before?.type !== "f") throw new CasMismatchError(`${from}: ${before ? "changed kind" : "disappeared"} on ${this.backendId} since the plan was made`);
    await this.assertExpected(from, { kind: "file", hash: options.hash });
    await this.ensureParent(io, path, options.createParents);
    try {
      // RACE: a write keeping the file's size and mtime between the check above and this rename
      // goes along with it (one round trip; the local backend compares the same identity).
      await io.rename(fromAbs, full);
    } catch (err) {
      if (await io.lstat(full).then(() => true, () => false)) throw new CasMismatchError(`${path}: appeared on ${this.backendId} since the plan was made`);
      throw new BackendError(`cannot move ${from} to ${path} on ${this.backendId}: ${this.describeError(err)}`, err);
    }
    const after = await this.look(full).catch(() => null);
    if (!after || after.id !== before.id || after.type !== "f") {
      await io.rename(full, fromAbs).catch(() => {}); // back, unless something new took the old name
      throw new CasMismatchError(`${from}: changed on ${this.backendId} since the plan was made`);
    }
    return this.entryOf(path, after)!;
  }

  async mkdir(path: string): Promise<void> {
    const io = await this.io();
    try {
      await this.mkdirs(io, this.full(path));
    } catch (err) {
      throw new BackendError(`cannot create this folder on ${this.backendId}: ${this.describeError(err)}`, err);
    }
  }

  async remove(path: string, expected: Expected): Promise<void> {
    const io = await this.io();
    await this.assertExpected(path, expected);
    try {
      if (expected.kind === "dir") await io.rmdir(this.full(path));
      else await io.unlink(this.full(path));
    } catch (err) {
      if (statusOf(err) === SFTP_STATUS.NO_SUCH_FILE) return;
      if (expected.kind === "dir" && statusOf(err) === SFTP_STATUS.FAILURE) {
        throw new BackendError(`${path}/: not deleted on ${this.backendId}: the folder still holds files that are not synced (ignored or unreadable)`, err);
      }
      throw new BackendError(`cannot delete it on ${this.backendId}: ${this.describeError(err)}`, err);
    }
  }

  /** SETSTAT of the permission bits of a file that still has the token (and mode) the plan saw; see StorageBackend.setMode. */
  override async setMode(path: string, mode: number, expected: Pick<StorageEntry, "token" | "mode">): Promise<StorageEntry> {
    const io = await this.io();
    const now = await this.stat(path);
    if (now?.kind !== "file") throw new CasMismatchError(`${path}: ${now ? "is no longer a file" : "disappeared"} on ${this.backendId} since the plan was made`);
    if (now.token !== expected.token || (expected.mode !== undefined && now.mode !== expected.mode)) throw new CasMismatchError(`${path}: changed on ${this.backendId} since the plan was made`);
    try {
      // RACE: a write or chmod landing between the check above and this request is not refused; a chmod loses no content.
      await io.setstat(this.full(path), { mode: mode & PERMISSION_BITS });
    } catch (err) {
      throw new BackendError(`cannot change its permissions on ${this.backendId}: ${this.describeError(err)}`, err);
    }
    const after = await this.stat(path);
    if (!after) throw new ChangedDuringSyncError(`${path}: disappeared from ${this.backendId} right after its permissions were changed`);
    return after;
  }

  async symlink(path: string, target: string, expected: Expected): Promise<void> {
    const io = await this.io();
    await this.assertExpected(path, expected);
    await this.ensureParent(io, path, true);
    try {
      await io.symlink(target, this.full(path));
    } catch (err) {
      if (await io.lstat(this.full(path)).then(() => true, () => false)) throw new CasMismatchError(`${path}: appeared on ${this.backendId} since the plan was made`);
      throw new BackendError(`cannot create this symlink on ${this.backendId}: ${this.describeError(err)}`, err);
    }
  }

  /**
   * Puts a file that another program wrote under a temporary name in its folder (`tempPath`, a
   * storage path) at `path`, with the same re-check and atomic placement as a write through
   * this backend. Returns the entry now at `path`. Used by rsync over ssh.
   */
  async placeWritten(tempPath: string, path: string, expected: Expected): Promise<StorageEntry> {
    const io = await this.io();
    const written = await this.look(this.full(tempPath));
    if (written?.type !== "f") throw new BackendError(`${path}: the transferred copy is missing on ${this.backendId}`);
    await this.place(io, this.full(tempPath), path, expected);
    return this.placedEntry(path, written);
  }

  /**
   * Attributes of many storage paths in one command on the server (`xargs -0 stat`), in the
   * order asked; null for a path that is absent. Needs the remote shell.
   */
  private async statMany(paths: readonly string[]): Promise<Array<Seen | null>> {
    const session = await this.session();
    const r = await session.exec(
      `LC_ALL=C; export LC_ALL; cd ${shellQuote(this.full(""))} && exec xargs -0 stat --printf '%n\\0%i %s %.9Y %.9Z %f\\n' --`,
      Buffer.from(paths.map((p) => `${p}\0`).join(""), "utf8"),
    );
    if (r.code === null) throw new BackendError(`cannot look at files on ${this.backendId}: the connection was lost`);
    // Each line: name, NUL, attributes (names with a line break are never asked).
    const byName = new Map<string, Seen>();
    for (const line of r.stdout.toString("utf8").split("\n")) {
      const cut = line.indexOf("\0");
      if (cut < 0) continue;
      const attrs = parseStatLine(line.slice(cut + 1));
      if (attrs) byName.set(line.slice(0, cut), seenFromRemote(attrs));
    }
    return paths.map((p) => byName.get(p) ?? null);
  }

  /**
   * placeWritten for many files at once (what rsync staged): replacements are re-checked one by
   * one; links and renames go out as pipelined SFTP requests; the attributes before and after
   * come from one command each. Returns, per item, the entry now at its path or the error.
   */
  async placeWrittenMany(items: ReadonlyArray<{ tempPath: string; path: string; expected: Expected }>): Promise<Array<StorageEntry | Error>> {
    const io = await this.io();
    if (!this.shell || items.some((i) => i.path.includes("\n") || i.tempPath.includes("\n"))) {
      const out: Array<StorageEntry | Error> = [];
      for (const item of items) out.push(await this.placeWritten(item.tempPath, item.path, item.expected).catch((err: Error) => err));
      return out;
    }
    const written = await this.statMany(items.map((i) => i.tempPath));
    const results: Array<StorageEntry | Error | undefined> = new Array(items.length);
    await forEachLimit(items, 64, async (item, index) => {
      try {
        if (written[index]?.type !== "f") throw new BackendError(`${item.path}: the transferred copy is missing on ${this.backendId}`);
        await this.place(io, this.full(item.tempPath), item.path, item.expected);
      } catch (err) {
        results[index] = err as Error;
      }
    });
    const placed = items.map((item, i) => (results[i] ? null : item.path));
    const now = await this.statMany(placed.filter((p): p is string => p !== null));
    let k = 0;
    return items.map((item, i) => {
      if (results[i]) return results[i]!;
      const seen = now[k++];
      const ours = this.entryOf(item.path, written[i]!)!;
      if (!seen || seen.id !== written[i]!.id || seen.type !== "f") return { ...ours, token: `${ours.token}#changed-after-write` };
      return this.entryOf(item.path, seen)!;
    });
  }

  /** Removes a file or a whole folder tree of the tool's own (a staging folder) on the server. */
  async removeTree(path: string): Promise<void> {
    const session = await this.session();
    if (this.shell) {
      await session.exec(`rm -rf -- ${shellQuote(this.full(path))}`);
      return;
    }
    const io = await this.io();
    const rm = async (abs: string): Promise<void> => {
      const st = await io.lstat(abs).catch(() => null);
      if (!st) return;
      if ((st.mode & S_IFMT) === S_IFDIR) {
        for (const e of await io.readdir(abs).catch(() => [])) await rm(`${abs}/${e.filename}`);
        await io.rmdir(abs).catch(() => {});
      } else await io.unlink(abs).catch(() => {});
    };
    await rm(this.full(path));
  }

  /** The polling watcher: a listing every `watcher-interval` seconds (default 30). */
  watcher(): StorageWatcher {
    return new PollingWatcher(this, this.options.watcherIntervalS * 1000);
  }

  override async close(): Promise<void> {
    this.statter?.close();
    this.current?.close();
    this.current = undefined;
  }
}
