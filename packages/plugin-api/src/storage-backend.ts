import { createHash } from "node:crypto";
import type { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { BackendError, ChangedDuringSyncError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { StorageWatcher } from "./storage-watcher.js";
import { parseKeepPolicy, type KeepPolicy } from "./keep-policy.js";
import type { StoredVersion } from "./version-names.js";

export type EntryKind = "file" | "dir" | "symlink";

/** Files up to this size are read whole (readWhole, replaceWhole) rather than streamed. */
export const SMALL_FILE_BYTES = 1 << 20;

/** One item of a storage. Paths are relative, `/`-separated, never start with `/`. */
export interface StorageEntry {
  path: string;
  kind: EntryKind;
  /** Bytes; 0 for folders. */
  size: number;
  /** Cheap identity of this version: changes whenever the content may have changed. */
  token: string;
  /** Modification time in milliseconds (fractional part kept where the backend has it). */
  mtimeMs: number;
  /** POSIX permission bits where the backend has them. */
  mode?: number;
  /** Symlink target, as stored in the link. */
  linkTarget?: string;
  /** sha256 (hex) when the backend knows it without reading the bytes (e.g. S3 metadata). */
  hash?: string;
  /**
   * When the content last may have changed (ms), rounded up to the storage's timestamp
   * resolution: the later of mtime and ctime where ctime is real. A token recorded less than
   * the racy window after it is not trusted (see state/racy.ts). Absent: mtimeMs.
   */
  changedMs?: number;
  /**
   * false: this token cannot show every change (a storage without a real ctime, where a
   * same-size edit that sets the mtime back changes nothing in it): it is never trusted, and
   * the file's sha256 is read on every pass.
   */
  tokenTrusted?: boolean;
}

/** What the caller believes is at a path: compare-and-swap succeeds only if it still is. */
export type Expected = { kind: "absent" } | { kind: "file"; hash: string } | { kind: "dir" } | { kind: "symlink"; target: string };

export interface StorageParams {
  "backend-id": string;
  type: string;
  "watcher-interval"?: number;
  [key: string]: unknown;
}

/**
 * The keys of a storage entry every backend has, checked by the host's own config schema. All
 * other keys of the entry are the backend's options, checked against its `OPTIONS_SCHEMA`.
 */
export const COMMON_STORAGE_KEYS: readonly string[] = ["backend-id", "type", "watcher-interval", "bwlimit", "versions"];

/** A JSON Schema (draft-07) as a plain object. */
export type JsonSchema = { [key: string]: unknown };

/** One problem found by an options validator, in ajv's ErrorObject shape (JSON Pointer paths). */
export interface OptionsProblem {
  /** Where in the options object, as a JSON Pointer ("" = the object itself, "/part-size"). */
  instancePath: string;
  /** The schema keyword that failed: "additionalProperties", "required", "type"... */
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  /** With ajv's `verbose`: the schema holding the keyword (its `description` may explain a refusal). */
  parentSchema?: JsonSchema;
}

/**
 * A compiled check of a backend's options (the ajv standalone code of its OPTIONS_SCHEMA): true
 * when valid, else `errors` says why. Optional: without it the host compiles OPTIONS_SCHEMA.
 */
export type OptionsValidator = ((options: unknown) => boolean) & { errors?: OptionsProblem[] | null };

/** sha256 cache keyed by (storage, path) and validated by the file token. */
export interface HashCache {
  get(storage: string, path: string, token: string): string | undefined;
  put(storage: string, path: string, token: string, hash: string, mtimeMs: number): void;
  forget(storage: string, path: string): void;
}

export interface BackendContext {
  params: StorageParams;
  /** Folder of the config file: relative paths in params resolve against it. */
  configDir: string;
  hashCache: HashCache;
  logger: Logger;
}

export interface WriteOptions {
  size?: number;
  mtimeMs?: number;
  mode?: number;
  /** sha256 of the bytes that will be written, when known up front (stored as metadata by S3). */
  hash?: string;
  /**
   * Whether missing parent folders may be created. False when the folder existed (or was
   * created) earlier in the pass: if it is gone now, a user removed it, and the write must not
   * bring it back (ChangedDuringSyncError instead).
   */
  createParents?: boolean;
}

export interface MkdirOptions {
  /**
   * This pass copies files into the folder right after creating it. A backend whose folders exist
   * through their content (S3 key prefixes) may then skip writing an empty-folder marker.
   */
  contentFollows?: boolean;
}

/**
 * What `moveWithin` and `copyWithin` must check and may set. Both are compare-and-swaps on two
 * paths of the same storage: the file at `from` must still hold `hash`, and the destination
 * must still be what `expected` says.
 */
export interface WithinOptions {
  /** sha256 (hex) the file at `from` must hold; anything else: CasMismatchError, nothing changed. */
  hash: string;
  /** What the destination path must hold now (as openForSafeReplace); a mismatch: CasMismatchError. */
  expected: Expected;
  /** As WriteOptions.createParents. */
  createParents?: boolean;
  /** The modification time (ms) and permission bits the file has on the other storage, set where the backend keeps them. */
  mtimeMs?: number;
  mode?: number;
}

/** A pending replacement: bytes go to `stream` (a temporary object), `commit` swaps it in. */
export interface SafeReplaceWriter {
  readonly stream: Writable;
  /**
   * Re-checks that the destination is still what the caller expected and atomically puts the
   * new content in place. Throws ChangedDuringSyncError (never overwrites) on a mismatch.
   * `hash` is the sha256 of the bytes written, computed by the caller while streaming.
   */
  commit(hash: string): Promise<StorageEntry>;
  /** Drops the temporary object. Safe to call after a failed commit. */
  abort(): Promise<void>;
  /**
   * Optional, instead of `stream`: writes `length` bytes of `buffer` at `position` of the
   * temporary file (backends with positional writes: local disks). Never mixed with `stream`.
   */
  writeAt?(buffer: Buffer, length: number, position: number): Promise<void>;
}

/**
 * What a backend records about a resumable write so that a later pass can find it again: plain
 * JSON (local: the temporary file's name and inode). Kept by the host beside the checkpoint.
 */
export type ResumeHandle = { [key: string]: string | number | boolean | null };

/** A resumable write left by an earlier pass, as the host hands it back to openResumable. */
export interface PreviousWrite {
  handle: ResumeHandle;
  /** Bytes of it the host wants to keep (its last checkpoint). */
  offset: number;
  /**
   * false: the host will not continue it (the source changed, the checkpoint is stale): the
   * backend removes what `handle` names, if it is still its own, and starts afresh.
   */
  keep: boolean;
  /**
   * The sha256 (hex) of the first `offset` bytes, as the host recorded them. A backend that can
   * hash the kept bytes where they lie (sftp with a remote shell) checks them against it and
   * then offers no openPrefixReader, so that they are not read back over the network.
   */
  prefixSha256?: string;
}

/**
 * A pending replacement whose bytes a later pass can continue after an interruption (a crash,
 * SIGKILL, Ctrl-C). The bytes go through `writeAt` only, at positions from `offset` on.
 */
export interface ResumableWriter extends SafeReplaceWriter {
  writeAt(buffer: Buffer, length: number, position: number): Promise<void>;
  /** Where a later pass finds this write again (record it with each checkpoint). */
  readonly handle: ResumeHandle;
  /**
   * Bytes already in place when the writer was opened: the previous write's `offset` when it
   * was kept, else 0. The caller must verify them (see openPrefixReader) before it trusts them.
   */
  readonly offset: number;
  /**
   * Positional reads of what is written so far (the kept bytes), to verify them. Absent where
   * they cannot be read back (S3 parts) or were checked where they lie: the backend has then
   * checked them against `handle` (or PreviousWrite.prefixSha256) itself, and the caller checks
   * its source's prefix instead.
   */
  openPrefixReader?(): Promise<FileReader>;
  /** Checkpoints only at multiples of this many bytes (S3: the part size). Absent: anywhere. */
  readonly alignment?: number;
  /**
   * Optional: called with every byte before `length` written; waits until those bytes are
   * stored, and returns the handle to record with a checkpoint at `length` (undefined: no
   * checkpoint possible there). Absent: `handle` as is.
   */
  checkpoint?(length: number): Promise<ResumeHandle | undefined>;
  /**
   * Closes the write and leaves what was written in place for a later pass (the user stopped
   * the pass). abort() removes it instead.
   */
  suspend(): Promise<void>;
}

/** Positional reads of one open file, so a copy can reuse a few buffers (see openReader). */
export interface FileReader {
  /** Reads up to `buffer.length` bytes at `position`; 0 at the end of the file. */
  read(buffer: Buffer, position: number): Promise<number>;
  close(): Promise<void>;
}

export interface WalkWarning {
  path: string;
  message: string;
  /** The folder exists but its content could not be listed (permissions, I/O error). */
  unlistedFolder?: boolean;
  /**
   * The entry exists but could not be looked at (stat failed, a name that is not valid UTF-8):
   * it is missing from the walk, and must not be taken for a deletion.
   */
  unknown?: boolean;
}

export interface WalkOptions {
  onWarning: (warning: WalkWarning) => void;
  include?: (path: string, isDir: boolean) => boolean;
  /** Walk only below this folder (relative path; "" or absent = the whole storage). */
  under?: string;
  /**
   * Start of the pass (ms): remove the tool's temporary files met on the way that were left by a
   * writer that is gone and last modified before then (see `isStaleTempFile`). Absent on dry runs.
   */
  cleanStaleTemp?: number;
}

/**
 * What a storage can hold and how its metadata behaves. The first three are static; the others
 * are measured by `probeCapabilities()` once per pass (absent: not probed, the usual Linux
 * behaviour is assumed).
 */
export interface BackendCapabilities {
  symlinks: boolean;
  /** Whether openForSafeReplace is a true atomic compare-and-swap (vs. re-check then write). */
  atomicCompareAndSwap: boolean;
  /** Whether empty folders exist as such (S3 keeps them as `name/` marker keys). */
  emptyDirs: boolean;
  /** Names differing only in case are different files (false: FAT, exFAT, default APFS and NTFS). */
  caseSensitive?: boolean;
  /** The NFC and NFD forms of a name are one file (APFS, HFS+, ZFS with normalization). */
  normalizesNames?: boolean;
  /** link(2) works (false: FAT, exFAT): new files are then placed by a re-checked rename. */
  hardLinks?: boolean;
  /** Permission bits are kept as set (false: FAT, exFAT, S3): modes are neither read nor written there. */
  modes?: boolean;
  /** Step of stored modification times, ms (0.001 or less: nanoseconds; 1000: ext4 with 128-byte inodes; 2000: FAT). */
  timestampResolutionMs?: number;
  /** ctime moves on every change even when mtime is set back (false: FAT, exFAT, where ctime is mtime). */
  realCtime?: boolean;
  /**
   * How many transfers, hash reads and deletions this storage serves well at once (a remote with
   * latency wants more than a disk). A pass runs the larger of its two storages' values; absent:
   * DEFAULT_TRANSFERS.
   */
  transfers?: number;
  /**
   * Whether `remove` and replacements keep the old content as a version (see `listVersions`)
   * when the storage's keep policy is not "off". Absent: false (nothing is kept).
   */
  versions?: boolean;
}

/** Parallel transfers (and hash reads, deletions) of a pass when neither storage sets `transfers`. */
export const DEFAULT_TRANSFERS = 8;

/**
 * A storage: a local folder, a bucket prefix... Implementations are found by the package.json
 * keyword `wildland.storage_backend` and built by the DI container with a BackendContext.
 */
export abstract class StorageBackend {
  static TYPE: string;
  /**
   * JSON Schema (draft-07) of this backend's own keys of a storage entry: everything but
   * COMMON_STORAGE_KEYS. Use `"additionalProperties": false`, so a misspelt key is reported
   * (`containers.photos.storages[1].bucketname: unknown property`). A backend without one gets
   * its options unchecked, and `wl` says so once per run.
   */
  static OPTIONS_SCHEMA?: JsonSchema;
  /** Optional: OPTIONS_SCHEMA compiled ahead of time, so `wl` need not load a schema compiler at start. */
  static validateOptions?: OptionsValidator;
  readonly backendId: string;
  readonly params: StorageParams;
  protected readonly hashCache: HashCache;
  protected readonly logger: Logger;

  constructor(protected readonly context: BackendContext) {
    this.params = context.params;
    this.backendId = context.params["backend-id"];
    this.hashCache = context.hashCache;
    this.logger = context.logger;
  }

  get type(): string {
    return (this.constructor as typeof StorageBackend).TYPE;
  }

  abstract readonly capabilities: BackendCapabilities;

  /**
   * Measures what this storage's file system does (case, hard links, symlinks, modes, timestamp
   * resolution, ctime) and updates `capabilities`. Called by the engine once per pass before the
   * scan; the default does nothing (static capabilities).
   */
  async probeCapabilities(): Promise<void> {}

  /**
   * Identity of the root itself where no marker can be written there (local: device and inode
   * of the folder); null where the backend has none.
   */
  async rootIdentity(): Promise<string | null> {
    return null;
  }

  /** Stable identity of the physical location (used to key the stored state). */
  abstract identity(): string;
  /** Human-readable location for messages. */
  abstract describe(): string;
  /** Throws StorageUnavailableError if the root is missing, unreadable or unreachable. */
  abstract checkRoot(): Promise<void>;
  /**
   * Every entry below the root (folders included, root excluded), any order. Entries for which
   * `include` returns false are not reported, and excluded folders are not descended into.
   */
  abstract walk(options: WalkOptions): AsyncIterable<StorageEntry>;

  /**
   * The same entries as `walk`, a batch at a time (a folder's entries, a listing page). Scans
   * use this: one promise per batch instead of one per entry. The default groups `walk`;
   * backends that list in batches anyway override it (and may define `walk` over it).
   */
  async *walkBatches(options: WalkOptions): AsyncIterable<StorageEntry[]> {
    let batch: StorageEntry[] = [];
    for await (const entry of this.walk(options)) {
      batch.push(entry);
      if (batch.length >= 1000) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }
  abstract stat(path: string): Promise<StorageEntry | null>;
  abstract createReadStream(path: string): Promise<Readable>;
  abstract openForSafeReplace(path: string, expected: Expected, options?: WriteOptions): Promise<SafeReplaceWriter>;
  /**
   * Optional: openForSafeReplace for a large file whose copy can continue after an interruption
   * (the same compare-and-swap at commit). With `previous` kept and still this backend's own
   * (same temporary file, at least `offset` bytes long), the writer continues at `offset`, the
   * bytes after it dropped; otherwise it starts at 0 and removes what `previous` names.
   */
  openResumable?(path: string, expected: Expected, options: WriteOptions, previous?: PreviousWrite): Promise<ResumableWriter>;
  /** Creates the folder (and missing parents); a folder already there is fine. */
  abstract mkdir(path: string, options?: MkdirOptions): Promise<void>;
  /** Compare-and-swap removal of a file, symlink or empty folder. */
  abstract remove(path: string, expected: Expected): Promise<void>;
  abstract symlink(path: string, target: string, expected: Expected): Promise<void>;
  /** The current token of a file, or null when absent. */
  abstract getFileToken(path: string): Promise<string | null>;

  /**
   * Sets the permission bits of the file at `path` to `mode` (0o777 mask; setuid, setgid and
   * sticky are cleared), no content moved, only if the file is still the one `expected`
   * describes (same token, and same permission bits where `expected.mode` is given): else
   * CasMismatchError (a conflict, never a change of what the plan did not see). Returns the
   * entry after the change. Backends whose storage keeps modes (`capabilities.modes` not false)
   * implement it; the default refuses with BackendError.
   */
  async setMode(path: string, _mode: number, _expected: Pick<StorageEntry, "token" | "mode">): Promise<StorageEntry> {
    throw new BackendError(`${path}: ${this.backendId} (${this.type}) keeps no permission bits`);
  }
  /** The change watcher for continuous sync: the polling watcher when the storage sets `watcher-interval`, else the backend's own. */
  abstract watcher(): StorageWatcher;

  /**
   * Optional capability: renames the file at `from` to `path` on this storage without moving
   * its bytes (local: rename(2)/link(2); S3: CopyObject then a conditional delete; sftp: the
   * server's rename). Compare-and-swap on both paths (see WithinOptions); the destination is
   * never overwritten unless `expected` says what is there. Resolves with the entry now at
   * `path` (its content is the one `hash` names). Throws CasMismatchError (E_CAS) on a mismatch;
   * any error means nothing was changed at `path` or `from`, and the caller transfers instead.
   * Absent: the engine transfers the file and deletes `from`.
   */
  moveWithin?(from: string, path: string, options: WithinOptions): Promise<StorageEntry>;

  /**
   * Optional capability: copies the file at `from` to `path` on this storage without sending
   * its bytes through the host (local: copy_file_range or a reflink; S3: CopyObject). The same
   * checks and result as `moveWithin`; `from` stays. Absent: the engine transfers the file.
   */
  copyWithin?(from: string, path: string, options: WithinOptions): Promise<StorageEntry>;

  /**
   * Optional: a positional reader of a file, for backends that have one (local disks); the
   * default (undefined) means "use createReadStream".
   */
  async openReader(_path: string): Promise<FileReader | undefined> {
    return undefined;
  }

  /**
   * A small file's whole content, and its token read after the bytes (null if it is gone),
   * so the caller can tell whether it read the version it planned with. The default collects
   * createReadStream; backends override it where one request is cheaper than a stream.
   */
  async readWhole(path: string): Promise<{ data: Buffer; token: string | null }> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.createReadStream(path)) chunks.push(chunk as Buffer);
    return { data: Buffer.concat(chunks), token: await this.getFileToken(path) };
  }

  /**
   * openForSafeReplace and commit in one call, for a small file whose bytes (and their sha256,
   * `hash`) are in memory: the same compare-and-swap and atomic placement. Returns the entry
   * now at `path`.
   */
  async replaceWhole(path: string, expected: Expected, data: Buffer, hash: string, options: WriteOptions = {}): Promise<StorageEntry> {
    const writer = await this.openForSafeReplace(path, expected, { ...options, hash });
    try {
      await new Promise<void>((resolve, reject) => {
        writer.stream.once("error", reject);
        writer.stream.end(data, resolve);
      });
      return await writer.commit(hash);
    } catch (err) {
      await writer.abort().catch(() => {});
      throw err;
    }
  }

  async close(): Promise<void> {}

  /**
   * Capability: the folder of this storage on this machine's file system (absolute), when it
   * has one: a local folder, or any backend whose storage is mounted. Syncers with the
   * REQUIRES_MOUNT trait, or that hand files to another program (rsync), work on it directly;
   * they are offered a pair only when both storages have one. Default null: not on a local file system.
   */
  localPath(): string | null {
    return null;
  }

  private keep?: KeepPolicy;

  /**
   * How long this storage keeps versions of what passes replace or delete: its `versions`
   * option (the container's, when the storage has none), default 30 days.
   */
  get keepPolicy(): KeepPolicy {
    return (this.keep ??= parseKeepPolicy(this.params.versions));
  }

  /** Whether a replacement or removal made now keeps the old content as a version. */
  get keepsVersions(): boolean {
    return !!this.capabilities.versions && this.keepPolicy.kind !== "off";
  }

  /**
   * The versions kept on this storage at or below `under` ("" = all), oldest first per path.
   * The default (a backend without versions) has none.
   */
  async listVersions(_under = ""): Promise<StoredVersion[]> {
    return [];
  }

  /** The content of a version listed by `listVersions` (a file version). */
  async openVersion(version: StoredVersion): Promise<Readable> {
    throw new Error(`${this.backendId} (${this.type}) keeps no versions; cannot read ${version.name}`);
  }

  /** Deletes a version (pruning). A version already gone is fine. */
  async removeVersion(_version: StoredVersion): Promise<void> {}

  /** The relative path of a local file-system path inside this storage, or null (not local, or outside). */
  relativePathOf(_absolutePath: string): string | null {
    return null;
  }

  /** Remembers the sha256 of a version of a file seen or written by the caller. */
  rememberHash(path: string, entry: StorageEntry, hash: string): void {
    if (entry.tokenTrusted === false) return;
    this.hashCache.put(this.identity(), path, entry.token, hash, entry.changedMs ?? entry.mtimeMs);
  }

  forgetHash(path: string): void {
    this.hashCache.forget(this.identity(), path);
  }

  /**
   * sha256 of a file entry known without reading it: given by the backend's listing, or in the
   * cache under an unchanged, trusted token. Synchronous, for callers deciding many files.
   */
  knownHash(path: string, entry: StorageEntry): string | undefined {
    if (entry.hash || entry.tokenTrusted === false) return entry.hash;
    return this.hashCache.get(this.identity(), path, entry.token);
  }

  /**
   * sha256 of a file, from the cache when its token is unchanged and trusted, else by reading
   * the bytes once. A file that changes while it is read raises ChangedDuringSyncError.
   */
  async getHash(path: string, entry?: StorageEntry): Promise<string> {
    const current = entry ?? (await this.stat(path));
    if (current?.kind !== "file") throw new ChangedDuringSyncError(`${path}: no longer a file`);
    const known = this.knownHash(path, current);
    if (known) return known;
    let digest: string;
    let after: string | null;
    if (current.size <= SMALL_FILE_BYTES) {
      const whole = await this.readWhole(path);
      digest = createHash("sha256").update(whole.data).digest("hex");
      after = whole.token;
    } else {
      const reader = await this.openReader(path);
      if (reader) digest = await hashReader(reader);
      else {
        const hash = createHash("sha256");
        await pipeline(await this.createReadStream(path), hash);
        digest = hash.digest("hex");
      }
      after = await this.getFileToken(path);
    }
    if (after !== current.token) throw new ChangedDuringSyncError(`${path}: changed while it was hashed`);
    if (current.tokenTrusted !== false) this.hashCache.put(this.identity(), path, current.token, digest, current.changedMs ?? current.mtimeMs);
    return digest;
  }
}

/** sha256 of a file through a positional reader: two reused 1 MiB buffers, the next read ahead. */
async function hashReader(reader: FileReader): Promise<string> {
  const hash = createHash("sha256");
  const buffers = [Buffer.allocUnsafeSlow(1 << 20), Buffer.allocUnsafeSlow(1 << 20)];
  try {
    let position = 0;
    let reading = reader.read(buffers[0]!, 0);
    for (let i = 0; ; i++) {
      const n = await reading;
      if (n === 0) break;
      position += n;
      reading = reader.read(buffers[(i + 1) % 2]!, position);
      reading.catch(() => {}); // awaited on the next turn; no unhandled rejection meanwhile
      hash.update(buffers[i % 2]!.subarray(0, n));
    }
  } finally {
    await reader.close();
  }
  return hash.digest("hex");
}

export type StorageBackendClass = (abstract new (
  context: BackendContext,
) => StorageBackend) & {
  TYPE: string;
  OPTIONS_SCHEMA?: JsonSchema;
  validateOptions?: OptionsValidator;
};
