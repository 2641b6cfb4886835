import type { FileEntryWithStats, InputAttributes, OpenMode, SFTPWrapper, Stats } from "ssh2";

/**
 * Promise forms of the SFTP requests the backend uses. ssh2 sends one request per call and
 * waits for its answer before sending the next piece of a large read or write, so the bulk
 * helpers here split a buffer into PIECE_BYTES requests that are all in flight at once.
 */
export const PIECE_BYTES = 64 * 1024;

/** SFTP status codes (draft-ietf-secsh-filexfer-02). */
export const SFTP_STATUS = { EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3, FAILURE: 4, OP_UNSUPPORTED: 8 } as const;

export function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "number" ? code : undefined;
}

export class SftpIo {
  /** `lost` rejects when the connection drops: requests in flight then fail instead of hanging. */
  constructor(
    readonly sftp: SFTPWrapper,
    private readonly lost: Promise<never>,
  ) {}

  private call<T>(fn: (cb: (err: Error | undefined | null, value?: T) => void) => void): Promise<T> {
    return Promise.race([new Promise<T>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T)))), this.lost]);
  }

  lstat(path: string): Promise<Stats> {
    return this.call((cb) => this.sftp.lstat(path, cb));
  }
  stat(path: string): Promise<Stats> {
    return this.call((cb) => this.sftp.stat(path, cb));
  }
  fstat(handle: Buffer): Promise<Stats> {
    return this.call((cb) => this.sftp.fstat(handle, cb));
  }
  readlink(path: string): Promise<string> {
    return this.call((cb) => this.sftp.readlink(path, cb));
  }
  realpath(path: string): Promise<string> {
    return this.call((cb) => this.sftp.realpath(path, cb));
  }
  readdir(path: string): Promise<FileEntryWithStats[]> {
    return this.call((cb) => this.sftp.readdir(path, cb as never));
  }
  open(path: string, flags: OpenMode, attrs?: InputAttributes): Promise<Buffer> {
    return this.call((cb) => (attrs ? this.sftp.open(path, flags, attrs, cb) : this.sftp.open(path, flags, cb)));
  }
  close(handle: Buffer): Promise<void> {
    return this.call((cb) => this.sftp.close(handle, cb));
  }
  fsetstat(handle: Buffer, attrs: InputAttributes): Promise<void> {
    return this.call((cb) => this.sftp.fsetstat(handle, attrs, cb));
  }
  setstat(path: string, attrs: InputAttributes): Promise<void> {
    return this.call((cb) => this.sftp.setstat(path, attrs, cb));
  }
  mkdir(path: string): Promise<void> {
    return this.call((cb) => this.sftp.mkdir(path, cb));
  }
  rmdir(path: string): Promise<void> {
    return this.call((cb) => this.sftp.rmdir(path, cb));
  }
  unlink(path: string): Promise<void> {
    return this.call((cb) => this.sftp.unlink(path, cb));
  }
  symlink(target: string, path: string): Promise<void> {
    return this.call((cb) => this.sftp.symlink(target, path, cb));
  }
  /** Plain SFTP rename: OpenSSH's server refuses to replace an existing file (link, then unlink). */
  rename(from: string, to: string): Promise<void> {
    return this.call((cb) => this.sftp.rename(from, to, cb));
  }
  /** posix-rename@openssh.com: rename(2), atomically replacing the destination. */
  posixRename(from: string, to: string): Promise<void> {
    return this.call((cb) => this.sftp.ext_openssh_rename(from, to, cb));
  }
  /** hardlink@openssh.com: link(2), which fails when `to` exists. */
  hardlink(from: string, to: string): Promise<void> {
    return this.call((cb) => this.sftp.ext_openssh_hardlink(from, to, cb));
  }

  private readPiece(handle: Buffer, buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    return Promise.race([
      new Promise<number>((resolve, reject) =>
        this.sftp.read(handle, buffer, offset, length, position, (err, n) => {
          if (err) return statusOf(err) === SFTP_STATUS.EOF ? resolve(0) : reject(err);
          resolve(n ?? 0);
        }),
      ),
      this.lost,
    ]);
  }

  /**
   * Fills `buffer` from `position` with requests in flight together; returns the bytes read
   * (fewer at the end of the file). A short piece in the middle is completed by another read.
   */
  async readAt(handle: Buffer, buffer: Buffer, length: number, position: number): Promise<number> {
    const pieces: Promise<number>[] = [];
    for (let off = 0; off < length; off += PIECE_BYTES) pieces.push(this.readPiece(handle, buffer, off, Math.min(PIECE_BYTES, length - off), position + off));
    const got = await Promise.all(pieces);
    let total = 0;
    for (let i = 0; i < got.length; i++) {
      const want = Math.min(PIECE_BYTES, length - i * PIECE_BYTES);
      let n = got[i]!;
      // A short answer before the end: ask again for the rest of this piece.
      while (n < want) {
        const more = await this.readPiece(handle, buffer, i * PIECE_BYTES + n, want - n, position + i * PIECE_BYTES + n);
        if (more === 0) break;
        n += more;
      }
      total += n;
      if (n < want) return total; // end of file
    }
    return total;
  }

  /** Writes `length` bytes of `buffer` at `position`, the pieces in flight together. */
  async writeAt(handle: Buffer, buffer: Buffer, length: number, position: number): Promise<void> {
    const pieces: Promise<void>[] = [];
    for (let off = 0; off < length; off += PIECE_BYTES) {
      const n = Math.min(PIECE_BYTES, length - off);
      pieces.push(this.call<void>((cb) => this.sftp.write(handle, buffer, off, n, position + off, cb as never)));
    }
    await Promise.all(pieces);
  }
}
