import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { WlError } from "@wlsync/plugin-api";
import type { HashCache } from "@wlsync/plugin-api";
import type { Conflict, SyncedRecord } from "@wlsync/plugin-api";
import { requireCjs } from "../util/require-cjs.js";
import { racyWindowMs } from "./racy.js";

const Database = requireCjs("better-sqlite3") as typeof BetterSqlite3;

/**
 * 2: `synced` keeps each side's trusted token (token_a, token_b in the pair's sorted order).
 * 3: `conflicts.details` keeps each side's kind, size, time and hash, and the base (JSON).
 */
const SCHEMA_VERSION = 3;


const SYNCED_COLUMNS = "path, kind, size, hash, link_target, token_a, token_b";
type SyncedRow = [string, SyncedRecord["kind"], number, string | null, string | null, string | null, string | null];

function recordOfRow(r: SyncedRow, flipped: boolean): SyncedRecord {
  return { path: r[0], kind: r[1], size: r[2], hash: r[3], linkTarget: r[4], sourceToken: flipped ? r[6] : r[5], targetToken: flipped ? r[5] : r[6] };
}

interface CachedHash {
  token: string;
  hash: string;
  trusted: boolean;
}

/** The sides and base of a conflict as stored (JSON), or null when it has none. */
function detailsOf(c: Conflict): string | null {
  return c.sides || c.base !== undefined ? JSON.stringify({ sides: c.sides, base: c.base }) : null;
}

/**
 * On-disk state (SQLite, WAL): per pair the last state known identical on both sides, the
 * conflicts left open, and the hash cache. All writes go through transactions, so a crash
 * leaves the database either before or after a batch, never half-written.
 */
export class StateStore implements HashCache {
  readonly db: BetterSqlite3.Database;
  private readonly hashes = new Map<string, Map<string, CachedHash>>();
  /** Hash-cache writes not yet in the database, in order (a put is a 6-tuple, a forget a pair). */
  private readonly pendingHashes: Array<[string, string, string, string, number, number] | [string, string]> = [];

