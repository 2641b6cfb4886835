// Renames and copies that move nothing, from a table: the planner (`plan`) then `findMoves`
// (packages/core/src/engine/moves.ts) called directly, no disk, no process. Each row gives the
// base and both sides (fixture specs as in plan.test.mjs: "file:CONTENT", "dir") and the actions
// that must come out in each mode: "move target new/a from old/a", "copy-within target c from k",
// and the planner's own "copy target x", "delete target x", "mkdir target d".
// Every two-way row is also run with the sides swapped. End-to-end proofs (0 bytes transferred,
// files byte for byte, the compare-and-swap at apply time) are in moves-e2e.test.mjs.
import { createHash } from "node:crypto";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { plan } from "../packages/core/dist/engine/plan.js";
import { findMoves } from "../packages/core/dist/engine/moves.js";

const sha = (text) => createHash("sha256").update(text).digest("hex");

function entry(path, spec) {
  if (spec === "dir") return { path, kind: "dir", size: 0, token: "dir", mtimeMs: 0 };
  const content = spec.slice("file:".length);
  return { path, kind: "file", size: Buffer.byteLength(content), token: `t:${content}`, mtimeMs: 0, hash: sha(content), trustedToken: `t:${content}` };
}

function record(path, spec) {
  const e = entry(path, spec);
  const file = e.kind === "file";
  return { path, kind: e.kind, size: e.size, hash: file ? e.hash : null, linkTarget: null, sourceToken: file ? e.token : null, targetToken: file ? e.token : null };
}

const listing = (specs = {}) => new Map(Object.entries(specs).map(([path, spec]) => [path, entry(path, spec)]));

function run(row, direction, can) {
  const base = { synced: new Map(Object.entries(row.base ?? {}).map(([p, s]) => [p, record(p, s)])), openConflicts: new Map() };
  const side = (name) => ({ entries: listing(row[name]), unknown: new Set(), shallow: new Set() });
  const source = side("source");
  const target = side("target");
  const planned = plan(base, source, target, { direction });
  return { planned, actions: findMoves(planned.actions, { source: source.entries, target: target.entries }, can) };
}

const show = (a) => `${a.type} ${a.to} ${a.path}${a.type === "move" || a.type === "copy-within" ? ` from ${a.from}` : ""}`;

function mirrored(row) {
  const swap = (s) => s.replace(/^([\w-]+) (source|target) /, (_, type, to) => `${type} ${to === "source" ? "target" : "source"} `);
  return { ...row, source: row.target, target: row.source, twoWay: { ...row.twoWay, actions: row.twoWay.actions.map(swap) } };
}

