import type { Conflict, Intent, SyncedRecord } from "@wlsync/plugin-api";
import type { StateStore } from "./state-store.js";

const SYNCED_COLUMNS = "path, kind, size, hash, link_target, token_a, token_b, mode_a, mode_b";
type SyncedRow = [string, SyncedRecord["kind"], number, string | null, string | null, string | null, string | null, number | null, number | null];

/** Each side's base mode (see SyncedRecord.sourceMode), set by a chmod that landed. */
export type ModePatch = { sourceMode: number | null; targetMode: number | null };

/**
 * One pair's state (base records and open conflicts) in the caller's orientation. The database
 * keeps a pair once, whichever storage is the source: its two storages in sorted identity
 * order, "first" and "second". Stored tokens are in that order: `synced.token_a` / `token_b`,
 * and (despite their names, kept from schema 1) `conflicts.source_token` / `target_token`.
 * This view is the only place that knows it: callers read and write the `sourceToken` and
 * `targetToken` of their own pass.
 */
export class PairState {
  constructor(
    private readonly store: StateStore,
    /** The pair's row id (for the pair lock's file name). */
    readonly id: number,
    /** The caller's source is the pair's second storage. */
    private readonly sourceIsSecond: boolean,
  ) {}

  /** [first, second] from [source, target]: the same swap both ways. */
  private stored<T>(source: T, target: T): [T, T] {
    return this.sourceIsSecond ? [target, source] : [source, target];
  }

  private recordOf(r: SyncedRow): SyncedRecord {
    const [sourceToken, targetToken] = this.stored(r[5], r[6]);
    const record: SyncedRecord = { path: r[0], kind: r[1], size: r[2], hash: r[3], linkTarget: r[4], sourceToken, targetToken };
    if (r[7] !== null || r[8] !== null) [record.sourceMode, record.targetMode] = this.stored(r[7], r[8]);
    return record;
  }

  /** A stored conflict row in the caller's orientation (its details, if any, parsed). */
  private conflictOf({ details, ...c }: Conflict & { details?: string | null }): Conflict {
    const [sourceToken, targetToken] = this.stored(c.sourceToken, c.targetToken);
    const out: Conflict = { ...c, sourceToken, targetToken };
    if (!details) return out;
    try {
      const d = JSON.parse(details) as Pick<Conflict, "sides" | "base">;
      if (d.sides) out.sides = this.stored(d.sides[0], d.sides[1]);
      if (d.base !== undefined) out.base = d.base;
    } catch {
      // details are for people: a row without readable ones is still the conflict
    }
    return out;
  }

  /** The sides (in stored order) and base of a conflict as JSON, or null when it has none. */
  private detailsOf(c: Conflict): string | null {
    if (!c.sides && c.base === undefined) return null;
    return JSON.stringify({ sides: c.sides ? this.stored(c.sides[0], c.sides[1]) : undefined, base: c.base });
  }

  /** The identity marker (id, generation) this pair last saw at a storage (by its identity()), if any. */
  storageMark(storage: string): { storageId: string; generation: number } | undefined {
    const row = this.store.db.prepare("SELECT storage_id, generation FROM storage_marks WHERE pair_id = ? AND storage = ?").get(this.id, storage) as
      | { storage_id: string; generation: number }
      | undefined;
    return row && { storageId: row.storage_id, generation: row.generation };
  }

  /** Records the marker a pass found (and advanced) at a storage. */
  recordStorageMark(storage: string, storageId: string, generation: number): void {
    this.store.transaction(() => {
      this.store.db.prepare("INSERT OR REPLACE INTO storage_marks (pair_id, storage, storage_id, generation) VALUES (?, ?, ?, ?)").run(this.id, storage, storageId, generation);
    });
  }

  /**
   * Forgets the pair's base and open conflicts: the next plan is a first meeting (equal files
   * are recorded, differing ones are conflicts). Used when the user accepts a storage that is
   * not the one the base describes.
   */
  forgetBase(): void {
    this.store.transaction(() => {
      this.store.db.prepare("DELETE FROM synced WHERE pair_id = ?").run(this.id);
      this.store.db.prepare("DELETE FROM conflicts WHERE pair_id = ?").run(this.id);
    });
  }

  /** Every synced record of the pair, by path. */
  loadSynced(): Map<string, SyncedRecord> {
    // Row by row: no array of every row (and of [path, row] pairs) on top of the map.
    // Raw rows (arrays) are a third cheaper than named ones; the records are built here.
    const out = new Map<string, SyncedRecord>();
    const rows = this.store.db.prepare(`SELECT ${SYNCED_COLUMNS} FROM synced WHERE pair_id = ?`).raw(true).iterate(this.id);
    for (const r of rows as IterableIterator<SyncedRow>) out.set(r[0], this.recordOf(r));
    return out;
  }

