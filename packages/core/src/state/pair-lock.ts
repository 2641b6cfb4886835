import { mkdirSync, openSync, closeSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { WlError } from "../contracts/errors.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One pass at a time per pair of storages, across processes: an exclusive lock file holding
 * the owner's pid. A lock left by a process that died (SIGKILL, power loss) is taken over.
 */
/** Locks held by this process: a second job of the daemon on the same pair must wait its turn too. */
const heldHere = new Set<string>();

export class PairLock {
  private constructor(private readonly file: string) {}

  static acquire(stateDir: string, pairId: number, what: string): PairLock {
    const dir = join(stateDir, "locks");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `pair-${pairId}.lock`);
    if (heldHere.has(file)) throw new WlError("E_STATE", `${what} is being synced by another job of this process; try again when its pass ends`);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, "wx", 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        heldHere.add(file);
        return new PairLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        const owner = Number.parseInt(readFileSync(file, "utf8"), 10);
        if (!Number.isFinite(owner) || (owner !== process.pid && alive(owner))) {
          throw new WlError("E_STATE", `${what} is being synced by another wl process (pid ${owner}); wait for it to finish or stop it`);
        }
        unlinkSync(file);
      }
    }
    throw new WlError("E_STATE", `cannot lock ${what}: lock file ${file} keeps reappearing`);
  }

  release(): void {
    heldHere.delete(this.file);
    try {
      unlinkSync(this.file);
    } catch {
      // already gone
    }
  }
}
