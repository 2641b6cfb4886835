import { createHash } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { CompletedPart, ListObjectsV2CommandOutput, S3Client } from "@aws-sdk/client-s3";
import {
  BackendError,
  CasMismatchError,
  ChangedDuringSyncError,
  PollingWatcher,
  StorageBackend,
  StorageUnavailableError,
  TEMP_PREFIX,
  VERSIONS_DIR,
  OWN_DIR,
  isOwnPath,
  parseVersionName,
  versionName,
  type StoredVersion,
  VerifyError,
  type BackendCapabilities,
  type BackendContext,
  type Expected,
  type FileReader,
  type MkdirOptions,
  type PreviousWrite,
  type ResumableWriter,
  type SafeReplaceWriter,
  type StorageEntry,
  type StorageWatcher,
  type WalkOptions,
  type WriteOptions,
  type WithinOptions,
  hasCode,
  casMismatch,
  expectedMismatch,
  type Current,
} from "@wlsync/plugin-api";
import { ConditionalProbe, etagHeader, forcedSupport, probeKey, type ConditionalOperation, type ConditionalSupport } from "./conditional-writes.js";
import { ObjectUpload, type UploadTarget, type WriteConditions } from "./object-upload.js";
import { PartPool } from "./part-pool.js";
import { ObjectReader } from "./object-reader.js";
import { createS3Client } from "./s3-client.js";
import { loadSdk, type Sdk } from "./s3-sdk.js";
import { classifyS3Error, requestFailure, unavailableMessage, type Where } from "./s3-errors.js";
import { KeyMap, etagOf, unsafePathReason } from "./s3-keys.js";
import { MAX_PART_SIZE, readS3Options, type S3Options } from "./s3-options.js";
import { OPTIONS_SCHEMA, validateOptions } from "./storage-options.validate.generated.js";

interface HeadResult {
  token: string;
  size: number;
  mtimeMs: number;
  /** sha256 from the object's metadata, when a writer stored it. */
  sha256?: string;
}

/** Parts in flight per upload while the next part fills. */
const QUEUE_SIZE = 2;
/** Part buffers per storage, shared by all its uploads (8 × 8 MiB with the default part size). */
const PART_BUFFERS = 8;
/** Deadline for the root check: an unreachable endpoint fails in seconds, not minutes. */
const CHECK_ROOT_DEADLINE_MS = 10_000;

/**
 * A bucket (or a prefix of one) on AWS S3 or any S3-compatible server.
 *
 * - Folders are key prefixes; an empty folder is a zero-byte `name/` marker key.
 * - The file token is the ETag, which changes with every write of new content. The sha256 of an
 *   object is stored as `x-amz-meta-sha256` when wl writes it; objects from other tools are hashed
 *   by streaming once, and the result is cached by ETag.
 * - Writes are invisible until verified: small files go up in one PUT at commit, large ones as
 *   multipart uploads completed at commit, with `If-None-Match`/`If-Match` where the server
 *   honours them for that operation (probed per operation, see conditional-writes.ts), else
 *   after a HEAD re-check (a narrower guarantee: a write by another client between the HEAD
 *   and the request is overwritten).
 */
export class S3Backend extends StorageBackend {
  static override TYPE = "s3";
  /** bucket, prefix, region, endpoint, force-path-style, part-size, transfers, conditional-writes (see schemas/storage-options.schema.json). */
  static override OPTIONS_SCHEMA = OPTIONS_SCHEMA;
  static override validateOptions = validateOptions;
  readonly options: S3Options;
  readonly keys: KeyMap;
  private connection?: Promise<{ sdk: Sdk; client: S3Client }>;
  /** Set by `conditional-writes: true|false`; else each operation is probed on first use. */
  private readonly forcedConditions?: ConditionalSupport;
  private readonly probe: ConditionalProbe;
  private readonly partPool: PartPool;

  constructor(context: BackendContext) {
    super(context);
    this.options = readS3Options(context.params);
    this.keys = new KeyMap(this.options.prefix);
    this.partPool = new PartPool(this.options.partSize, PART_BUFFERS);
    if (this.options.conditionalWrites !== "auto") this.forcedConditions = forcedSupport(this.options.conditionalWrites);
    this.probe = ConditionalProbe.of(this.options.endpoint ?? `aws:${this.options.region ?? ""}`, this.options.bucket);
  }

  /** Atomic compare-and-swap once the server is known to honour the conditions of one-request writes and deletes. */
  get capabilities(): BackendCapabilities {
    const c = this.conditionalWrites();
    // No modes: listings carry no metadata, so reading a mode stored with an object would cost a
    // HEAD per object per pass, and changing it a copy of the object (a new ETag).
    return { symlinks: false, emptyDirs: true, modes: false, atomicCompareAndSwap: !!(c.createIfAbsent && c.replaceIfMatch && c.deleteIfMatch), transfers: this.options.transfers, versions: true };
  }

  /** The conditional operations known so far: forced by the config, or probed (only those used yet). */
  conditionalWrites(): Partial<ConditionalSupport> {
    return this.forcedConditions ?? this.probe.results;
  }

