// The planning half of the scan (packages/core/src/engine/scan.ts, hashForPlan) from a table:
// which file entries get a sha256 before planning, and where it comes from (the base under an
// unchanged token, the hash cache, or a read), and the trusted token each file gets.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ChangedDuringSyncError } from "@wlsync/plugin-api";
import { hashForPlan } from "../packages/core/dist/engine/scan.js";

const OLD = 1_600_000_000_123.5; // an mtime long past: its token is trusted

const file = (path, size, token, extra = {}) => ({ path, kind: "file", size, token, mtimeMs: OLD, ...extra });
const dir = (path) => ({ path, kind: "dir", size: 0, token: "dir", mtimeMs: OLD });
const rec = (path, size, hash, sourceToken = null, targetToken = null) => ({ path, kind: "file", size, hash, linkTarget: null, sourceToken, targetToken });

/** A hash source that knows `known` (path → hash) and reads the rest as "read:<path>" (or fails for paths in `failing`). */
function source(known = {}, failing = []) {
  const reads = [];
  return {
    reads,
    knownHash: (path) => known[path],
    async getHash(path) {
      reads.push(path);
      if (failing.includes(path)) throw new ChangedDuringSyncError(`${path}: changed while it was hashed`);
      return `read:${path}`;
    },
  };
}

const scan = (...entries) => ({ listing: new Map(entries.map((e) => [e.path, e])), opaque: new Set(), errors: [] });

// [name, source entry, target entry, base record, known on the source, the source entry's hash after (undefined: none), read?]
const TABLE = [
  ["a new file on one side: its size settles it, no hash", file("x", 3, "s1"), undefined, undefined, {}, undefined, false],
  ["files of the same size on both sides: hashed", file("x", 3, "s1"), file("x", 3, "t1"), undefined, {}, "read:x", true],
  ["files of different sizes: no hash", file("x", 3, "s1"), file("x", 4, "t1"), undefined, {}, undefined, false],
  ["the base has a file of the same size: hashed", file("x", 3, "s1"), undefined, rec("x", 3, "hb"), {}, "read:x", true],
  ["the base has a file of another size: no hash", file("x", 3, "s1"), undefined, rec("x", 5, "hb"), {}, undefined, false],
  ["the base's hash, under the token recorded for this side", file("x", 3, "s1"), file("x", 3, "t1"), rec("x", 3, "hb", "s1", "t1"), {}, "hb", false],
  ["not the base's hash under the other side's token", file("x", 3, "t1"), file("x", 3, "t9"), rec("x", 3, "hb", "s1", "t1"), {}, "read:x", true],
  ["not the base's hash when the size differs from the record", file("x", 3, "s1"), file("x", 3, "t1"), rec("x", 4, "hb", "s1", "t1"), {}, "read:x", true],
  ["not the base's hash when no token was recorded", file("x", 3, "s1"), file("x", 3, "t1"), rec("x", 3, "hb", null, null), {}, "read:x", true],
  ["the hash cache's hash when the base has none", file("x", 3, "s1"), file("x", 3, "t1"), undefined, { x: "cached" }, "cached", false],
  ["a hash the listing gave (S3 metadata) is kept", file("x", 3, "s1", { hash: "listed" }), file("x", 3, "t1"), undefined, {}, "listed", false],
  ["a folder is never hashed", dir("x"), dir("x"), undefined, {}, undefined, false],
];

for (const [name, s, t, base, known, hash, read] of TABLE) {
  test(`hashForPlan: ${name}`, async () => {
    const sources = { source: source(known), target: source() };
    const scans = { source: scan(s), target: t ? scan(t) : scan() };
    const errors = await hashForPlan(scans, sources, new Map(base ? [[base.path, base]] : []));
    assert.equal(errors, []);
    assert.is(scans.source.listing.get("x").hash, hash);
    assert.equal(sources.source.reads, read ? ["x"] : []);
  });
}

test("hashForPlan: both sides are hashed, each from its own source", async () => {
  const sources = { source: source(), target: source({ x: "cached-on-target" }) };
  const scans = { source: scan(file("x", 3, "s1")), target: scan(file("x", 3, "t1")) };
  await hashForPlan(scans, sources, new Map());
  assert.is(scans.source.listing.get("x").hash, "read:x");
  assert.is(scans.target.listing.get("x").hash, "cached-on-target");
  assert.equal(sources.target.reads, []);
});

test("hashForPlan: a file that cannot be hashed becomes unknown and an item error naming its side; the others are hashed", async () => {
  const sources = { source: source(), target: source({}, ["bad"]) };
  const scans = { source: scan(file("bad", 3, "s1"), file("ok", 2, "s2")), target: scan(file("bad", 3, "t1"), file("ok", 2, "t2")) };
  const errors = await hashForPlan(scans, sources, new Map());
  assert.equal(errors, [{ path: "bad", code: "E_CHANGED", message: "cannot read on the target: bad: changed while it was hashed" }]);
  assert.equal([...scans.target.opaque], ["bad"]);
  assert.equal([...scans.source.opaque], []);
  assert.is(scans.target.listing.get("ok").hash, "read:ok");
});

test("hashForPlan: a read that fails without an error code of wl's is an item error E_ITEM", async () => {
  const sources = { source: { knownHash: () => undefined, getHash: async () => { throw new Error("EIO: i/o error"); } }, target: source() };
  const scans = { source: scan(file("x", 3, "s1")), target: scan(file("x", 3, "t1")) };
  const errors = await hashForPlan(scans, sources, new Map());
  assert.equal(errors, [{ path: "x", code: "E_ITEM", message: "cannot read on the source: EIO: i/o error" }]);
  assert.equal([...scans.source.opaque], ["x"]);
});

test("hashForPlan: a folder facing an empty file of the same size is not hashed; a listed hash is never read again", async () => {
  const sources = { source: source(), target: source() };
  const scans = { source: scan(dir("x"), file("h", 3, "s1", { hash: "listed" })), target: scan(file("x", 0, "t1"), file("h", 3, "t2", { hash: "listed-too" })) };
  await hashForPlan(scans, sources, new Map([["h", rec("h", 3, "hb")]]));
  assert.equal(sources.source.reads, []);
  assert.equal(sources.target.reads, []);
  assert.is(scans.source.listing.get("h").hash, "listed");
});

test("hashForPlan: every file gets its trusted token (the racy rule, applied at scan time); folders none", async () => {
  const now = Date.now();
  const scans = {
    source: scan(file("old", 1, "s-old"), { ...file("fresh", 1, "s-fresh"), mtimeMs: now }, dir("d")),
    target: scan(file("old", 2, "t-old")),
  };
  await hashForPlan(scans, { source: source(), target: source() }, new Map());
  assert.is(scans.source.listing.get("old").trustedToken, "s-old");
  assert.is(scans.target.listing.get("old").trustedToken, "t-old");
  assert.is(scans.source.listing.get("fresh").trustedToken, null, "a token recorded within the racy window is not trusted");
  assert.is(scans.source.listing.get("d").trustedToken, undefined);
});

test.run();
