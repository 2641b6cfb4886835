import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive, WlError } from "@wlsync/plugin-api";

/** link(2), or an exclusive create where the file system has no hard links: EEXIST if `file` exists. */
function linkIntoPlace(mine: string, file: string): void {
  try {
    linkSync(mine, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw err;
    writeFileSync(file, String(process.pid), { flag: "wx", mode: 0o600 });
  }
}

/** Locks held by this process: a second job of the daemon on the same pair must wait its turn too. */
const heldHere = new Set<string>();

/**
 * One pass at a time per pair of storages, across processes: an exclusive lock file holding
 * the owner's pid. The pid is written to a private file first and linked into place, so the
 * lock never exists empty (a process killed between creating the lock and writing its pid
 * would otherwise block the pair for good). A lock left by a process that died (SIGKILL,
 * power loss), or that holds no pid (an older wl, a full disk), is taken over.
 */
export class PairLock {
  private constructor(private readonly file: string) {}

  static acquire(stateDir: string, pairId: number, what: string): PairLock {
    const dir = join(stateDir, "locks");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `pair-${pairId}.lock`);
    if (heldHere.has(file)) throw new WlError("E_STATE", `${what} is being synced by another job of this process; try again when its pass ends`);
    const mine = `${file}.${process.pid}`;
    try {
      writeFileSync(mine, String(process.pid), { mode: 0o600 });
    } catch (err) {
      throw new WlError("E_STATE", `cannot lock ${what}: cannot write in ${dir}: ${(err as Error).message}`, { cause: err });
    }
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          linkIntoPlace(mine, file);
          heldHere.add(file);
          return new PairLock(file);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
            throw new WlError("E_STATE", `cannot lock ${what}: ${(err as Error).message}`, { cause: err });
          }
          let owner = Number.NaN;
          try {
            owner = Number.parseInt(readFileSync(file, "utf8"), 10);
          } catch (readErr) {
            if ((readErr as NodeJS.ErrnoException).code === "ENOENT") continue; // released meanwhile
            throw readErr;
          }
          if (Number.isFinite(owner) && owner !== process.pid && isProcessAlive(owner)) {
            throw new WlError("E_STATE", `${what} is being synced by another wl process (pid ${owner}); wait for it to finish or stop it`);
          }
          unlinkSync(file);
        }
      }
    } finally {
      try {
        unlinkSync(mine);
      } catch {
        // already gone
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
