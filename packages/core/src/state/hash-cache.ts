import type BetterSqlite3 from "better-sqlite3";
import type { HashCache } from "@wlsync/plugin-api";
import { racyWindowMs } from "./racy.js";

interface CachedHash {
  token: string;
  hash: string;
  /** The token was recorded outside the racy window (state/racy.ts): a lookup may use it. */
  trusted: boolean;
}

/**
 * The sha256 of files by (storage identity, path), valid while the file's token is the one
 * recorded with it and that token is trusted. Storage-wide, not per pair: a storage synced with
 * several others hashes each file once. Kept in the state database's `hashes` table; writes
 * are queued and written with the next transaction of the state store (or `flush`).
 */
export class HashCacheStore implements HashCache {
  private readonly hashes = new Map<string, Map<string, CachedHash>>();
  /** Writes not yet in the database, in order (a put is a 6-tuple, a forget a pair). */
  private readonly pending: Array<[string, string, string, string, number, number] | [string, string]> = [];

  /** `write` runs a function in a write transaction of the state store. */
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly write: (fn: () => void) => void,
  ) {}

  private hashesOf(storage: string): Map<string, CachedHash> {
    let map = this.hashes.get(storage);
    if (!map) {
      map = new Map();
      // Row by row: a no-change pass loads every file's row of both storages.
      const rows = this.db
        .prepare("SELECT path, token, hash, mtime_ms, recorded_ms FROM hashes WHERE storage = ?")
        .raw(true)
        .iterate(storage) as IterableIterator<[string, string, string, number, number]>;
      for (const r of rows) map.set(r[0], { token: r[1], hash: r[2], trusted: r[4] - r[3] > racyWindowMs(r[3]) });
      // Then what this process learnt and has not written yet (put and forget leave an unloaded map alone).
      for (const p of this.pending) {
        if (p[0] !== storage) continue;
        if (p.length === 2) map.delete(p[1]);
        else map.set(p[1], { token: p[2], hash: p[3], trusted: p[5] - p[4] > racyWindowMs(p[4]) });
      }
      this.hashes.set(storage, map);
    }
    return map;
  }

  get(storage: string, path: string, token: string): string | undefined {
    const hit = this.hashesOf(storage).get(path);
    return hit && hit.trusted && hit.token === token ? hit.hash : undefined;
  }

  put(storage: string, path: string, token: string, hash: string, mtimeMs: number): void {
    const now = Date.now();
    // Within this process a racy entry is not trusted either: the next lookup re-reads the file.
    // A storage whose cache was never looked up is not loaded for this: an initial pass writes
    // every file's hash and reads none (100,000 files: 60 MB of map the pass never used).
    this.hashes.get(storage)?.set(path, { token, hash, trusted: now - mtimeMs > racyWindowMs(mtimeMs) });
    this.pending.push([storage, path, token, hash, mtimeMs, now]);
  }

  forget(storage: string, path: string): void {
    this.hashes.get(storage)?.delete(path);
    this.pending.push([storage, path]);
  }

  /** Writes the queued changes in a transaction of their own. */
  flush(): void {
    this.write(() => this.flushInTransaction());
  }

  /** Writes the queued changes inside the caller's transaction. */
  flushInTransaction(): void {
    if (this.pending.length === 0) return;
    const put = this.db.prepare("INSERT OR REPLACE INTO hashes (storage, path, token, hash, mtime_ms, recorded_ms) VALUES (?, ?, ?, ?, ?, ?)");
    const del = this.db.prepare("DELETE FROM hashes WHERE storage = ? AND path = ?");
    for (const row of this.pending) (row.length === 2 ? del : put).run(...row);
    // (If the commit itself fails after this, the cache merely misses these hashes next time.)
    this.pending.length = 0;
  }
}
