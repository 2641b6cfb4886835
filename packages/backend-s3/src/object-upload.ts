import { Writable } from "node:stream";
import type { CompletedPart, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { PartPool } from "./part-pool.js";
import type { Sdk } from "./s3-sdk.js";
import { multipartEtag } from "./conditional-writes.js";
import { etagOf } from "./s3-keys.js";

export interface UploadTarget {
  sdk: Sdk;
  client: S3Client;
  bucket: string;
  key: string;
  /** Bytes per part; a body up to this size goes up in one PUT at commit. */
  partSize: number;
  /** Where part buffers come from (shared by the storage's uploads; buffers of `partSize`). */
  parts: PartPool;
  /** Parts in flight per upload while the next one fills (buffers permitting). */
  queueSize: number;
  /** sha256 of the content when known before the bytes arrive (stored at multipart creation). */
  knownHash?: string;
  /** Turns a failed request into the error the stream reports (with the path and storage named). */
  wrapError: (err: unknown) => Error;
  /**
   * A resumable upload: always multipart, whatever the size. With `continues`, it goes on with
   * that multipart upload, whose parts 1..n (all of `partSize` bytes) are already there.
   */
  resumable?: { continues?: { uploadId: string; parts: CompletedPart[] } };
}

/** Conditional-write headers for the request that makes the object visible. */
export interface WriteConditions {
  IfMatch?: string;
  IfNoneMatch?: string;
}

export interface PlacedObject {
  etag: string;
  versionId?: string;
  /** The sha256 stored in the object's metadata ("" when none could be stored yet). */
  storedHash: string;
  /** For a multipart upload: the ETag S3 computes from its parts (null when parts are not md5s). */
  computedEtag?: string | null;
}

/**
 * A pending object: bytes written to `stream` are kept in memory up to one part; beyond that a
 * multipart upload starts and parts go up while the stream is written (bounded memory). Nothing
 * is visible under the key until `place()`: a small object is PUT there in one request, a large
 * one's multipart upload is completed. Either request carries the conditional headers, so the
 * compare-and-swap covers the whole transfer where the server honours them.
 */
export class ObjectUpload {
  readonly stream: Writable;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private received = 0;
  private multipartMode = false;
  private part?: Buffer;
  private partFilled = 0;
  private uploadId?: string;
  private creating?: Promise<string>;
  private readonly parts: CompletedPart[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private nextPart = 1;
  private failure: unknown;
  private placed = false;
  private aborted = false;

  constructor(private readonly target: UploadTarget) {
    if (target.resumable) {
      this.multipartMode = true;
      const continued = target.resumable.continues;
      if (continued) {
        this.uploadId = continued.uploadId;
        this.creating = Promise.resolve(continued.uploadId);
        this.parts.push(...continued.parts);
        this.nextPart = continued.parts.length + 1;
        this.received = continued.parts.length * target.partSize;
      }
    }
    this.stream = new Writable({
      highWaterMark: 1 << 20,
      write: (chunk: Buffer, _encoding, callback) => {
        this.accept(chunk).then(() => callback(), (err: unknown) => callback(this.target.wrapError(err)));
      },
      final: (callback) => {
        this.flush().then(() => callback(), (err: unknown) => callback(this.target.wrapError(err)));
      },
    });
  }

  /** Bytes received so far. */
  get size(): number {
    return this.received;
  }

  get multipart(): boolean {
    return this.multipartMode;
  }

  /** Starts the multipart upload now (a resumable upload records its id from the start). */
  async begin(): Promise<string> {
    return this.start();
  }

  /** The multipart upload's id, once created. */
  get id(): string | undefined {
    return this.uploadId;
  }

  /**
   * Waits for every part sent so far. When all bytes received are in acknowledged parts (no part
   * half filled), returns those parts in order (a resumable upload's checkpoint); else undefined.
   */
  async settle(): Promise<CompletedPart[] | undefined> {
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
    if (!this.multipartMode || this.partFilled !== 0 || this.uploadId === undefined) return undefined;
    const parts = [...this.parts].sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    if (parts.length * this.target.partSize !== this.received || parts.some((p, i) => p.PartNumber !== i + 1)) return undefined;
    return parts;
  }

  /** Stops without aborting the multipart upload: a later pass may continue it. */
  async suspend(): Promise<void> {
    this.aborted = true;
    this.stream.destroy();
    if (this.part) this.target.parts.give(this.part);
    this.part = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  private async accept(chunk: Buffer): Promise<void> {
    this.received += chunk.length;
    if (!this.multipartMode) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      // Strictly more than one part: a body of exactly partSize still goes up in one PUT.
      if (this.buffered <= this.target.partSize) return;
      this.multipartMode = true;
      const pending = this.chunks;
      this.chunks = [];
      this.buffered = 0;
      for (const piece of pending) await this.fill(piece);
      return;
    }
    await this.fill(chunk);
  }

  /** Copies bytes into the part being filled (one buffer per part, no concatenations); sends full parts. */
  private async fill(chunk: Buffer): Promise<void> {
    const { partSize } = this.target;
    let offset = 0;
    while (offset < chunk.length) {
      if (!this.part) {
        const taken = await this.target.parts.take();
        if (this.aborted) {
          this.target.parts.give(taken);
          throw new Error("upload aborted");
        }
        this.part = taken;
      }
      const copied = chunk.copy(this.part, this.partFilled, offset);
      offset += copied;
      this.partFilled += copied;
      if (this.partFilled === partSize) {
        const body = this.part;
        this.part = undefined;
        this.partFilled = 0;
        await this.sendPart(body, body);
      }
    }
  }

  private async start(): Promise<string> {
    const { client, bucket, key, knownHash } = this.target;
    this.creating ??= client
      .send(
        new this.target.sdk.CreateMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          ContentType: "application/octet-stream",
          Metadata: knownHash ? { sha256: knownHash } : undefined,
        }),
      )
      .then((r) => {
        if (!r.UploadId) throw new Error("the server returned no UploadId for a multipart upload");
        this.uploadId = r.UploadId;
        return r.UploadId;
      });
    return this.creating;
  }

  /** Uploads `body` (a view of the pool buffer `owner`, which goes back to the pool afterwards). */
  private async sendPart(body: Buffer, owner: Buffer): Promise<void> {
    let uploadId: string;
    try {
      if (this.failure) throw this.failure;
      if (this.aborted) throw new Error("upload aborted");
      uploadId = await this.start();
    } catch (err) {
      this.target.parts.give(owner);
      throw err;
    }
    const partNumber = this.nextPart++;
    const { client, bucket, key } = this.target;
    const job: Promise<void> = client
      .send(new this.target.sdk.UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: body.length }))
      .then(
        (r) => {
          this.parts.push({ PartNumber: partNumber, ETag: r.ETag });
        },
        (err: unknown) => {
          this.failure ??= err;
        },
      )
      .finally(() => {
        this.inFlight.delete(job);
        this.target.parts.give(owner);
      });
    this.inFlight.add(job);
    while (this.inFlight.size >= this.target.queueSize) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
  }

  private async flush(): Promise<void> {
    if (!this.multipartMode) return; // small: kept for one PUT
    const last = this.part;
    this.part = undefined;
    if (last && this.partFilled > 0) await this.sendPart(last.subarray(0, this.partFilled), last);
    else if (last) this.target.parts.give(last);
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
  }

  /**
   * Makes the object visible under its key with metadata sha256 = `hash`, under `conditions`.
   * Call only after `stream` has finished.
   */
  async place(hash: string, conditions: WriteConditions): Promise<PlacedObject> {
    const { client, bucket, key } = this.target;
    if (this.uploadId === undefined) {
      const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
      const command = new this.target.sdk.PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: "application/octet-stream",
        Metadata: { sha256: hash },
        ...conditions,
      });
      signPayloadHash(command, hash);
      const r = await client.send(command);
      this.placed = true;
      this.chunks = [];
      return { etag: etagOf(r.ETag), versionId: r.VersionId, storedHash: hash };
    }
    const parts = [...this.parts].sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    const r = await client.send(
      new this.target.sdk.CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: this.uploadId, MultipartUpload: { Parts: parts }, ...conditions }),
    );
    this.placed = true;
    return {
      etag: etagOf(r.ETag),
      versionId: r.VersionId,
      storedHash: this.target.knownHash === hash ? hash : "",
      computedEtag: multipartEtag(parts.map((p) => p.ETag ?? "")),
    };
  }

  /** Drops buffered bytes and the multipart upload, if any; never touches the key itself. */
  async abort(): Promise<void> {
    this.aborted = true;
    this.stream.destroy();
    this.chunks = [];
    this.buffered = 0;
    if (this.part) this.target.parts.give(this.part);
    this.part = undefined;
    await Promise.allSettled([...this.inFlight]);
    if (this.creating) await this.creating.catch(() => undefined);
    if (this.uploadId !== undefined && !this.placed) {
      const { client, bucket, key } = this.target;
      await client.send(new this.target.sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: this.uploadId })).catch(() => undefined);
    }
  }
}

/**
 * SigV4 signs the SHA-256 of the payload. For a one-request upload that is exactly the hash the
 * caller computed while streaming, so we hand it to the signer: no second hashing pass, and a
 * server that checks payload hashes (AWS, MinIO) refuses the PUT if the bytes differ from it.
 */
function signPayloadHash(command: PutObjectCommand, hash: string): void {
  command.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers["x-amz-content-sha256"] = hash;
      return next(args);
    },
    { step: "build", name: "wlsyncPayloadHash" },
  );
}
