import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { WlError } from "@wlsync/plugin-api";
import { openDatabase } from "./sqlite.js";
import { HashCacheStore } from "./hash-cache.js";
import { PairState } from "./pair-state.js";


/** 2: `synced` keeps each side's trusted token (token_a, token_b: see PairState). */
/** 3: `storage_marks`: per pair, each storage's identity marker (id and generation) as last seen. */
/**
 * 4: `conflicts.details` keeps each side's kind, size, time and hash, and the base (JSON). (Two
 * development builds each called their change 3; version 4 has both, whichever 3 it comes from.)
 */
/**
 * 5: `synced.mode_a` / `mode_b`: each side's permission bits (0o777 mask) as last synced, in the
 * pair's storage order like the tokens; null (every row from before): unknown, taken as equal
 * to what the side has (see engine/modes.ts), so an upgrade moves nothing.
 */
const SCHEMA_VERSION = 5;

const STORAGE_MARKS_TABLE = `CREATE TABLE IF NOT EXISTS storage_marks (
  pair_id INTEGER NOT NULL, storage TEXT NOT NULL, storage_id TEXT NOT NULL, generation INTEGER NOT NULL,
  PRIMARY KEY (pair_id, storage)) WITHOUT ROWID`;


/**
 * On-disk state (SQLite, WAL): per pair the last state known identical on both sides and the
 * conflicts left open (`pair()`: a view in the caller's orientation), and per storage the hash
 * cache (`hashes`). All writes go through transactions, so a crash leaves the database either
 * before or after a batch, never half-written.
 */
export class StateStore {
  readonly db: BetterSqlite3.Database;
  readonly hashes: HashCacheStore;

  constructor(readonly dir: string) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.db = openDatabase(join(dir, "state.db"), { timeout: 10_000 });
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.migrate();
      // Not versioned: a table an older wl ignores, created where missing (see PairState.saveIntents).
      this.db.exec("CREATE TABLE IF NOT EXISTS intents (pair_id INTEGER NOT NULL, path TEXT NOT NULL, side TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (pair_id, path, side)) WITHOUT ROWID");
      this.hashes = new HashCacheStore(this.db, (fn) => this.transaction(fn));
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
    if (version >= 1 && version <= 3) {
      // Pairs synced before storages had markers adopt the marker their next pass finds or writes.
      this.db.exec(`${STORAGE_MARKS_TABLE};`);
      const columns = this.db.prepare("PRAGMA table_info(conflicts)").all() as Array<{ name: string }>;
      if (!columns.some((c) => c.name === "details")) this.db.exec("ALTER TABLE conflicts ADD COLUMN details TEXT;");
      this.db.exec("PRAGMA user_version = 4;");
    }
    if (version >= 1 && version <= 4) {
      // Existing rows get no modes (unknown): their first pass records what each side has.
      this.db.exec(`
        ALTER TABLE synced ADD COLUMN mode_a INTEGER;
        ALTER TABLE synced ADD COLUMN mode_b INTEGER;
        PRAGMA user_version = 5;
      `);
      return;
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS pairs (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS synced (
        pair_id INTEGER NOT NULL, path TEXT NOT NULL, kind TEXT NOT NULL, size INTEGER NOT NULL,
        hash TEXT, link_target TEXT, token_a TEXT, token_b TEXT, mode_a INTEGER, mode_b INTEGER, PRIMARY KEY (pair_id, path)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS conflicts (
        pair_id INTEGER NOT NULL, path TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL,
        source_token TEXT NOT NULL, target_token TEXT NOT NULL,
        detected_at INTEGER NOT NULL, details TEXT, PRIMARY KEY (pair_id, path)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS hashes (
        storage TEXT NOT NULL, path TEXT NOT NULL, token TEXT NOT NULL, hash TEXT NOT NULL,
        mtime_ms REAL NOT NULL, recorded_ms REAL NOT NULL, PRIMARY KEY (storage, path)) WITHOUT ROWID;
      ${STORAGE_MARKS_TABLE};
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
  }

  private static pairKey(identityA: string, identityB: string): string {
    return [identityA, identityB].sort().join("\u0000");
  }

  /**
   * The state of the pair of these two storages (created if new), seen with `sourceIdentity`
   * as the source. A pair's state does not depend on which of its storages is the source.
   */
  pair(sourceIdentity: string, targetIdentity: string): PairState {
    const key = StateStore.pairKey(sourceIdentity, targetIdentity);
    const row = this.db.prepare("SELECT id FROM pairs WHERE key = ?").get(key) as { id: number } | undefined;
    const id = row ? row.id : Number(this.db.prepare("INSERT INTO pairs (key, created_at) VALUES (?, ?)").run(key, Date.now()).lastInsertRowid);
    return new PairState(this, id, sourceIdentity > targetIdentity);
  }

  /** The pair's state if it was ever synced, else undefined (nothing is created). */
  findPair(sourceIdentity: string, targetIdentity: string): PairState | undefined {
    const key = StateStore.pairKey(sourceIdentity, targetIdentity);
    const row = this.db.prepare("SELECT id FROM pairs WHERE key = ?").get(key) as { id: number } | undefined;
    return row && new PairState(this, row.id, sourceIdentity > targetIdentity);
  }

  /** Runs a write transaction; a failure (a full disk...) becomes an E_STATE error that says where. */
  transaction(fn: () => void): void {
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

  close(): void {
    if (!this.db.open) return;
    this.hashes.flush();
    this.db.close();
  }
}