const TABLE = [
  {
    name: "a folder renamed: every file under it is moved, the old folder deleted after",
    base: { old: "dir", "old/a": "file:AAAA", "old/s": "dir", "old/s/b": "file:BBBB" },
    source: { new: "dir", "new/a": "file:AAAA", "new/s": "dir", "new/s/b": "file:BBBB" },
    target: { old: "dir", "old/a": "file:AAAA", "old/s": "dir", "old/s/b": "file:BBBB" },
    twoWay: { actions: ["delete target old/s", "delete target old", "mkdir target new", "mkdir target new/s", "move target new/a from old/a", "move target new/s/b from old/s/b"] },
  },
  {
    name: "a file renamed",
    base: { x: "file:CCC" },
    source: { y: "file:CCC" },
    target: { x: "file:CCC" },
    twoWay: { actions: ["move target y from x"] },
  },
  {
    name: "a rename on the target: moved back two-way, left alone one-way",
    base: { x: "file:CCC" },
    source: { x: "file:CCC" },
    target: { y: "file:CCC" },
    twoWay: { actions: ["move source y from x"] },
    oneWay: { actions: [] },
  },
  {
    name: "a rename on one side and an edit of that file on the other: the edit is a conflict, the renamed file is transferred",
    base: { x: "file:OLD" },
    source: { y: "file:OLD" },
    target: { x: "file:NEW" },
    twoWay: { actions: ["copy target y"], conflicts: ["x"] },
  },
  {
    name: "renamed and edited on the same side: a new content, transferred",
    base: { x: "file:OLD" },
    source: { y: "file:NEW" },
    target: { x: "file:OLD" },
    twoWay: { actions: ["delete target x", "copy target y"] },
  },
  {
    name: "a renamed file with a second copy: one move, one copy within the side from the moved file",
    base: { x: "file:DUP" },
    source: { y: "file:DUP", z: "file:DUP" },
    target: { x: "file:DUP" },
    twoWay: { actions: ["move target y from x", "copy-within target z from y"] },
  },
  {
    name: "a move prefers the deleted file with the same name",
    base: { a: "dir", "a/one": "file:SAME", "a/two": "file:SAME" },
    source: { b: "dir", "b/two": "file:SAME", "b/one": "file:SAME" },
    target: { a: "dir", "a/one": "file:SAME", "a/two": "file:SAME" },
    twoWay: { actions: ["delete target a", "mkdir target b", "move target b/one from a/one", "move target b/two from a/two"] },
  },
  {
    name: "a copy of a file that stays is made within the side",
    base: { k: "file:KEEP" },
    source: { k: "file:KEEP", c: "file:KEEP" },
    target: { k: "file:KEEP" },
    twoWay: { actions: ["copy-within target c from k"] },
  },
  {
    name: "two new files with the same content and nothing to make them from: both transferred",
    source: { p: "file:TWIN", q: "file:TWIN" },
    twoWay: { actions: ["copy target p", "copy target q"] },
  },
  {
    name: "a move onto an occupied path is a replacement: transferred (compare-and-swap on what is there), the old name deleted",
    base: { x: "file:AAA", y: "file:BBB" },
    source: { y: "file:AAA" },
    target: { x: "file:AAA", y: "file:BBB" },
    twoWay: { actions: ["delete target x", "copy target y"] },
  },
  {
    name: "a folder that became a file: its old content is not moved (the folder must go first)",
    base: { d: "dir", "d/f": "file:INSIDE" },
    source: { d: "file:INSIDE" },
    target: { d: "dir", "d/f": "file:INSIDE" },
    twoWay: { actions: ["delete target d/f", "delete target d", "copy target d"] },
  },
  {
    name: "empty files are written, not moved",
    base: { x: "file:" },
    source: { y: "file:" },
    target: { x: "file:" },
    twoWay: { actions: ["delete target x", "copy target y"] },
  },
  {
    name: "renamed on each side to different names: each side gets the other's name, made from its own file",
    base: { x: "file:BOTH" },
    source: { s: "file:BOTH" },
    target: { t: "file:BOTH" },
    twoWay: { actions: ["copy-within target s from t", "copy-within source t from s"] },
    oneWay: { actions: ["copy-within target s from t"] },
  },
];

const wantedConflicts = (e) => e.conflicts ?? [];

for (const row of TABLE) {
  for (const [label, r] of [
    ["", row],
    [" (mirrored)", mirrored(row)],
  ]) {
    test(`${r.name}${label}: two-way`, () => {
      const { planned, actions } = run(r, "two-way");
      assert.equal(actions.map(show), r.twoWay.actions);
      assert.equal(planned.conflicts.map((c) => c.path), wantedConflicts(r.twoWay));
    });
  }
  test(`${row.name}: one-way`, () => {
    const want = row.oneWay ?? row.twoWay;
    const { actions } = run(row, "one-way");
    assert.equal(actions.map(show), want.actions);
  });
}

test("a storage that can only move makes no copies within it; one that can do neither keeps every copy", () => {
  const row = TABLE.find((r) => r.name.startsWith("a renamed file with a second copy"));
  assert.equal(run(row, "two-way", { source: { move: true, copy: false }, target: { move: true, copy: false } }).actions.map(show), ["move target y from x", "copy target z"]);
  assert.equal(run(row, "two-way", { source: { move: false, copy: false }, target: { move: false, copy: false } }).actions.map(show), ["delete target x", "copy target y", "copy target z"]);
});

test("a file whose sha256 is not known is transferred as planned", () => {
  const row = TABLE[1];
  const base = { synced: new Map([["x", record("x", "file:CCC")]]), openConflicts: new Map() };
  const source = { entries: listing({ y: "file:CCC" }), unknown: new Set(), shallow: new Set() };
  const target = { entries: listing({ x: "file:CCC" }), unknown: new Set(), shallow: new Set() };
  delete source.entries.get("y").hash;
  const planned = plan(base, source, target, { direction: "two-way" });
  assert.equal(findMoves(planned.actions, { source: source.entries, target: target.entries }).map(show), ["delete target x", "copy target y"], row.name);
});

test("findMoves leaves its inputs as they were", () => {
  const row = TABLE[0];
  const { planned } = run(row, "two-way");
  const before = JSON.stringify(planned.actions);
  findMoves(planned.actions, { source: listing(row.source), target: listing(row.target) });
  assert.is(JSON.stringify(planned.actions), before);
});

test.run();
