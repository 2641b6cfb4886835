import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { WlError } from "@wlsync/plugin-api";
import { openDatabase } from "../state/sqlite.js";
import type { PauseInfo, StartArgs } from "./sync-commands.generated.js";


/** Why a job does not sync: a tripped safety gate, a storage that is gone, or one that is not the disk it was (PauseInfo in sync-commands.json). */
export type { PauseInfo } from "./sync-commands.generated.js";

/** A job as the daemon remembers it across restarts. */
export interface StoredJob {
  key: string;
  /** How to start it again (`force` is never stored: it covers one pass only). */
  args: StartArgs;
  /** Identity of each local storage root (`device:inode`) when the job first started, by backend-id. */
  roots: Record<string, string>;
  paused: PauseInfo | null;
}

/**
 * The daemon's own store (SQLite, WAL, `daemon.db` in its base dir): the jobs it runs, so a
 * daemon started after a crash, a reboot or `wl daemon stop` resumes them, paused ones paused.
 */
export class JobStore {
  private readonly db: BetterSqlite3.Database;

  constructor(dir: string) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.db = openDatabase(join(dir, "daemon.db"), { timeout: 10_000 });
      this.db.pragma("journal_mode = WAL");
      this.db.exec("CREATE TABLE IF NOT EXISTS jobs (key TEXT PRIMARY KEY, args TEXT NOT NULL, roots TEXT NOT NULL, paused TEXT, updated_at INTEGER NOT NULL)");
    } catch (err) {
      throw new WlError("E_STATE", `cannot open the daemon's job store in ${dir}: ${(err as Error).message}`, { cause: err });
    }
  }

  list(): StoredJob[] {
    const rows = this.db.prepare("SELECT key, args, roots, paused FROM jobs ORDER BY updated_at").all() as Array<{ key: string; args: string; roots: string; paused: string | null }>;
    return rows.map((r) => ({ key: r.key, args: JSON.parse(r.args) as StartArgs, roots: JSON.parse(r.roots) as Record<string, string>, paused: r.paused ? (JSON.parse(r.paused) as PauseInfo) : null }));
  }

  save(job: StoredJob): void {
    const { force: _force, ...args } = job.args;
    this.db
      .prepare("INSERT OR REPLACE INTO jobs (key, args, roots, paused, updated_at) VALUES (?, ?, ?, ?, ?)")
      .run(job.key, JSON.stringify(args), JSON.stringify(job.roots), job.paused ? JSON.stringify(job.paused) : null, Date.now());
  }

  remove(key: string): void {
    this.db.prepare("DELETE FROM jobs WHERE key = ?").run(key);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
