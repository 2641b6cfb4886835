// The on-disk state across versions: a state store written by an earlier wl (schema 1, before
// `synced` kept each side's token) is upgraded in place and its base still decides the pass.
import { chmodSync, mkdirSync, realpathSync, rmSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { openDatabase, sha256 } from "./helpers/faults.mjs";
import { localConfig, wl, workspace } from "./helpers/wl.mjs";

/** The schema wl wrote before version 2, verbatim. */
const SCHEMA_1 = `
  CREATE TABLE pairs (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
  CREATE TABLE synced (
    pair_id INTEGER NOT NULL, path TEXT NOT NULL, kind TEXT NOT NULL, size INTEGER NOT NULL,
    hash TEXT, link_target TEXT, PRIMARY KEY (pair_id, path)) WITHOUT ROWID;
  CREATE TABLE conflicts (
    pair_id INTEGER NOT NULL, path TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL,
    source_token TEXT NOT NULL, target_token TEXT NOT NULL,
    detected_at INTEGER NOT NULL, PRIMARY KEY (pair_id, path)) WITHOUT ROWID;
  CREATE TABLE hashes (
    storage TEXT NOT NULL, path TEXT NOT NULL, token TEXT NOT NULL, hash TEXT NOT NULL,
    mtime_ms REAL NOT NULL, recorded_ms REAL NOT NULL, PRIMARY KEY (storage, path)) WITHOUT ROWID;
  PRAGMA user_version = 1;
`;

const OLD = new Date("2020-01-02T03:04:05.678Z");
const tokenOf = (file) => {
  const st = statSync(file, { bigint: true });
  return [st.ino, st.size, st.mtimeNs, st.ctimeNs].join(":");
};

test("a schema-1 state store is upgraded in place: its base still decides (a deletion propagates, nothing is a conflict), and each side's token is kept from then on", async () => {
  const ws = workspace();
  try {
    localConfig(ws.dir);
    const files = { "x.txt": "same on both sides", "dir/z.txt": "deleted on a since the last pass" };
    for (const [path, text] of Object.entries(files)) for (const side of ["a", "b"]) ws.write(`${side}/${path}`, text);
    ws.write("a/y.txt", "new on a");
    ws.write("b/x-edited.txt", "edited on b");
    for (const side of ["a", "b"]) for (const path of ["x.txt", "dir/z.txt"]) utimesSync(ws.path(side, path), OLD, OLD);

    // What wl 0.1 left after its last pass: x.txt, dir and dir/z.txt synced; x-edited.txt synced with other bytes.
    mkdirSync(ws.state, { recursive: true });
    const db = openDatabase(join(ws.state, "state.db"));
    db.exec(SCHEMA_1);
    const key = ["a", "b"].map((s) => `local:${realpathSync(ws.path(s))}`).sort().join("\u0000");
    const pairId = Number(db.prepare("INSERT INTO pairs (key, created_at) VALUES (?, ?)").run(key, Date.now()).lastInsertRowid);
    const put = db.prepare("INSERT INTO synced (pair_id, path, kind, size, hash, link_target) VALUES (?, ?, ?, ?, ?, NULL)");
    for (const [path, text] of Object.entries(files)) put.run(pairId, path, "file", Buffer.byteLength(text), sha256(Buffer.from(text)));
    put.run(pairId, "dir", "dir", 0, null);
    put.run(pairId, "x-edited.txt", "file", 3, sha256(Buffer.from("old")));
    db.close();
    ws.write("a/x-edited.txt", "old");
    // Then, on a: dir/z.txt deleted (a deletion only the base can tell from a creation on b).
    ws.write("a/dir/.keep", "");
    rmSync(ws.path("a/dir/z.txt"));

    const first = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive", "--json"]);
    assert.is(first.code, 0, `first pass: exit ${first.code}\n${first.stdout}\n${first.stderr}`);
    const result = JSON.parse(first.stdout);
    assert.equal(result.conflicts, [], "the old base was not used: the deletion or the edit looked like a conflict");
    assert.not.ok(statSync(ws.path("b/dir/z.txt"), { throwIfNoEntry: false }), "the deletion on a did not propagate to b");
    assert.is(ws.read("b/y.txt"), "new on a");
    assert.is(ws.read("a/x-edited.txt"), "edited on b");

    const after = openDatabase(join(ws.state, "state.db"), { readonly: true });
    try {
      assert.is(after.pragma("user_version", { simple: true }), 5);
      assert.ok(after.prepare("PRAGMA table_info(conflicts)").all().some((c) => c.name === "details"), "schema 4: conflicts keep their details");
      const row = after.prepare("SELECT hash, token_a, token_b, mode_a, mode_b FROM synced WHERE pair_id = ? AND path = 'x.txt'").get(pairId);
      assert.is(row.mode_a, statSync(ws.path("a/x.txt")).mode & 0o777, "schema 5: x.txt: a's mode was not recorded");
      assert.is(row.mode_b, statSync(ws.path("b/x.txt")).mode & 0o777, "schema 5: x.txt: b's mode was not recorded");
      assert.is(row.hash, sha256(Buffer.from(files["x.txt"])));
      assert.is(row.token_a, tokenOf(ws.path("a/x.txt")), "x.txt: a's token was not recorded");
      assert.is(row.token_b, tokenOf(ws.path("b/x.txt")), "x.txt: b's token was not recorded");
    } finally {
      after.close();
    }

    const second = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive", "--json"]);
    assert.is(second.code, 0, second.stderr);
    const c = JSON.parse(second.stdout).counters;
    assert.is(c.copiedToTarget + c.copiedToSource + c.deletedOnTarget + c.deletedOnSource, 0, `the second pass changed something: ${second.stdout}`);
  } finally {
    ws.cleanup();
  }
});

test("a schema-4 state store (no modes) is upgraded: sides whose modes differ stay as they are, and later chmods propagate", async () => {
  const ws = workspace();
  try {
    localConfig(ws.dir);
    for (const side of ["a", "b"]) ws.write(`${side}/run.sh`, "#!/bin/sh\necho hi\n");
    chmodSync(ws.path("a/run.sh"), 0o644);
    chmodSync(ws.path("b/run.sh"), 0o644);
    const sync = () => wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive", "--json"]);
    assert.is((await sync()).code, 0);
    // What a wl with schema 4 leaves: the same tables without the mode columns.
    const db = openDatabase(join(ws.state, "state.db"));
    db.exec("ALTER TABLE synced DROP COLUMN mode_a; ALTER TABLE synced DROP COLUMN mode_b; PRAGMA user_version = 4;");
    db.close();
    // A chmod made before the upgrade, which no base can place on a side.
    chmodSync(ws.path("a/run.sh"), 0o755);
    const first = await sync();
    assert.is(first.code, 0, first.stderr);
    assert.is(JSON.parse(first.stdout).counters.modesChanged, 0, `the upgrade moved a mode: ${first.stdout}`);
    assert.is(statSync(ws.path("a/run.sh")).mode & 0o777, 0o755);
    assert.is(statSync(ws.path("b/run.sh")).mode & 0o777, 0o644);
    // From now on each side's mode is known: a chmod on b goes to a.
    chmodSync(ws.path("b/run.sh"), 0o700);
    const second = await sync();
    assert.is(second.code, 0, second.stderr);
    assert.is(statSync(ws.path("a/run.sh")).mode & 0o777, 0o700, "b's chmod after the upgrade did not reach a");
    assert.is(ws.read("a/run.sh"), "#!/bin/sh\necho hi\n");
  } finally {
    ws.cleanup();
  }
});

test("a state store newer than this wl is refused with exit 3, and nothing is touched", async () => {
  const ws = workspace();
  try {
    localConfig(ws.dir);
    ws.write("a/doc.txt", "doc");
    mkdirSync(ws.state, { recursive: true });
    const db = openDatabase(join(ws.state, "state.db"));
    db.pragma("user_version = 99");
    db.close();
    const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"]);
    assert.is(r.code, 3, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /schema 99 is newer than this wl understands/);
    assert.not.ok(statSync(ws.path("b/doc.txt"), { throwIfNoEntry: false }), "a file was copied anyway");
  } finally {
    ws.cleanup();
  }
});

test.run();
