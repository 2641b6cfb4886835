import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isStampedProcessAlive, processStamp, WlError } from "@wlsync/plugin-api";

/** link(2), or an exclusive create where the file system has no hard links: EEXIST if `file` exists. */
function linkIntoPlace(mine: string, file: string, content: string): void {
  try {
    linkSync(mine, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw err;
    writeFileSync(file, content, { flag: "wx", mode: 0o600 });
  }
}

/** Locks held by this process: a second job of the daemon on the same pair must wait its turn too. */
const heldHere = new Set<string>();

/**
 * One pass at a time per pair of storages, across processes: an exclusive lock file holding
 * the owner's pid, boot id and start time (`PID BOOT START`, see processStamp). It is written
 * to a private file first and linked into place, so the lock never exists empty (a process
 * killed between creating the lock and writing its pid would otherwise block the pair for
 * good). A lock is taken over when its owner is gone: it died (SIGKILL, power loss; an unreaped
 * zombie counts as gone), it ran before a reboot, or its pid now belongs to another process;
 * and when it holds no pid (an older wl, a full disk). An older wl's lock (a pid alone) is
 * judged by its pid.
 */
export class PairLock {
  private constructor(private readonly file: string) {}

  static acquire(stateDir: string, pairId: number, what: string): PairLock {
    const dir = join(stateDir, "locks");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `pair-${pairId}.lock`);
    if (heldHere.has(file)) throw new WlError("E_STATE", `${what} is being synced by another job of this process; try again when its pass ends`);
    const mine = `${file}.${process.pid}`;
    const stamp = processStamp(process.pid);
    const content = [process.pid, stamp.boot, stamp.start].join(" ").trim();
    try {
      writeFileSync(mine, content, { mode: 0o600 });
    } catch (err) {
      throw new WlError("E_STATE", `cannot lock ${what}: cannot write in ${dir}: ${(err as Error).message}`, { cause: err });
    }
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          linkIntoPlace(mine, file, content);
          heldHere.add(file);
          return new PairLock(file);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
            throw new WlError("E_STATE", `cannot lock ${what}: ${(err as Error).message}`, { cause: err });
          }
          let held: string[];
          try {
            held = readFileSync(file, "utf8").trim().split(/\s+/);
          } catch (readErr) {
            if ((readErr as NodeJS.ErrnoException).code === "ENOENT") continue; // released meanwhile
            throw readErr;
          }
          const owner = Number.parseInt(held[0] ?? "", 10);
          if (Number.isFinite(owner) && owner !== process.pid && isStampedProcessAlive(owner, { boot: held[1], start: held[2] })) {
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