  /** The synced records of `paths` and of everything below them, and of `exact` paths alone (change-driven passes). */
  loadSyncedUnder(paths: Iterable<string>, exact: Iterable<string> = []): Map<string, SyncedRecord> {
    const one = this.store.db.prepare(`SELECT ${SYNCED_COLUMNS} FROM synced WHERE pair_id = ? AND path = ?`).raw(true);
    // '/' + 1 is '0': the range holds exactly the paths below `p/`.
    const below = this.store.db.prepare(`SELECT ${SYNCED_COLUMNS} FROM synced WHERE pair_id = ? AND path >= ? AND path < ?`).raw(true);
    const out = new Map<string, SyncedRecord>();
    for (const p of paths) {
      const row = one.get(this.id, p) as SyncedRow | undefined;
      if (row) out.set(row[0], this.recordOf(row));
      if (row && row[1] !== "dir") continue;
      for (const r of below.all(this.id, `${p}/`, `${p}0`) as SyncedRow[]) out.set(r[0], this.recordOf(r));
    }
    for (const p of exact) {
      const row = one.get(this.id, p) as SyncedRow | undefined;
      if (row) out.set(row[0], this.recordOf(row));
    }
    return out;
  }

  /**
   * The synced records of one chunk of a pass (engine/chunked-pass.ts): `chunk.dir` and
   * everything below it (`whole`), or the children of `chunk.dir` whose names `inRange` accepts,
   * with everything below them; plus the `exact` paths alone (the chunk's parent folders). Read
   * by key range: SQLite orders paths by their UTF-8 bytes, JavaScript by UTF-16 code units,
   * which agree below U+D800 (else the whole folder is read and the names picked here).
   */
  loadSyncedChunk(
    chunk: { dir: string; lo: string | null; hi: string | null; whole?: boolean },
    inRange: (name: string) => boolean,
    exact: Iterable<string> = [],
  ): Map<string, SyncedRecord> {
    if (chunk.whole) return this.loadSyncedUnder([chunk.dir], exact);
    const range = this.store.db.prepare(`SELECT ${SYNCED_COLUMNS} FROM synced WHERE pair_id = ? AND path >= ? AND path < ?`).raw(true);
    const one = this.store.db.prepare(`SELECT ${SYNCED_COLUMNS} FROM synced WHERE pair_id = ? AND path = ?`).raw(true);
    const prefix = chunk.dir === "" ? "" : `${chunk.dir}/`;
    // The folder's whole range: '/' + 1 is '0' (the root: every path).
    const end = chunk.dir === "" ? "\u{10FFFF}\u{10FFFF}" : `${chunk.dir}0`;
    const plain = !/[\uD800-\uFFFF]/.test((chunk.lo ?? "") + (chunk.hi ?? ""));
    const ranges: Array<[string, string]> = [[plain && chunk.lo !== null ? prefix + chunk.lo : prefix, plain && chunk.hi !== null ? prefix + chunk.hi : end]];
    // A name that is a prefix of `hi` ("ab" before "ab c") sorts before it, but its content
    // ("ab/x") after it: those ranges are read too.
    if (plain && chunk.hi !== null) for (let k = 1; k < chunk.hi.length; k++) ranges.push([`${prefix}${chunk.hi.slice(0, k)}/`, `${prefix}${chunk.hi.slice(0, k)}0`]);
    const out = new Map<string, SyncedRecord>();
    for (const [low, high] of ranges) {
      for (const r of range.iterate(this.id, low, high) as IterableIterator<SyncedRow>) {
        const path = r[0];
        if (!path.startsWith(prefix) || out.has(path)) continue;
        const slash = path.indexOf("/", prefix.length);
        if (!inRange(slash < 0 ? path.slice(prefix.length) : path.slice(prefix.length, slash))) continue;
        out.set(path, this.recordOf(r));
      }
    }
    for (const p of exact) {
      const row = one.get(this.id, p) as SyncedRow | undefined;
      if (row) out.set(row[0], this.recordOf(row));
    }
    return out;
  }

  /** Synced files and links (not folders). */
  countSyncedFiles(): number {
    return (this.store.db.prepare("SELECT count(*) AS n FROM synced WHERE pair_id = ? AND kind != 'dir'").get(this.id) as { n: number }).n;
  }

