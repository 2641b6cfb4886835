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
 * several others hashes each file once. Kept in the state database's `hashes` table and looked
 * up there path by path (a lookup is a primary-key read of a few µs; holding a storage's whole
 * table in memory cost about 1 KB per file, a gigabyte at a million files, for passes that look
 * up only a few); writes are queued and written with the next transaction of the state store
 * (or `flush`), and a lookup sees the queued ones first.
 */
export class HashCacheStore implements HashCache {
  /** Writes not yet in the database, in order (a put is a 6-tuple, a forget a pair). */
  private readonly pending: Array<[string, string, string, string, number, number] | [string, string]> = [];
  /** The last queued write of each (storage, path): what a lookup must see (null: forgotten). */
  private readonly queued = new Map<string, CachedHash | null>();
  private lookup?: BetterSqlite3.Statement;

  /** `write` runs a function in a write transaction of the state store. */
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly write: (fn: () => void) => void,
  ) {}

  get(storage: string, path: string, token: string): string | undefined {
    const key = `${storage}\u0000${path}`;
    let hit: CachedHash | null | undefined = this.queued.get(key);
    if (hit === undefined) {
      this.lookup ??= this.db.prepare("SELECT token, hash, mtime_ms, recorded_ms FROM hashes WHERE storage = ? AND path = ?").raw(true);
      const r = this.lookup.get(storage, path) as [string, string, number, number] | undefined;
      hit = r ? { token: r[0], hash: r[1], trusted: r[3] - r[2] > racyWindowMs(r[2]) } : null;
    }
    return hit?.trusted && hit.token === token ? hit.hash : undefined;
  }

  put(storage: string, path: string, token: string, hash: string, mtimeMs: number): void {
    const now = Date.now();
    // Within this process a racy entry is not trusted either: the next lookup re-reads the file.
    this.queued.set(`${storage}\u0000${path}`, { token, hash, trusted: now - mtimeMs > racyWindowMs(mtimeMs) });
    this.pending.push([storage, path, token, hash, mtimeMs, now]);
  }

  forget(storage: string, path: string): void {
    this.queued.set(`${storage}\u0000${path}`, null);
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
    this.queued.clear();
  }
}
