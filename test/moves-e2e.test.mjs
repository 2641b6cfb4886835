// Renames and copies that move nothing, end to end through the built `wl` on real folders: a
// folder renamed on one side is renamed on the other (0 bytes of content transferred, the same
// inodes, the files byte for byte), with both syncers, both directions and one-way; duplicates;
// a rename on one side with an edit on the other; a move onto a taken name. Then, through the
// engine's API on real disks, the compare-and-swap at apply time: the moved-from file edited, or
// the new name taken, between plan and apply: transferred instead, nothing lost.
// (The matching itself is tested from a table in moves.test.mjs; S3 and sftp in their suites.)
import { lstatSync, readFileSync, renameSync, writeFileSync, copyFileSync, existsSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { assertSameTree, bytes, localConfig, waitFor, wl, workspace } from "./helpers/wl.mjs";
import { enginePair } from "./helpers/engine.mjs";
import { PathFilter, startContinuous } from "./helpers/core-internals.mjs";

const test = suite("moves");
let ws;
test.before.each(() => {
  ws = workspace("wl-moves-");
  localConfig(ws.dir);
});
test.after.each(() => ws.cleanup());

const MB = 1 << 20;

/** One pass with --json; resolves with the parsed result (and the exit code). */
async function sync(args = [], expectCode = 0) {
  const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--json", ...args]);
  assert.is(r.code, expectCode, `wl exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A folder of a few MB: 4 files of 1 MiB, a nested one, and a small one. */
function writeFolder(side, folder) {
  for (let i = 0; i < 4; i++) ws.write(`${side}/${folder}/f${i}.bin`, bytes(MB));
  ws.write(`${side}/${folder}/deep/er/g.bin`, bytes(512 * 1024));
  ws.write(`${side}/${folder}/note.txt`, "a small file\n");
}

const inode = (rel) => lstatSync(ws.path(rel)).ino;

for (const syncer of ["naive", "rsync"]) {
  test(`[${syncer}] a folder renamed on the source is renamed on the target: 0 content bytes transferred, same inodes, same bytes`, async () => {
    writeFolder("a", "photos");
    await sync(["--syncer", syncer]);
    const before = inode("b/photos/f0.bin");
    renameSync(ws.path("a/photos"), ws.path("a/pictures"));
    const r = await sync(["--syncer", syncer]);
    assert.is(r.counters.contentBytes, 0, "no content transferred");
    assert.is(r.counters.bytesToTarget, 0);
    assert.is(r.counters.moved, 6, "every file under the folder moved");
    assert.ok(r.counters.bytesReused >= 4 * MB);
    assert.is(inode("b/pictures/f0.bin"), before, "the very file was renamed");
    assert.not.ok(existsSync(ws.path("b/photos")), "the old folder is gone");
    assertSameTree(ws.path("a"), ws.path("b"));
    const again = await sync(["--syncer", syncer]);
    assert.is(again.counters.contentBytes + again.counters.moved + again.counters.deletedOnTarget + again.counters.deletedOnSource, 0, "the next pass has nothing to do");
  });
}

test("a folder renamed on the target comes back to the source two-way, moved there", async () => {
  writeFolder("a", "docs");
  await sync();
  renameSync(ws.path("b/docs"), ws.path("b/papers"));
  const r = await sync();
  assert.is(r.counters.contentBytes, 0);
  assert.is(r.counters.moved, 6);
  assert.ok(existsSync(ws.path("a/papers/f3.bin")));
  assertSameTree(ws.path("a"), ws.path("b"));
});

test("one-way: a source rename is moved on the target; a target rename stays where it is", async () => {
  writeFolder("a", "one");
  await sync(["--unidirectional"]);
  renameSync(ws.path("a/one"), ws.path("a/two"));
  const r = await sync(["--unidirectional"]);
  assert.is(r.counters.contentBytes, 0);
  assert.is(r.counters.moved, 6);
  assertSameTree(ws.path("a"), ws.path("b"));
  renameSync(ws.path("b/two/note.txt"), ws.path("b/two/renamed.txt"));
  const back = await sync(["--unidirectional"]);
  assert.is(back.counters.moved + back.counters.copiedToSource + back.counters.copiedToTarget, 0, "one-way leaves target changes alone");
  assert.ok(existsSync(ws.path("a/two/note.txt")));
});

test("a renamed file with a second copy: one move and one copy within the target, nothing transferred", async () => {
  const data = bytes(2 * MB);
  ws.write("a/x.bin", data);
  await sync();
  renameSync(ws.path("a/x.bin"), ws.path("a/y.bin"));
  copyFileSync(ws.path("a/y.bin"), ws.path("a/z.bin"));
  const r = await sync();
  assert.is(r.counters.contentBytes, 0);
  assert.is(r.counters.moved, 1);
  assert.is(r.counters.copiedWithin, 1);
  assert.ok(readFileSync(ws.path("b/z.bin")).equals(data));
  assert.ok(readFileSync(ws.path("b/y.bin")).equals(data));
  assertSameTree(ws.path("a"), ws.path("b"));
});

test("renamed on the source, edited on the target: the edit stays (a conflict), the renamed file is there too", async () => {
  const data = bytes(MB);
  ws.write("a/x.bin", data);
  await sync();
  renameSync(ws.path("a/x.bin"), ws.path("a/y.bin"));
  const edit = bytes(MB);
  writeFileSync(ws.path("b/x.bin"), edit);
  const r = await sync([], 1);
  assert.equal(r.conflicts.map((c) => c.path), ["x.bin"]);
  assert.ok(readFileSync(ws.path("b/x.bin")).equals(edit), "the edit is never lost");
  assert.ok(readFileSync(ws.path("b/y.bin")).equals(data), "the renamed file arrived");
  assert.is(r.counters.moved, 0);
});

test("renamed onto a name that exists on the other side: the old content there is replaced (kept as a version), the old name deleted", async () => {
  const x = bytes(MB);
  const y = bytes(MB);
  ws.write("a/x.bin", x);
  ws.write("a/y.bin", y);
  await sync();
  renameSync(ws.path("a/x.bin"), ws.path("a/y.bin")); // replaces y
  const r = await sync();
  assert.is(r.conflicts.length, 0);
  assert.ok(readFileSync(ws.path("b/y.bin")).equals(x));
  assert.not.ok(existsSync(ws.path("b/x.bin")));
  assertSameTree(ws.path("a"), ws.path("b"));
  const versions = await wl(ws.dir, ["container", "versions", "box", "y.bin"]);
  assert.match(versions.stdout, /y\.bin/, "the replaced content is kept as a version");
});

// ---- compare-and-swap at apply time, through the engine on real disks ----------------------

/** One engine pass of `pair` (a → b), calling `beforeApply` when the engine starts applying. */
function passWith(pair, beforeApply) {
  const ctx = { container: "box", source: pair.a, target: pair.b, options: { unidirectional: false, dryRun: false, force: true, maxDelete: 100 }, filter: new PathFilter(), engine: pair.engine, continuous: startContinuous, logger: pair.logger };
  return pair.engine.run(ctx, {
    syncer: "naive",
    emit: (event) => {
      if (event.type === "state" && event.state === "applying") beforeApply();
    },
  });
}

test("the moved-from file edited between plan and apply: transferred instead, the edit is a conflict, never lost", async () => {
  const pair = enginePair(ws.dir);
  try {
    const data = bytes(MB);
    ws.write("a/x.bin", data);
    await pair.pass();
    renameSync(ws.path("a/x.bin"), ws.path("a/y.bin"));
    const edit = bytes(MB);
    const r = await passWith(pair, () => writeFileSync(ws.path("b/x.bin"), edit));
    assert.is(r.counters.moved, 0, "the move was refused");
    assert.is(r.counters.contentBytes, MB, "y.bin was transferred instead");
    assert.ok(readFileSync(ws.path("b/y.bin")).equals(data));
    assert.ok(readFileSync(ws.path("b/x.bin")).equals(edit), "the edit is kept");
    assert.ok(r.conflicts.some((c) => c.path === "x.bin" && c.reason === "changed-during-sync"));
  } finally {
    pair.close();
  }
});

test("the new name taken on the destination between plan and apply: nothing overwritten", async () => {
  const pair = enginePair(ws.dir);
  try {
    const data = bytes(MB);
    ws.write("a/x.bin", data);
    await pair.pass();
    renameSync(ws.path("a/x.bin"), ws.path("a/y.bin"));
    const theirs = bytes(1000);
    const r = await passWith(pair, () => writeFileSync(ws.path("b/y.bin"), theirs));
    assert.is(r.counters.moved, 0);
    assert.ok(readFileSync(ws.path("b/y.bin")).equals(theirs), "the file that appeared is not overwritten");
    assert.ok(r.conflicts.some((c) => c.path === "y.bin"));
    // x.bin's content is not lost: it is on the source (as y.bin), and kept as a version on b.
    assert.ok(readFileSync(ws.path("a/y.bin")).equals(data));
  } finally {
    pair.close();
  }
});

test("continuous: a folder renamed under a watching job (inotify, change-driven passes) is moved, nothing transferred", async () => {
  const pair = enginePair(ws.dir);
  const results = [];
  const ctx = { container: "box", source: pair.a, target: pair.b, options: { unidirectional: false, dryRun: false, force: false, maxDelete: 50 }, filter: new PathFilter(), engine: pair.engine, continuous: startContinuous, logger: pair.logger };
  const runner = startContinuous(ctx, { syncer: "naive", emit: () => {}, batchMs: 200, onPass: (r) => results.push(r) });
  try {
    writeFolder("a", "watched");
    await runner.start();
    const initial = results.length;
    renameSync(ws.path("a/watched"), ws.path("a/seen"));
    await waitFor(() => existsSync(ws.path("b/seen/deep/er/g.bin")) && !existsSync(ws.path("b/watched")), "the rename to arrive", 30_000);
    await waitFor(() => results.length > initial && runner.queued() === 0, "the pass to settle", 30_000);
    const after = results.slice(initial);
    assert.is(after.reduce((n, r) => n + r.counters.contentBytes, 0), 0, JSON.stringify(after.map((r) => r.counters)));
    assert.is(after.reduce((n, r) => n + r.counters.moved, 0), 6);
    assertSameTree(ws.path("a"), ws.path("b"));
  } finally {
    await runner.stop();
    pair.close();
  }
});

test.run();
