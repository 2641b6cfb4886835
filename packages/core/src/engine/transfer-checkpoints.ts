import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FOREIGN_TEMP_MAX_AGE_MS, hostIdentity, isProcessAlive, writerGone, type ResumeHandle } from "@wlsync/plugin-api";

/**
 * Where an interrupted large copy stood: enough for a later pass to continue it (see
 * copyResumable in stream-transferer.ts). One per destination file, in
 * `<state-dir>/transfers/<sha256 of target identity and path>.json`.
 */
export interface TransferCheckpoint {
  version: 1;
  /** Storage identities (StorageBackend.identity()) and the relative path. */
  source: string;
  target: string;
  path: string;
  /** The source file's token and size when the copy started: it continues only for that version. */
  token: string;
  size: number;
  /** Bytes written and kept (a prefix of the file). */
  offset: number;
  /** sha256 (hex) of those `offset` bytes as they were read from the source. */
  prefixSha256: string;
  /** The destination's own record of the write (StorageBackend.openResumable). */
  handle: ResumeHandle;
  /** The writer (host identity and pid): a live writer's checkpoint is left alone. */
  host: string;
  pid: number;
  /** When it was written (ms since the epoch). */
  savedMs: number;
}

/** The checkpoints of one state folder: read, written atomically (write then rename), removed. */
export class TransferCheckpoints {
  private readonly dir: string;
  private made = false;

  constructor(stateDir: string) {
    this.dir = join(stateDir, "transfers");
  }

  private fileOf(target: string, path: string): string {
    return join(this.dir, `${createHash("sha256").update(`${target}\u0000${path}`).digest("hex").slice(0, 32)}.json`);
  }

  /**
   * The checkpoint left for this destination file, if any and readable. `live`: its writer is
   * another process that may still be writing it: one of this host identity that still runs, or
   * of another host, and in both cases it saved a checkpoint within the last day.
   */
  load(target: string, path: string): { checkpoint: TransferCheckpoint; live: boolean } | undefined {
    let checkpoint: TransferCheckpoint;
    try {
      checkpoint = JSON.parse(readFileSync(this.fileOf(target, path), "utf8")) as TransferCheckpoint;
    } catch {
      return undefined;
    }
    if (checkpoint?.version !== 1 || checkpoint.target !== target || checkpoint.path !== path) return undefined;
    const mine = checkpoint.host === hostIdentity() && checkpoint.pid === process.pid;
    const gone = writerGone(checkpoint.host, checkpoint.pid);
    // A writer that seems to run but saved nothing for a day is not one (its pid was handed on).
    const live = !mine && gone !== true && Date.now() - checkpoint.savedMs < FOREIGN_TEMP_MAX_AGE_MS;
    return { checkpoint, live };
  }

  save(checkpoint: Omit<TransferCheckpoint, "version" | "host" | "pid" | "savedMs">): void {
    if (!this.made) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.made = true;
      this.pruneOld();
    }
    const file = this.fileOf(checkpoint.target, checkpoint.path);
    const full: TransferCheckpoint = { version: 1, ...checkpoint, host: hostIdentity(), pid: process.pid, savedMs: Date.now() };
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(full));
    renameSync(tmp, file);
  }

  remove(target: string, path: string): void {
    try {
      unlinkSync(this.fileOf(target, path));
    } catch {
      // none
    }
  }

  /**
   * Checkpoints older than the partial files they point at (removed after a day) are dropped, and
   * so are the temporary files of saves cut short between their write and their rename (a pass
   * killed there): `<name>.json.<pid>.tmp` of a pid that no longer runs (or unchanged for a day).
   */
  private pruneOld(): void {
    try {
      const now = Date.now();
      for (const name of readdirSync(this.dir)) {
        const file = join(this.dir, name);
        const age = now - statSync(file).mtimeMs;
        const writer = /\.(\d+)\.tmp$/.exec(name);
        const deadWrite = writer !== null && Number(writer[1]) !== process.pid && (!isProcessAlive(Number(writer[1])) || age > FOREIGN_TEMP_MAX_AGE_MS);
        if (deadWrite || age > 2 * FOREIGN_TEMP_MAX_AGE_MS) unlinkSync(file);
      }
    } catch {
      // best effort
    }
  }
}