  constructor(readonly dir: string) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.db = new Database(join(dir, "state.db"), { timeout: 10_000 });
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.migrate();
    } catch (err) {
      throw new WlError("E_STATE", `cannot open the state store in ${dir}: ${(err as Error).message}`, { cause: err });
    }
  }

  private migrate(): void {
    const version = this.db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`state store schema ${version} is newer than this wl understands (${SCHEMA_VERSION})`);
    }
    if (version === SCHEMA_VERSION) return;
    if (version === 1) {
      // Existing rows get no tokens: their files are looked up in the hash cache once, as before.
      this.db.exec(`
        ALTER TABLE synced ADD COLUMN token_a TEXT;
        ALTER TABLE synced ADD COLUMN token_b TEXT;
        PRAGMA user_version = 2;
      `);
    }
    if (version === 1 || version === 2) {
      this.db.exec(`
        ALTER TABLE conflicts ADD COLUMN details TEXT;
        PRAGMA user_version = ${SCHEMA_VERSION};
      `);
      return;
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS pairs (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS synced (
        pair_id INTEGER NOT NULL, path TEXT NOT NULL, kind TEXT NOT NULL, size INTEGER NOT NULL,
        hash TEXT, link_target TEXT, token_a TEXT, token_b TEXT, PRIMARY KEY (pair_id, path)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS conflicts (
        pair_id INTEGER NOT NULL, path TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL,
        source_token TEXT NOT NULL, target_token TEXT NOT NULL,
        detected_at INTEGER NOT NULL, details TEXT, PRIMARY KEY (pair_id, path)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS hashes (
        storage TEXT NOT NULL, path TEXT NOT NULL, token TEXT NOT NULL, hash TEXT NOT NULL,
        mtime_ms REAL NOT NULL, recorded_ms REAL NOT NULL, PRIMARY KEY (storage, path)) WITHOUT ROWID;
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
  }

  /** The state of a pair does not depend on which side is the source. */
  pairId(identityA: string, identityB: string): number {
    const key = [identityA, identityB].sort().join("\u0000");
    const row = this.db.prepare("SELECT id FROM pairs WHERE key = ?").get(key) as { id: number } | undefined;
    if (row) return row.id;
    return Number(this.db.prepare("INSERT INTO pairs (key, created_at) VALUES (?, ?)").run(key, Date.now()).lastInsertRowid);
  }

  findPairId(identityA: string, identityB: string): number | undefined {
    const key = [identityA, identityB].sort().join("\u0000");
    return (this.db.prepare("SELECT id FROM pairs WHERE key = ?").get(key) as { id: number } | undefined)?.id;
  }

  /**
   * The pair's synced records. `flipped`: the pass's source is the second storage of the pair
   * (sorted identities), so token_b is the source's token.
   */
  loadSynced(pairId: number, flipped = false): Map<string, SyncedRecord> {
    // Row by row: no array of every row (and of [path, row] pairs) on top of the map.
    // Raw rows (arrays) are a third cheaper than named ones; the records are built here.
    const out = new Map<string, SyncedRecord>();
    const rows = this.db.prepare(`SELECT ${SYNCED_COLUMNS} FROM synced WHERE pair_id = ?`).raw(true).iterate(pairId);
    for (const r of rows as IterableIterator<SyncedRow>) out.set(r[0], recordOfRow(r, flipped));
    return out;
  }

  /** The synced records of `paths` and of everything below them (for change-driven passes). */
  loadSyncedUnder(pairId: number, paths: Iterable<string>, exact: Iterable<string> = [], flipped = false): Map<string, SyncedRecord> {
    const one = this.db.prepare(`SELECT ${SYNCED_COLUMNS} FROM synced WHERE pair_id = ? AND path = ?`).raw(true);
    // '/' + 1 is '0': the range holds exactly the paths below `p/`.
    const below = this.db.prepare(`SELECT ${SYNCED_COLUMNS} FROM synced WHERE pair_id = ? AND path >= ? AND path < ?`).raw(true);
    const out = new Map<string, SyncedRecord>();
    for (const p of paths) {
      const row = one.get(pairId, p) as SyncedRow | undefined;
      if (row) out.set(row[0], recordOfRow(row, flipped));
      if (row && row[1] !== "dir") continue;
      for (const r of below.all(pairId, `${p}/`, `${p}0`) as SyncedRow[]) out.set(r[0], recordOfRow(r, flipped));
    }
    for (const p of exact) {
      const row = one.get(pairId, p) as SyncedRow | undefined;
      if (row) out.set(row[0], recordOfRow(row, flipped));
    }
    return out;
  }

  countSyncedFiles(pairId: number): number {
    return (this.db.prepare("SELECT count(*) AS n FROM synced WHERE pair_id = ? AND kind != 'dir'").get(pairId) as { n: number }).n;
  }

  /** Runs a write transaction; a failure (a full disk...) becomes an E_STATE error that says where. */
  private write(fn: () => void): void {
    try {
      this.db.transaction(fn)();
    } catch (err) {
      const full = (err as { code?: string }).code === "SQLITE_FULL";
      throw new WlError(
        "E_STATE",
        `cannot update the state store in ${this.dir}: ${(err as Error).message}${full ? " (free some space there; what this pass copied is recognised by the next pass)" : ""}`,
        { cause: err },
      );
    }
  }

  /** Records and forgets synced paths, and flushes pending hash-cache writes, in one transaction. */
  commit(pairId: number, records: readonly SyncedRecord[], forgets: readonly string[], flipped = false): void {
    const put = this.db.prepare(
      "INSERT OR REPLACE INTO synced (pair_id, path, kind, size, hash, link_target, token_a, token_b) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const del = this.db.prepare("DELETE FROM synced WHERE pair_id = ? AND path = ?");
    this.write(() => {
      for (const r of records) {
        const [a, b] = flipped ? [r.targetToken, r.sourceToken] : [r.sourceToken, r.targetToken];
        put.run(pairId, r.path, r.kind, r.size, r.hash, r.linkTarget, a ?? null, b ?? null);
      }
      for (const p of forgets) del.run(pairId, p);
      this.flushHashesInTransaction();
    });
  }

  saveConflicts(pairId: number, conflicts: readonly Conflict[]): void {
    const put = this.db.prepare(
      "INSERT OR REPLACE INTO conflicts (pair_id, path, reason, message, source_token, target_token, detected_at, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.write(() => {
      this.db.prepare("DELETE FROM conflicts WHERE pair_id = ?").run(pairId);
      const now = Date.now();
      for (const c of conflicts) put.run(pairId, c.path, c.reason, c.message, c.sourceToken ?? "", c.targetToken ?? "", now, detailsOf(c));
    });
  }

  /** Replaces the conflicts at `roots` (and below them) and at `exact` paths: a change-driven pass saw only those. */
  saveConflictsUnder(pairId: number, roots: Iterable<string>, exact: Iterable<string>, conflicts: readonly Conflict[]): void {
    const put = this.db.prepare(
      "INSERT OR REPLACE INTO conflicts (pair_id, path, reason, message, source_token, target_token, detected_at, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const delOne = this.db.prepare("DELETE FROM conflicts WHERE pair_id = ? AND path = ?");
    const delBelow = this.db.prepare("DELETE FROM conflicts WHERE pair_id = ? AND path >= ? AND path < ?");
    this.write(() => {
      for (const p of roots) {
        delOne.run(pairId, p);
        delBelow.run(pairId, `${p}/`, `${p}0`);
      }
      for (const p of exact) delOne.run(pairId, p);
      const now = Date.now();
      for (const c of conflicts) put.run(pairId, c.path, c.reason, c.message, c.sourceToken ?? "", c.targetToken ?? "", now, detailsOf(c));
    });
  }

  loadConflicts(pairId: number): Conflict[] {
    const rows = this.db
      .prepare("SELECT path, reason, message, source_token AS sourceToken, target_token AS targetToken, details FROM conflicts WHERE pair_id = ? ORDER BY path")
      .all(pairId) as Array<Conflict & { details: string | null }>;
    return rows.map(({ details, ...c }) => {
      if (!details) return c;
      try {
        const d = JSON.parse(details) as Pick<Conflict, "sides" | "base">;
        return { ...c, ...(d.sides ? { sides: d.sides } : {}), ...(d.base !== undefined ? { base: d.base } : {}) };
      } catch {
        return c;
      }
    });
  }

  // ---- hash cache -------------------------------------------------------------------------

  private hashesOf(storage: string): Map<string, CachedHash> {
    let map = this.hashes.get(storage);
    if (!map) {
      map = new Map();
      // Row by row (see loadSynced): a no-change pass loads every file's row of both storages.
      const rows = this.db
        .prepare("SELECT path, token, hash, mtime_ms, recorded_ms FROM hashes WHERE storage = ?")
        .raw(true)
        .iterate(storage) as IterableIterator<[string, string, string, number, number]>;
      for (const r of rows) map.set(r[0], { token: r[1], hash: r[2], trusted: r[4] - r[3] > racyWindowMs(r[3]) });
      // Then what this process learnt and has not written yet (put and forget leave an unloaded map alone).
      for (const p of this.pendingHashes) {
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
    this.pendingHashes.push([storage, path, token, hash, mtimeMs, now]);
  }

  forget(storage: string, path: string): void {
    this.hashes.get(storage)?.delete(path);
    this.pendingHashes.push([storage, path]);
  }

  flushHashes(): void {
    this.write(() => this.flushHashesInTransaction());
  }

  private flushHashesInTransaction(): void {
    if (this.pendingHashes.length === 0) return;
    const put = this.db.prepare(
      "INSERT OR REPLACE INTO hashes (storage, path, token, hash, mtime_ms, recorded_ms) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const del = this.db.prepare("DELETE FROM hashes WHERE storage = ? AND path = ?");
    for (const row of this.pendingHashes) (row.length === 2 ? del : put).run(...row);
    // (If the commit itself fails after this, the cache merely misses these hashes next time.)
    this.pendingHashes.length = 0;
  }

  close(): void {
    if (!this.db.open) return;
    this.flushHashes();
    this.db.close();
  }
}
