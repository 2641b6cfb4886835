// The pure parts of versions and conflict resolution, from tables: which side a policy keeps on
// each conflict kind, conflict-copy names, keep policies and which versions they prune, version
// names. End-to-end behaviour is in conflict-resolve.test.mjs and versions.test.mjs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { conflictCopyName, decide, parseConflictPolicy } from "../packages/core/dist/engine/conflict-policy.js";
import { expiredVersions, parseKeepPolicy, parseVersionName, versionName, versionTimeMatches } from "../packages/plugin-api/dist/index.js";

const T0 = Date.parse("2026-11-30T10:00:00Z");
const side = (storage, kind, size = 0, minutes = 0) =>
  kind === "absent" ? { storage, kind, size: 0 } : { storage, kind, size, mtime: new Date(T0 + minutes * 60_000).toISOString() };

// [name, source side, target side, { policy: kept side | "undecided" }]; "both:x" = keep x, the other becomes the conflict copy.
const KINDS = [
  ["both changed: a larger and older", side("a", "file", 30, 0), side("b", "file", 8, 5), { a: "source", b: "target", newer: "target", older: "source", larger: "source", smaller: "target", both: "both:target" }],
  ["modify-delete: b deleted", side("a", "file", 30, 0), side("b", "absent"), { a: "source", b: "target", newer: "source", older: "source", larger: "source", smaller: "source", both: "source" }],
  ["modify-delete: a deleted", side("a", "absent"), side("b", "file", 3, 0), { a: "source", b: "target", newer: "target", older: "target", larger: "target", smaller: "target", both: "target" }],
  ["file against folder: the folder newer and smaller", side("a", "file", 100, 0), side("b", "dir", 2, 5), { a: "source", b: "target", newer: "target", older: "source", larger: "source", smaller: "target", both: "both:target" }],
  ["folder against file: the folder keeps the name with both", side("a", "dir", 500, 0), side("b", "file", 1, 9), { both: "both:source" }],
  ["ties stay in conflict", side("a", "file", 8, 1), side("b", "file", 8, 1), { newer: "undecided", older: "undecided", larger: "undecided", smaller: "undecided", both: "both:source", a: "source" }],
];

for (const [name, a, b, expected] of KINDS) {
  test(`decide: ${name}`, () => {
    for (const [text, want] of Object.entries(expected)) {
      const d = decide(parseConflictPolicy(text, ["a", "b"]), { sides: [a, b] });
      const got = "undecided" in d ? "undecided" : `${d.both ? "both:" : ""}${d.keep}`;
      assert.is(got, want, `${text}`);
      if (!("undecided" in d)) assert.is(d.loser, d.keep === "source" ? "target" : "source");
    }
  });
}

test("decide: a storage outside the pair decides nothing; unknown policies are refused by name", () => {
  const d = decide({ kind: "storage", storage: "c" }, { sides: [side("a", "file", 1), side("b", "file", 2)] });
  assert.match(d.undecided, /c is not one of this pair's storages/);
  assert.throws(() => parseConflictPolicy("biggest", ["a", "b"]), /unknown conflict policy "biggest"/);
});

test("conflict copy names: the storage and UTC time before the extension (as Syncthing)", () => {
  const ms = Date.parse("2026-11-30T13:49:39.512Z");
  assert.is(conflictCopyName("notes.txt", "laptop", ms), "notes.conflict-laptop-20261130T134939Z.txt");
  assert.is(conflictCopyName("a/b/archive.tar.gz", "nas", ms), "a/b/archive.tar.conflict-nas-20261130T134939Z.gz");
  assert.is(conflictCopyName("dir.d/Makefile", "b", ms), "dir.d/Makefile.conflict-b-20261130T134939Z");
  assert.is(conflictCopyName(".bashrc", "b", ms), ".bashrc.conflict-b-20261130T134939Z");
});

test("keep policies: ages, counts, off; anything else is a config error", () => {
  assert.equal(parseKeepPolicy(undefined), { kind: "age", ms: 30 * 86_400_000 });
  assert.equal(parseKeepPolicy({ keep: "12h" }), { kind: "age", ms: 12 * 3_600_000 });
  assert.equal(parseKeepPolicy({ keep: "2w" }), { kind: "age", ms: 14 * 86_400_000 });
  assert.equal(parseKeepPolicy({ keep: 3 }), { kind: "count", n: 3 });
  assert.equal(parseKeepPolicy({ keep: "off" }), { kind: "off" });
  for (const bad of ["30 days", "0d", 0, 1.5, "d", true]) assert.throws(() => parseKeepPolicy({ keep: bad }), /versions\.keep/);
});

test("pruning: by age the older ones go, by count all but the newest N per path, off prunes nothing", () => {
  const now = T0;
  const v = (path, hoursAgo, n = 0) => ({ path, timeMs: now - hoursAgo * 3_600_000, name: versionName(path, now - hoursAgo * 3_600_000, n) });
  const list = [v("x", 1), v("x", 30), v("x", 50), v("y", 49), v("y", 2), v("x", 50, 1)];
  const names = (vs) => vs.map((x) => x.name).sort();
  assert.equal(names(expiredVersions(list, { kind: "age", ms: 48 * 3_600_000 }, now)), names([list[2], list[3], list[5]]));
  assert.equal(names(expiredVersions(list, { kind: "count", n: 2 }, now)), names([list[2], list[5]]));
  assert.equal(expiredVersions(list, { kind: "off" }, now), []);
});

test("version names round-trip, and --version matches ISO or compact times and their prefixes", () => {
  const ms = Date.parse("2026-11-30T13:49:39.123Z");
  const name = versionName("dir/a~b.txt", ms, 2);
  assert.is(name, "dir/a~b.txt~20261130T134939.123Z-2");
  assert.equal(parseVersionName(name), { path: "dir/a~b.txt", time: "2026-11-30T13:49:39.123Z", timeMs: ms });
  assert.is(parseVersionName("stray.txt"), null);
  const version = { name, time: "2026-11-30T13:49:39.123Z" };
  for (const yes of ["2026-11-30T13:49:39.123Z", "2026-11-30T13:49", "20261130T1349", "2026-11-30"]) assert.ok(versionTimeMatches(version, yes), yes);
  for (const no of ["2026-11-30T13:50", "", "1999"]) assert.not.ok(versionTimeMatches(version, no), no);
});

test.run();
