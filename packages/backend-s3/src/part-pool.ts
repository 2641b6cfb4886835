/**
 * The part buffers of one storage's multipart uploads: at most `max` of `size` bytes exist at a
 * time, reused from upload to upload, so memory stays bounded however many large files are in
 * flight at once. An upload waits for a buffer when all are taken; buffers come back as soon as
 * their part is uploaded, which never depends on another upload, so waiting cannot deadlock.
 */
export class PartPool {
  private readonly free: Buffer[] = [];
  private readonly waiting: Array<(buffer: Buffer) => void> = [];
  private created = 0;

  constructor(
    readonly size: number,
    readonly max: number,
  ) {}

  async take(): Promise<Buffer> {
    const buffer = this.free.pop();
    if (buffer) return buffer;
    if (this.created < this.max) {
      this.created++;
      return Buffer.allocUnsafe(this.size);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  give(buffer: Buffer): void {
    const next = this.waiting.shift();
    if (next) next(buffer);
    else this.free.push(buffer);
  }
}