  /**
   * Records and forgets synced paths, sets the base modes of `modes` (after the records: a
   * chmod lands after a copy of the same path), and writes pending hash-cache changes, in one
   * transaction.
   */
  commit(records: readonly SyncedRecord[], forgets: readonly string[], modes: ReadonlyMap<string, ModePatch> = new Map()): void {
    const db = this.store.db;
    const put = db.prepare(
      "INSERT OR REPLACE INTO synced (pair_id, path, kind, size, hash, link_target, token_a, token_b, mode_a, mode_b) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const del = db.prepare("DELETE FROM synced WHERE pair_id = ? AND path = ?");
    const setModes = db.prepare("UPDATE synced SET mode_a = ?, mode_b = ? WHERE pair_id = ? AND path = ?");
    this.store.transaction(() => {
      for (const r of records) {
        const [first, second] = this.stored(r.sourceToken ?? null, r.targetToken ?? null);
        const [modeFirst, modeSecond] = this.stored(r.sourceMode ?? null, r.targetMode ?? null);
        put.run(this.id, r.path, r.kind, r.size, r.hash, r.linkTarget, first, second, modeFirst, modeSecond);
      }
      for (const p of forgets) del.run(this.id, p);
      for (const [p, m] of modes) setModes.run(...this.stored(m.sourceMode, m.targetMode), this.id, p);
      this.store.hashes.flushInTransaction();
    });
  }

  /** The conflicts the last pass left open, by path. */
  loadConflicts(): Conflict[] {
    const rows = this.store.db
      .prepare("SELECT path, reason, message, source_token AS sourceToken, target_token AS targetToken, details FROM conflicts WHERE pair_id = ? ORDER BY path")
      .all(this.id) as Conflict[];
    return rows.map((c) => this.conflictOf(c));
  }

  /** Replaces all the pair's open conflicts. */
  saveConflicts(conflicts: readonly Conflict[]): void {
    this.store.transaction(() => {
      this.store.db.prepare("DELETE FROM conflicts WHERE pair_id = ?").run(this.id);
      this.putConflicts(conflicts);
    });
  }

  /** Replaces the conflicts at `roots` (and below them) and at `exact` paths: a change-driven pass saw only those. */
  saveConflictsUnder(roots: Iterable<string>, exact: Iterable<string>, conflicts: readonly Conflict[]): void {
    const delOne = this.store.db.prepare("DELETE FROM conflicts WHERE pair_id = ? AND path = ?");
    const delBelow = this.store.db.prepare("DELETE FROM conflicts WHERE pair_id = ? AND path >= ? AND path < ?");
    this.store.transaction(() => {
      for (const p of roots) {
        delOne.run(this.id, p);
        delBelow.run(this.id, `${p}/`, `${p}0`);
      }
      for (const p of exact) delOne.run(this.id, p);
      this.putConflicts(conflicts);
    });
  }

  private putConflicts(conflicts: readonly Conflict[]): void {
    const put = this.store.db.prepare(
      "INSERT OR REPLACE INTO conflicts (pair_id, path, reason, message, source_token, target_token, detected_at, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const now = Date.now();
    for (const c of conflicts) {
      const [first, second] = this.stored(c.sourceToken ?? "", c.targetToken ?? "");
      put.run(this.id, c.path, c.reason, c.message, first, second, now, this.detailsOf(c));
    }
  }

  // ---- copy intents (see SyncEngine.recognizeLanded) ---------------------------------------

  /**
   * Records the content each copy is about to land ("a"/"b": the pair's first or second storage).
   * The `hash` column holds the sha256, or `~SIZE:MTIME_MS` for a copy known by size and mtime
   * (a sha256 in hex never starts with `~`).
   */
  saveIntents(intents: readonly Intent[]): void {
    const put = this.store.db.prepare("INSERT OR REPLACE INTO intents (pair_id, path, side, hash) VALUES (?, ?, ?, ?)");
    this.store.transaction(() => {
      for (const i of intents) put.run(this.id, i.path, this.stored("a", "b")[i.to === "source" ? 0 : 1], i.hash ?? `~${i.size}:${i.mtimeMs}`);
    });
  }

  loadIntents(): Intent[] {
    const rows = this.store.db.prepare("SELECT path, side, hash FROM intents WHERE pair_id = ?").all(this.id) as Array<{ path: string; side: string; hash: string }>;
    const [sourceSide] = this.stored("a", "b");
    return rows.map((r) => {
      const to = r.side === sourceSide ? "source" : "target";
      if (!r.hash.startsWith("~")) return { path: r.path, to, hash: r.hash };
      const [size, mtimeMs] = r.hash.slice(1).split(":").map(Number);
      return { path: r.path, to, size, mtimeMs };
    });
  }

  clearIntents(paths: Iterable<string>): void {
    const del = this.store.db.prepare("DELETE FROM intents WHERE pair_id = ? AND path = ?");
    this.store.transaction(() => {
      for (const p of paths) del.run(this.id, p);
    });
  }
}
