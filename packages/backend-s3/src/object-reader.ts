import type { Readable } from "node:stream";
import { ChangedDuringSyncError, type FileReader } from "@wlsync/plugin-api";

/** One ranged GET of the object from `start` (`Range: bytes=start-`): its body and the ETag the server sent with it. */
export type RangedGet = (start: number) => Promise<{ body: Readable; etag: string }>;

/**
 * Positional reads of one version of an object (StorageBackend.openReader), for copies that
 * read a large object in chunks and may start part-way (a copy resumed from a checkpoint).
 *
 * Reads are served in order from one ranged GET, opened at the first position asked and opened
 * again only when a read asks for another position (a request per chunk would cost a round trip
 * per MiB). Every GET's ETag must be `etag`, the version the copy was planned from: a changed
 * object fails the read (ChangedDuringSyncError) instead of mixing two versions; the copy's own
 * sha256 check stands behind this. Reads are serialized: each waits for the one before it.
 *
 * Errors: those of `get` (an item error of the backend); ChangedDuringSyncError for another
 * version; a body that ends before `size` gives 0 (the caller's check of the length or sha256
 * then fails the copy).
 */
export class ObjectReader implements FileReader {
  private body?: Readable;
  private chunks?: AsyncIterator<Buffer>;
  /** Bytes of the current chunk not handed out yet. */
  private rest: Buffer = Buffer.alloc(0);
  /** Where the next byte of the open GET sits in the object. */
  private position = -1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly etag: string,
    private readonly size: number,
    private readonly get: RangedGet,
  ) {}

  read(buffer: Buffer, position: number): Promise<number> {
    const next = this.queue.then(() => this.readNow(buffer, position));
    this.queue = next.catch(() => {});
    return next;
  }

  private async readNow(buffer: Buffer, position: number): Promise<number> {
    if (position >= this.size || buffer.length === 0) return 0;
    if (position !== this.position || !this.chunks) await this.open(position);
    let filled = 0;
    while (filled < buffer.length) {
      if (this.rest.length === 0) {
        const { value, done } = await this.chunks!.next();
        if (done) break;
        this.rest = value;
      }
      const n = this.rest.copy(buffer, filled);
      filled += n;
      this.rest = this.rest.subarray(n);
    }
    this.position += filled;
    return filled;
  }

  private async open(position: number): Promise<void> {
    this.drop();
    const { body, etag } = await this.get(position);
    if (this.etag && etag && etag !== this.etag) {
      body.destroy();
      throw new ChangedDuringSyncError(`${this.path}: changed on the server while it was read; it will be synced on the next pass`);
    }
    this.body = body;
    this.chunks = body[Symbol.asyncIterator]();
    this.position = position;
  }

  private drop(): void {
    this.body?.destroy();
    this.body = undefined;
    this.chunks = undefined;
    this.rest = Buffer.alloc(0);
  }

  async close(): Promise<void> {
    await this.queue;
    this.drop();
  }
}