  /** Whether (and with which ETag form) the server honours `operation`, probed once per endpoint. */
  async honours<K extends ConditionalOperation>(operation: K): Promise<ConditionalSupport[K]> {
    if (this.forcedConditions) return this.forcedConditions[operation];
    const { sdk, client } = await this.s3();
    return this.probe.support(operation, {
      sdk,
      client,
      bucket: this.options.bucket,
      key: () => probeKey(this.keys.prefix, TEMP_PREFIX),
      debug: (message) => this.logger.debug(`${this.backendId}: ${message}`),
    });
  }

  /** The SDK and this storage's client, loaded and made on first use. */
  s3(): Promise<{ sdk: Sdk; client: S3Client }> {
    this.connection ??= Promise.all([loadSdk(), createS3Client(this.options)]).then(([sdk, client]) => ({ sdk, client }));
    return this.connection;
  }

  private get where(): Where {
    return { backendId: this.backendId, bucket: this.options.bucket, region: this.options.region, endpoint: this.options.endpoint };
  }

  identity(): string {
    return `s3:${this.options.endpoint ?? "aws"}/${this.options.bucket}/${this.options.prefix}`;
  }

  describe(): string {
    const at = this.options.endpoint ? ` at ${this.options.endpoint}` : "";
    return `s3://${this.options.bucket}/${this.options.prefix}${at}`;
  }

  override async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) (await connection.catch(() => undefined))?.client.destroy();
  }

  /** A failed request on one item: a per-item error (exit 2), or a conflict for a refused condition. */
  private itemError(path: string, action: string, err: unknown): Error {
    if (hasCode(err, "E_BACKEND", "E_CAS", "E_CHANGED", "E_VERIFY")) return err;
    const info = classifyS3Error(err);
    if (info.kind === "precondition") return new CasMismatchError(`${path}: changed on ${this.backendId} since the plan was made (the server refused the conditional write)`);
    if (info.code === "XAmzContentSHA256Mismatch" || info.code === "BadDigest") {
      return new VerifyError(`${path}: ${this.backendId} received bytes that do not match their sha256 (${info.code}); it will be retried on the next pass`);
    }
    return new BackendError(`${path}: cannot ${action} on ${this.backendId}: ${requestFailure(this.where, err)}`, err);
  }

  // ---- reading ------------------------------------------------------------------------------

  async checkRoot(): Promise<void> {
    const { sdk, client } = await this.s3();
    try {
      await client.send(
        new sdk.ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.options.prefix || undefined, MaxKeys: 1 }),
        { abortSignal: AbortSignal.timeout(CHECK_ROOT_DEADLINE_MS) },
      );
    } catch (err) {
      throw new StorageUnavailableError(unavailableMessage(this.where, err), err);
    }
  }

  private async *listKeys(prefix: string): AsyncGenerator<ListObjectsV2CommandOutput> {
    const { sdk, client } = await this.s3();
    let token: string | undefined;
    do {
      const page = await client.send(
        new sdk.ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix || undefined, ContinuationToken: token }),
      );
      yield page;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async *walk(options: WalkOptions): AsyncIterable<StorageEntry> {
    const include = options.include ?? (() => true);
    const dirVerdicts = new Map<string, boolean>();
    /** Whether a folder is reported (and its content looked at): it and every parent included. */
    const dirIncluded = (dir: string): boolean => {
      let verdict = dirVerdicts.get(dir);
      if (verdict === undefined) {
        const slash = dir.lastIndexOf("/");
        verdict = (slash < 0 || dirIncluded(dir.slice(0, slash))) && include(dir, true);
        dirVerdicts.set(dir, verdict);
      }
      return verdict;
    };
    const dirs = new Map<string, StorageEntry>();
    const files = new Map<string, StorageEntry>();
    // Only what lies below `under` (a change-driven pass scans the changed folders alone).
    const under = options.under ?? "";
    const below = under === "" ? () => true : (path: string) => path.startsWith(`${under}/`);
    const addDir = (path: string, mtimeMs: number): void => {
      if (!below(path)) return;
      const seen = dirs.get(path);
      if (!seen) dirs.set(path, { path, kind: "dir", size: 0, token: "dir", mtimeMs });
      else if (mtimeMs > seen.mtimeMs) seen.mtimeMs = mtimeMs;
    };

    try {
      for await (const page of this.listKeys(under === "" ? this.keys.prefix : this.keys.dirKey(under))) {
        for (const object of page.Contents ?? []) {
          const key = object.Key ?? "";
          const mapped = this.keys.pathOf(key);
          if (!mapped) continue;
          const { path, marker } = mapped;
          if (!below(path)) continue;
          if (path === OWN_DIR || path.startsWith(`${OWN_DIR}/`)) continue; // wl's own keys (versions): never storage entries
          const unsafe = unsafePathReason(path);
          if (unsafe) {
            options.onWarning({ path: key, message: `key skipped: it cannot be a file name (${unsafe})` });
            continue;
          }
          const mtimeMs = object.LastModified?.getTime() ?? 0;
          const slash = path.lastIndexOf("/");
          if (slash >= 0 && !dirIncluded(path.slice(0, slash))) continue;
          if (marker) {
            if (dirIncluded(path)) addDir(path, mtimeMs);
          } else if (include(path, false)) {
            const etag = etagOf(object.ETag);
            files.set(path, { path, kind: "file", size: object.Size ?? 0, token: etag || `${object.Size}:${mtimeMs}`, mtimeMs });
          }
          for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) addDir(path.slice(0, i), 0);
        }
      }
    } catch (err) {
      throw new StorageUnavailableError(`${unavailableMessage(this.where, err)} (while listing)`, err);
    }
    for (const [path, entry] of dirs) {
      if (files.delete(path)) {
        options.onWarning({ path, message: `skipped: ${this.backendId} holds both an object "${path}" and keys below "${path}/"; only the folder is synced` });
      }
      yield entry;
    }
    yield* files.values();
  }

  private async head(path: string): Promise<HeadResult | null> {
    const { sdk, client } = await this.s3();
    try {
      const r = await client.send(new sdk.HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keys.fileKey(path) }));
      const mtimeMs = r.LastModified?.getTime() ?? 0;
      const sha256 = r.Metadata?.sha256;
      return {
        token: etagOf(r.ETag) || `${r.ContentLength}:${mtimeMs}`,
        size: r.ContentLength ?? 0,
        mtimeMs,
        sha256: sha256 && /^[0-9a-f]{64}$/.test(sha256) ? sha256 : undefined,
      };
    } catch (err) {
      if (classifyS3Error(err).kind === "not-found") return null;
      throw this.itemError(path, "read", err);
    }
  }

  /** Whether anything lives below `path/` (a marker or other keys), and which keys (up to `max`). */
  private async keysBelow(path: string, max: number): Promise<string[]> {
    const { sdk, client } = await this.s3();
    try {
      const r = await client.send(new sdk.ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.keys.dirKey(path), MaxKeys: max }));
      return (r.Contents ?? []).map((o) => o.Key ?? "");
    } catch (err) {
      throw this.itemError(`${path}/`, "list", err);
    }
  }

  override async stat(path: string): Promise<StorageEntry | null> {
    if (path === "") return { path, kind: "dir", size: 0, token: "dir", mtimeMs: 0 };
    const head = await this.head(path);
    if (head) return { path, kind: "file", size: head.size, token: head.token, mtimeMs: head.mtimeMs, hash: head.sha256 };
    if ((await this.keysBelow(path, 1)).length) return { path, kind: "dir", size: 0, token: "dir", mtimeMs: 0 };
    return null;
  }

  async getFileToken(path: string): Promise<string | null> {
    return (await this.head(path))?.token ?? null;
  }

  /**
   * Positional reads of the object's current version (see ObjectReader): a large copy reads it
   * in chunks through ranged GETs, so a copy from S3 killed part-way continues on the next pass
   * from its checkpoint instead of downloading the object again. A server that answers a range
   * with the whole object is refused (BackendError) rather than read at the wrong offset.
   */
  override async openReader(path: string): Promise<FileReader> {
    const head = await this.head(path);
    if (!head) throw new ChangedDuringSyncError(`${path}: deleted on ${this.backendId} since the scan`);
    const { sdk, client } = await this.s3();
    const etag = head.token.includes(":") ? "" : head.token; // size:mtime when the server sends no ETag
    return new ObjectReader(path, etag, head.size, async (start) => {
      try {
        const r = await client.send(new sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.keys.fileKey(path), ...(start > 0 ? { Range: `bytes=${start}-` } : {}) }));
        const body = r.Body;
        if (!(body instanceof Readable)) throw new Error("the response body is not a stream");
        if (start > 0 && !r.ContentRange?.startsWith(`bytes ${start}-`)) {
          body.destroy();
          throw new BackendError(`${path}: ${this.backendId} did not answer a ranged read (Range: bytes=${start}-) with that range`);
        }
        body.once("error", () => {}); // reported by the reader's next read
        return { body, etag: etagOf(r.ETag) };
      } catch (err) {
        if (classifyS3Error(err).kind === "not-found") throw new ChangedDuringSyncError(`${path}: deleted on ${this.backendId} since the scan`);
        throw this.itemError(path, "read", err);
      }
    });
  }

  async createReadStream(path: string): Promise<Readable> {
    const { sdk, client } = await this.s3();
    try {
      const r = await client.send(new sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.keys.fileKey(path) }));
      const body = r.Body;
      if (!(body instanceof Readable)) throw new Error("the response body is not a stream");
      // Errors in the middle of the body (connection lost) are named like every other item error.
      const out = new PassThrough({ highWaterMark: 1 << 20 });
      body.once("error", (err) => out.destroy(this.itemError(path, "read", err)));
      out.once("close", () => body.destroy());
      body.pipe(out);
      return out;
    } catch (err) {
      if (classifyS3Error(err).kind === "not-found") throw new ChangedDuringSyncError(`${path}: deleted on ${this.backendId} since the scan`);
      throw this.itemError(path, "read", err);
    }
  }

  /**
   * A small object in one GET: its ETag comes with the bytes, so the token is exactly that of the
   * version read (no HEAD afterwards).
   */
  override async readWhole(path: string): Promise<{ data: Buffer; token: string | null }> {
    const { sdk, client } = await this.s3();
    try {
      const r = await client.send(new sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.keys.fileKey(path) }));
      if (!r.Body) throw new Error("the response has no body");
      const data = Buffer.from(await r.Body.transformToByteArray());
      const mtimeMs = r.LastModified?.getTime() ?? 0;
      return { data, token: etagOf(r.ETag) || `${r.ContentLength}:${mtimeMs}` };
    } catch (err) {
      if (classifyS3Error(err).kind === "not-found") throw new ChangedDuringSyncError(`${path}: deleted on ${this.backendId} since the scan`);
      throw this.itemError(path, "read", err);
    }
  }

  /**
   * ETags name content, not a moment: unlike a disk's mtime they cannot be "racy", so hashes
   * recorded against them are trusted at once.
   */
  override rememberHash(path: string, entry: StorageEntry, hash: string): void {
    this.hashCache.put(this.identity(), path, entry.token, hash, 0);
  }

  /** From the listing, the cache (by ETag), the object's sha256 metadata (HEAD), or by streaming it once. */
  override async getHash(path: string, entry?: StorageEntry): Promise<string> {
    const current = entry ?? (await this.stat(path));
    if (current?.kind !== "file") throw new ChangedDuringSyncError(`${path}: no longer a file on ${this.backendId}`);
    if (current.hash) return current.hash;
    const cached = this.hashCache.get(this.identity(), path, current.token);
    if (cached) return cached;
    const head = await this.head(path);
    if (!head || head.token !== current.token) throw new ChangedDuringSyncError(`${path}: changed on ${this.backendId} while it was scanned`);
    if (head.sha256) {
      this.rememberHash(path, current, head.sha256);
      return head.sha256;
    }
    const hash = createHash("sha256");
    try {
      await pipeline(await this.createReadStream(path), hash);
    } catch (err) {
      throw hasCode(err, "E_CHANGED") ? err : this.itemError(path, "read", err);
    }
    const digest = hash.digest("hex");
    if ((await this.getFileToken(path)) !== current.token) throw new ChangedDuringSyncError(`${path}: changed on ${this.backendId} while it was hashed`);
    this.rememberHash(path, current, digest);
    return digest;
  }

  // ---- compare-and-swap ---------------------------------------------------------------------

  /**
   * Throws CasMismatchError unless `path` holds what the caller expects; for a file, returns the
   * ETag of the version that matched (to pin it with If-Match).
   */
  private async assertExpected(path: string, expected: Expected): Promise<string | undefined> {
    // What is there, in as few requests as the expectation needs (S3 holds no symlinks; a
    // folder is a prefix with keys below it and no object of its own).
    const head = expected.kind === "symlink" ? undefined : await this.head(path);
    let current: Current = { kind: "absent" };
    if (head) {
      const entry = { path, kind: "file" as const, size: head.size, token: head.token, mtimeMs: head.mtimeMs };
      current = { kind: "file", hash: async () => head.sha256 ?? (await this.getHash(path, entry)) };
    } else if (expected.kind === "dir" && (await this.keysBelow(path, 1)).length) current = { kind: "dir" };
    const reason = await expectedMismatch(expected, current);
    if (reason) throw casMismatch(path, this.backendId, reason);
    return head?.token;
  }

  async openForSafeReplace(path: string, expected: Expected, options: WriteOptions = {}): Promise<SafeReplaceWriter> {
    return this.openUpload(path, expected, options);
  }

  /**
   * openForSafeReplace as a multipart upload that a later pass can continue: its id and the
   * ETags of its parts are the handle. A previous upload is continued when the server still
   * lists it with parts 1..n of this storage's part size carrying the recorded ETags (ETags are
   * computed by the server from the bytes it stored); else it is aborted and a new one starts.
   * Checkpoints fall on part boundaries (`alignment`). Parts of an unfinished multipart upload
   * cannot be read back: the caller verifies the prefix against its source instead.
   */
  override async openResumable(path: string, expected: Expected, options: WriteOptions, previous?: PreviousWrite): Promise<ResumableWriter> {
    const { sdk, client } = await this.s3();
    const key = this.keys.fileKey(path);
    const bucket = this.options.bucket;
    const partSize = this.options.partSize;
    const old = previous && previous.handle.key === key && typeof previous.handle.uploadId === "string" ? previous.handle.uploadId : undefined;
    let continues: { uploadId: string; parts: CompletedPart[] } | undefined;
    if (old && previous?.keep && previous.handle.partSize === partSize && typeof previous.handle.parts === "string") {
      const recorded = previous.handle.parts ? previous.handle.parts.split(" ") : [];
      if (recorded.length * partSize === previous.offset) {
        const listed = await this.listParts(key, old).catch((err: unknown) => {
          this.logger.debug(`${this.backendId}: ${path}: the interrupted upload cannot be listed (${(err as Error).name}); it starts over`);
          return undefined;
        });
        const fits = listed && recorded.every((etag, i) => listed.get(i + 1)?.etag === etag && listed.get(i + 1)?.size === partSize);
        if (fits) continues = { uploadId: old, parts: recorded.map((etag, i) => ({ PartNumber: i + 1, ETag: `"${etag}"` })) };
      }
    }
    if (old && !continues) await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: old })).catch(() => undefined);
    return this.openUpload(path, expected, options, { continues });
  }

  /** Parts of a multipart upload by number: ETag (unquoted) and size. */
  private async listParts(key: string, uploadId: string): Promise<Map<number, { etag: string; size: number }>> {
    const { sdk, client } = await this.s3();
    const parts = new Map<number, { etag: string; size: number }>();
    let marker: string | undefined;
    for (;;) {
      const r = await client.send(new sdk.ListPartsCommand({ Bucket: this.options.bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }));
      for (const p of r.Parts ?? []) if (p.PartNumber) parts.set(p.PartNumber, { etag: etagOf(p.ETag), size: p.Size ?? -1 });
      if (!r.IsTruncated || !r.NextPartNumberMarker) return parts;
      marker = String(r.NextPartNumberMarker);
    }
  }

  private async openUpload(path: string, expected: Expected, options: WriteOptions): Promise<SafeReplaceWriter>;
  private async openUpload(path: string, expected: Expected, options: WriteOptions, resumable: NonNullable<UploadTarget["resumable"]>): Promise<ResumableWriter>;
  private async openUpload(path: string, expected: Expected, options: WriteOptions = {}, resumable?: NonNullable<UploadTarget["resumable"]>): Promise<SafeReplaceWriter | ResumableWriter> {
    const { sdk, client } = await this.s3();
    if (expected.kind !== "absent" && expected.kind !== "file") await this.assertExpected(path, expected);
    const key = this.keys.fileKey(path);
    const large = !!resumable || (options.size ?? 0) > this.options.partSize;
    // Pin the version the plan saw now (for If-Match), and check early before a long upload.
    let pinned: string | undefined;
    if (expected.kind === "file" && (large || (await this.honours("replaceIfMatch")))) pinned = await this.assertExpected(path, expected);
    else if (expected.kind === "absent" && large && !(await this.honours("completeIfAbsent"))) await this.assertExpected(path, expected);

    const upload = new ObjectUpload({
      sdk,
      client,
      bucket: this.options.bucket,
      key,
      partSize: this.options.partSize,
      parts: this.partPool,
      queueSize: QUEUE_SIZE,
      knownHash: options.hash,
      wrapError: (err) => this.itemError(path, "upload", err),
      resumable,
    });
    if (resumable) {
      try {
        await upload.begin();
      } catch (err) {
        throw this.itemError(path, "upload", err);
      }
    }
    const closed = new Promise<void>((ok, ko) => {
      upload.stream.once("finish", ok);
      upload.stream.once("error", ko);
      upload.stream.once("close", () => ko(new Error("upload stream closed before it finished")));
    });
    closed.catch(() => {});

    const writer: SafeReplaceWriter = {
      stream: upload.stream,
      commit: async (hash: string) => {
        try {
          if (!upload.stream.writableEnded) upload.stream.end(); // writeAt: no caller ends the stream
          await closed;
        } catch (err) {
          throw this.itemError(path, "upload", err);
        }
        if (options.size !== undefined && upload.size !== options.size) {
          throw new ChangedDuringSyncError(`${path}: ${upload.size} bytes arrived where ${options.size} were expected; it will be synced on the next pass`);
        }
        const conditions: WriteConditions = {};
        const multipart = upload.multipart;
        if (expected.kind === "absent") {
          if (await this.honours(multipart ? "completeIfAbsent" : "createIfAbsent")) conditions.IfNoneMatch = "*";
          // RACE: an object created by another client between this HEAD and the write is overwritten.
          else await this.assertExpected(path, expected);
        } else if (expected.kind === "file") {
          const form = await this.honours(multipart ? "completeIfMatch" : "replaceIfMatch");
          if (form) conditions.IfMatch = etagHeader((pinned ??= await this.assertExpected(path, expected))!, form);
          // RACE: a version written by another client between this HEAD and the write is overwritten.
          else pinned = await this.assertExpected(path, expected);
          if (pinned && this.keepsVersions && !isOwnPath(path)) await this.keepVersion(path, pinned);
        }
        let placed;
        try {
          placed = await upload.place(hash, conditions);
        } catch (err) {
          throw this.itemError(path, "upload", err);
        }
        let { etag, versionId } = placed;
        let ours = true;
        if (!etag) {
          // Ceph RGW answers CompleteMultipartUpload with an empty ETag. The object's HEAD gives
          // it; the ETag computed from the parts tells whether that is still the version written.
          const head = await this.head(path).catch(() => null);
          etag = placed.computedEtag ?? head?.token ?? `${upload.size}:0`;
          ours = head?.token === etag;
        }
        if (ours && placed.storedHash !== hash) ({ etag, versionId } = await this.storeHashMetadata(path, etag, upload.size, hash));
        const entry: StorageEntry = { path, kind: "file", size: upload.size, token: etag, mtimeMs: Date.now(), hash };
        if (versionId) this.logger.debug(`${this.backendId}: ${path} is version ${versionId}`);
        return entry;
      },
      abort: () => upload.abort(),
    };
    if (!resumable) return writer;
    const partSize = this.options.partSize;
    let next = upload.size;
    const handleOf = (parts: CompletedPart[]) => ({ key, uploadId: upload.id ?? null, partSize, parts: parts.map((p) => etagOf(p.ETag)).join(" ") });
    return {
      ...writer,
      offset: upload.size,
      alignment: partSize,
      handle: handleOf(resumable.continues?.parts ?? []),
      // Bytes arrive in order; each is copied (the caller reuses its buffers) into the upload's stream.
      writeAt: (buffer: Buffer, length: number, position: number) =>
        new Promise<void>((ok, ko) => {
          if (position !== next) return ko(new Error(`internal: an upload is written in order (byte ${position} came where ${next} was due)`));
          next += length;
          upload.stream.write(Buffer.from(buffer.subarray(0, length)), (err) => (err ? ko(err) : ok()));
        }),
      checkpoint: async () => {
        const parts = await upload.settle();
        return parts ? handleOf(parts) : undefined;
      },
      suspend: () => upload.suspend(),
    };
  }

  /**
   * A multipart upload fixes its metadata before the bytes (and so their sha256) are known: the
   * sha256 is added afterwards by copying the object onto itself, only if it is still the version
   * just written (CopySourceIfMatch). Best effort: without it the object is still correct, and its
   * hash is computed by streaming when needed. Objects over 5 GiB cannot be copied in one request
   * and keep no sha256 metadata.
   */
  private async storeHashMetadata(path: string, etag: string, size: number, hash: string): Promise<{ etag: string; versionId?: string }> {
    const { sdk, client } = await this.s3();
    if (size > MAX_PART_SIZE) return { etag };
    const key = this.keys.fileKey(path);
    // Without a honoured copy condition the copy could give another client's version our sha256.
    const form = await this.honours("copyIfMatch");
    if (!form) {
      this.logger.debug(`${this.backendId}: ${path}: sha256 metadata not stored (the server ignores x-amz-copy-source-if-match); the hash will be computed when needed`);
      return { etag };
    }
    try {
      const r = await client.send(
        new sdk.CopyObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          CopySource: `${this.options.bucket}/${key.split("/").map(encodeURIComponent).join("/")}`,
          CopySourceIfMatch: etagHeader(etag, form),
          MetadataDirective: "REPLACE",
          ContentType: "application/octet-stream",
          Metadata: { sha256: hash },
        }),
      );
      return { etag: etagOf(r.CopyObjectResult?.ETag) || etag, versionId: r.VersionId };
    } catch (err) {
      // The object is still the version just written (or another client replaced it, and then its
      // own ETag tells it apart): report ours, never a token we did not write.
      this.logger.debug(`${this.backendId}: ${path}: sha256 metadata not stored (${requestFailure(this.where, err)}); the hash will be computed when needed`);
      return { etag };
    }
  }

  // ---- renames and copies on the server ------------------------------------------------------

  /**
   * Copies the object at `from` to `path` on the server (CopyObject: no byte of content passes
   * through this machine), with the sha256 as metadata (see StorageBackend.copyWithin).
   */
  override async copyWithin(from: string, path: string, options: WithinOptions): Promise<StorageEntry> {
    return (await this.copyOnServer(from, path, options)).entry;
  }

  /**
   * Moves the object at `from` to `path`: a server-side copy, then the deletion of `from`, only
   * of the version copied (DeleteObject If-Match where the server honours it, else a HEAD re-check
   * just before). If `from` changed in between, the copy is removed again and the move refused.
   * No version of `from` is kept: its content lives on at `path`.
   */
  override async moveWithin(from: string, path: string, options: WithinOptions): Promise<StorageEntry> {
    const { sdk, client } = await this.s3();
    const { entry, etag } = await this.copyOnServer(from, path, options);
    const undo = async (err: unknown): Promise<never> => {
      await this.deleteObject(path, entry.token).catch(() => {});
      throw err;
    };
    const form = await this.honours("deleteIfMatch");
    // RACE: where the server ignores If-Match on DELETE, a version written by another client
    // between this HEAD and the DELETE is deleted (as in remove).
    if (!form && (await this.head(from))?.token !== etag) await undo(casMismatch(from, this.backendId, "changed"));
    try {
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keys.fileKey(from), IfMatch: form ? etagHeader(etag, form) : undefined }));
    } catch (err) {
      if (classifyS3Error(err).kind !== "not-found") await undo(this.itemError(from, "delete", err));
    }
    await this.keepParentFolder(from);
    return entry;
  }

  /**
   * CopyObject of the version of `from` whose sha256 is `options.hash` to `path`, which must be
   * absent. Only that version: CopySourceIfMatch where the server honours it; elsewhere the
   * copy's ETag must equal the one checked (an ETag names the content of an object), else the
   * copy is deleted and the request refused (CasMismatchError). Objects over 5 GiB (the limit of
   * one CopyObject) and replacements of existing objects are left to a transfer (BackendError).
   * Returns the new entry and the ETag of the version copied.
   */
  private async copyOnServer(from: string, path: string, options: WithinOptions): Promise<{ entry: StorageEntry; etag: string }> {
    const { sdk, client } = await this.s3();
    if (options.expected.kind !== "absent") throw new BackendError(`${path}: not copied onto an existing object on the server; transferred instead`);
    const head = await this.head(from);
    if (!head) throw casMismatch(from, this.backendId, "disappeared");
    if (head.size > MAX_PART_SIZE) throw new BackendError(`${from}: over 5 GiB, not copied on the server (one CopyObject's limit); transferred instead`);
    const etag = (await this.assertExpected(from, { kind: "file", hash: options.hash }))!;
    // RACE: CopyObject has no create-if-absent condition: an object another client creates at
    // `path` between this HEAD and the copy is replaced (one round trip).
    await this.assertExpected(path, options.expected);
    const form = await this.honours("copyIfMatch");
    const key = this.keys.fileKey(from);
    let copied: string;
    try {
      const r = await client.send(
        new sdk.CopyObjectCommand({
          Bucket: this.options.bucket,
          Key: this.keys.fileKey(path),
          CopySource: `${this.options.bucket}/${key.split("/").map(encodeURIComponent).join("/")}`,
          ...(form ? { CopySourceIfMatch: etagHeader(etag, form) } : {}),
          MetadataDirective: "REPLACE",
          ContentType: "application/octet-stream",
          Metadata: { sha256: options.hash },
        }),
      );
      copied = etagOf(r.CopyObjectResult?.ETag);
    } catch (err) {
      if (classifyS3Error(err).kind === "precondition") throw casMismatch(from, this.backendId, "changed");
      throw this.itemError(path, "copy", err);
    }
    if (!copied || (!form && copied !== etag)) {
      await this.deleteObject(path, copied || undefined).catch(() => {});
      throw casMismatch(from, this.backendId, "changed");
    }
    return { entry: { path, kind: "file", size: head.size, token: copied, mtimeMs: Date.now(), hash: options.hash }, etag };
  }

  /** DeleteObject of `path`, only of version `etag` where the server honours If-Match on deletes. */
  private async deleteObject(path: string, etag: string | undefined): Promise<void> {
    const { sdk, client } = await this.s3();
    const form = etag ? await this.honours("deleteIfMatch") : null;
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keys.fileKey(path), IfMatch: form ? etagHeader(etag!, form) : undefined }));
  }

  /**
   * An empty folder is a zero-byte `path/` marker. When files are copied into the folder right
   * away (`contentFollows`), their keys make the folder and no marker is written; `remove` puts a
   * marker back when the last key of a folder goes, so folders outlive their files as on a disk.
   */
  async mkdir(path: string, options: MkdirOptions = {}): Promise<void> {
    if (options.contentFollows) return;
    const { sdk, client } = await this.s3();
    try {
      await client.send(new sdk.PutObjectCommand({ Bucket: this.options.bucket, Key: this.keys.dirKey(path), Body: "", ContentLength: 0 }));
    } catch (err) {
      throw this.itemError(`${path}/`, "create the folder", err);
    }
  }

  async remove(path: string, expected: Expected): Promise<void> {
    const { sdk, client } = await this.s3();
    if (expected.kind === "dir") return this.removeDir(path);
    const etag = await this.assertExpected(path, expected);
    if (etag !== undefined && this.keepsVersions && !isOwnPath(path)) await this.keepVersion(path, etag);
    // RACE: where the server ignores If-Match on DELETE, a version written by another client
    // between the HEAD just made and the DELETE is deleted.
    const form = etag === undefined ? null : await this.honours("deleteIfMatch");
    try {
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keys.fileKey(path), IfMatch: form ? etagHeader(etag!, form) : undefined }));
    } catch (err) {
      if (classifyS3Error(err).kind !== "not-found") throw this.itemError(path, "delete", err);
    }
    await this.keepParentFolder(path);
  }

  /**
   * Keeps the object at `path` as a version before it is replaced or deleted: a server-side copy
   * to `<prefix>.wlsync/versions/<path>~<UTC time>`, only if it is still the version `etag` the
   * compare-and-swap approved (CopySourceIfMatch; a refusal is a conflict). Metadata (the sha256)
   * goes with it. Objects over 5 GiB cannot be copied in one request: they are not kept, with a
   * warning. On a bucket with versioning enabled the server keeps its own noncurrent versions too.
   */
  private async keepVersion(path: string, etag: string): Promise<void> {
    const { sdk, client } = await this.s3();
    const key = this.keys.fileKey(path);
    const head = await this.head(path);
    if (head && head.size > MAX_PART_SIZE) {
      this.logger.warn(`${this.backendId}: ${path} is over 5 GiB and is not kept as a version`);
      return;
    }
    const target = this.keys.fileKey(`${VERSIONS_DIR}/${versionName(path, Date.now())}`);
    // Where the server ignores the copy condition, the caller's own condition (or re-check) on the
    // replacement or deletion is what keeps compare-and-swap; the version is then the object as copied.
    const form = await this.honours("copyIfMatch");
    try {
      await client.send(
        new sdk.CopyObjectCommand({
          Bucket: this.options.bucket,
          Key: target,
          CopySource: `${this.options.bucket}/${key.split("/").map(encodeURIComponent).join("/")}`,
          ...(form ? { CopySourceIfMatch: etagHeader(etag, form) } : {}),
          MetadataDirective: "COPY",
        }),
      );
    } catch (err) {
      const info = classifyS3Error(err);
      if (info.kind === "precondition") throw new CasMismatchError(`${path}: changed on ${this.backendId} since the plan was made`);
      if (info.kind !== "not-found") throw this.itemError(path, "keep the old version of", err);
      // Gone, or a server that cannot find some names as copy sources (s3rver with "+"): if HEAD
      // still finds that version, it is copied through this client instead.
      if (head?.token !== etag) throw new CasMismatchError(`${path}: changed on ${this.backendId} since the plan was made`);
      await this.copyThroughClient(path, target, head);
      if ((await this.head(path))?.token !== etag) throw new CasMismatchError(`${path}: changed on ${this.backendId} since the plan was made`);
    }
  }

  /** GET then PUT of one object to another key (the fallback of keepVersion), metadata kept. */
  private async copyThroughClient(path: string, targetKey: string, head: HeadResult): Promise<void> {
    const { sdk, client } = await this.s3();
    try {
      const body = await this.createReadStream(path);
      await client.send(
        new sdk.PutObjectCommand({
          Bucket: this.options.bucket,
          Key: targetKey,
          Body: body,
          ContentLength: head.size,
          ContentType: "application/octet-stream",
          ...(head.sha256 ? { Metadata: { sha256: head.sha256 } } : {}),
        }),
      );
    } catch (err) {
      throw this.itemError(path, "keep the old version of", err);
    }
  }

  override async listVersions(under = ""): Promise<StoredVersion[]> {
    const base = this.keys.fileKey(`${VERSIONS_DIR}/`);
    const out: StoredVersion[] = [];
    try {
      for await (const page of this.listKeys(base + under)) {
        for (const object of page.Contents ?? []) {
          const name = (object.Key ?? "").slice(base.length);
          const parsed = parseVersionName(name);
          if (!parsed || (under !== "" && parsed.path !== under && !parsed.path.startsWith(`${under}/`))) continue;
          out.push({ ...parsed, name, kind: "file", size: object.Size ?? 0 });
        }
      }
    } catch (err) {
      throw this.itemError(VERSIONS_DIR, "list", err);
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.timeMs - b.timeMs));
  }

  override async openVersion(version: StoredVersion): Promise<Readable> {
    return this.createReadStream(`${VERSIONS_DIR}/${version.name}`);
  }

  override async removeVersion(version: StoredVersion): Promise<void> {
    const { sdk, client } = await this.s3();
    try {
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keys.fileKey(`${VERSIONS_DIR}/${version.name}`) }));
    } catch (err) {
      if (classifyS3Error(err).kind !== "not-found") throw this.itemError(version.name, "delete", err);
    }
  }

  /** After a key went: if it was the last one below its folder, the folder stays as a marker. */
  private async keepParentFolder(path: string): Promise<void> {
    const slash = path.lastIndexOf("/");
    if (slash < 0) return;
    const parent = path.slice(0, slash);
    if ((await this.keysBelow(parent, 1)).length) return;
    await this.mkdir(parent);
  }

  /** A folder goes when nothing is left below it but its marker (like rmdir). */
  private async removeDir(path: string): Promise<void> {
    const { sdk, client } = await this.s3();
    const marker = this.keys.dirKey(path);
    const below = await this.keysBelow(path, 2);
    if (below.some((key) => key !== marker)) {
      throw new BackendError(`${path}/: not deleted on ${this.backendId}: the folder still holds objects that are not synced (ignored or unreadable)`);
    }
    if (below.length) {
      try {
        await client.send(new sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: marker }));
      } catch (err) {
        if (classifyS3Error(err).kind !== "not-found") throw this.itemError(`${path}/`, "delete", err);
      }
    }
    await this.keepParentFolder(path);
  }

  async symlink(path: string): Promise<void> {
    throw new BackendError(`${path}: ${this.backendId} (s3) cannot hold symlinks`);
  }

  /** Polling listings diffed against the previous one, every `watcher-interval` seconds (default 30). */
  watcher(): StorageWatcher {
    return new PollingWatcher(this, this.options.watcherIntervalS * 1000);
  }
}
