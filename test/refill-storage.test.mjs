// A storage that comes back empty or replaced (a new backup disk, a folder emptied by hand, another
// disk at its path, the other side emptied instead) can be refilled from the other side with
// `--accept-storage ID`: a first meeting that deletes nothing anywhere. The emptied-storage refusal
// names that safe way before --force. A dry run shows the pass that would really run: the same
// gates (same refusal, exit 3) and --accept-storage / --force applied. End to end through the
// built `wl` on real folders, files checked byte for byte.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { assertSameTree, localConfig, snapshot, wl, workspace } from "./helpers/wl.mjs";

const test = suite("refill an emptied or replaced storage");
let ws;
let syncer = "naive";
const sync = (...args) => wl(ws.dir, ["container", "sync", "box", "--syncer", syncer, ...(args.includes("--dry-run") ? [] : ["--one-shot"]), ...args]);
const show = (r) => `exit ${r.code}\nstdout: ${r.stdout.slice(0, 1500)}\nstderr: ${r.stderr}`;
/** Every file and folder below a root (wl's own .wlsync/ aside), with its bytes, as one comparable string. */
const frozen = (root) => [...snapshot(root)].map(([p, e]) => `${p}:${e.kind}:${e.bytes?.toString("hex") ?? ""}`).join("\n");
const FILES = { "f0.txt": "zero", "f1.txt": "one", "f2.txt": "two", "photos/p.jpg": "\u00ff\u00d8 jpeg bytes", "docs/deep/notes.md": "# notes\n" };

test.before.each(() => {
  ws = workspace("wl-refill-");
  localConfig(ws.dir, { storages: ["one", "two"] });
  for (const [p, content] of Object.entries(FILES)) ws.write(`one/${p}`, content);
});
test.after.each(() => {
  ws.cleanup();
  syncer = "naive";
});

/** The first pass (both sides equal), then `side` emptied: all of it (`marker: false`) or all but wl's .wlsync/ folder. */
async function syncThenEmpty(side, { marker }) {
  const first = await sync();
  assert.is(first.code, 0, show(first));
  assertSameTree(ws.path("one"), ws.path("two"));
  if (marker) {
    for (const name of readdirSync(ws.path(side))) if (name !== ".wlsync") rmSync(ws.path(side, name), { recursive: true });
  } else {
    rmSync(ws.path(side), { recursive: true });
    mkdirSync(ws.path(side));
  }
  assert.is(snapshot(ws.path(side)).size, 0);
}

/** The refusal of an emptied storage: exit 3, the safe advice (--accept-storage) named before --force, nothing changed. */
function assertRefused(r, emptied, other, before) {
  assert.is(r.code, 3, show(r));
  assert.match(r.stderr, new RegExp(`storage ${emptied} is empty, but 5 files were synced with it`), show(r));
  const accept = r.stderr.indexOf(`--accept-storage ${emptied} to refill it from ${other}`);
  assert.ok(accept > 0, `the refusal names --accept-storage ${emptied} to refill it from ${other}\n${r.stderr}`);
  assert.ok(r.stderr.indexOf("--force") > accept, `--force comes after the safe way\n${r.stderr}`);
  assert.is(frozen(ws.path(other)), before, `nothing changed on ${other}`);
  assert.is(snapshot(ws.path(emptied)).size, 0, `nothing written into ${emptied}`);
}

for (const [marker, via] of [[false, "naive"], [true, "naive"], [false, "rsync"]]) {
  const how = marker ? "emptied but its .wlsync/ marker kept" : "rm -rf and mkdir (marker gone)";
  test(`a new empty backup disk (two ${how}; ${via} syncer): refused with the safe advice, the dry run says the same, --accept-storage two refills it from one and deletes nothing`, async () => {
    syncer = via;
    await syncThenEmpty("two", { marker });
    const before = frozen(ws.path("one"));
    assertRefused(await sync(), "two", "one", before);
    // The dry run stops where the real pass stops, with the same message and exit code.
    const dry = await sync("--dry-run");
    assertRefused(dry, "two", "one", before);
    // A scan for conflicts is not a pass: the gates do not stop it.
    const scan = await wl(ws.dir, ["container", "list-conflicts", "box", "--force-scan"]);
    assert.is(scan.code, 0, show(scan));
    assert.not.match(dry.stdout, /delete on one/, show(dry));
    // With --accept-storage, the dry run shows the first meeting: copies to two, no deletion.
    const dryAccept = await sync("--dry-run", "--accept-storage", "two");
    assert.is(dryAccept.code, 0, show(dryAccept));
    assert.match(dryAccept.stdout, /would copy one → two: 5 files/, show(dryAccept));
    assert.not.match(dryAccept.stdout, /delete on/, show(dryAccept));
    assert.match(dryAccept.stderr, /two: accepted \(--accept-storage\); the pass would compare the two sides as at a first meeting/, show(dryAccept));
    assert.is(frozen(ws.path("one")), before);
    assert.is(snapshot(ws.path("two")).size, 0, "a dry run writes nothing");
    const accepted = await sync("--accept-storage", "two");
    assert.is(accepted.code, 0, show(accepted));
    assert.match(accepted.stdout, new RegExp(`copy one → two: 5 files.*\\[${via}, two-way`), show(accepted));
    assert.is(frozen(ws.path("one")), before, "the good copy is untouched");
    assertSameTree(ws.path("one"), ws.path("two"), "two refilled from one");
    // Afterwards the pair is an ordinary one again: a deletion on two propagates.
    const again = await sync();
    assert.is(again.code, 0, show(again));
    rmSync(ws.path("two/f0.txt"));
    assert.is((await sync()).code, 0);
    assert.not.ok(snapshot(ws.path("one")).has("f0.txt"), "a later deletion on two reaches one");
  });
}

test("the other side emptied instead (one, marker gone): --accept-storage one refills it from two", async () => {
  await syncThenEmpty("one", { marker: false });
  const before = frozen(ws.path("two"));
  assertRefused(await sync(), "one", "two", before);
  assertRefused(await sync("--dry-run"), "one", "two", before);
  const accepted = await sync("--accept-storage", "one");
  assert.is(accepted.code, 0, show(accepted));
  assert.is(frozen(ws.path("two")), before);
  assertSameTree(ws.path("one"), ws.path("two"), "one refilled from two");
});

test("another disk with other content at two's path: refused; accepted, a first meeting: nothing deleted, files that differ are conflicts", async () => {
  const first = await sync();
  assert.is(first.code, 0, show(first));
  rmSync(ws.path("two"), { recursive: true });
  ws.write("two/f1.txt", "another disk's f1"); // the same name, other content
  ws.write("two/only-here.txt", "a file only the other disk has");
  const before = { one: frozen(ws.path("one")), two: frozen(ws.path("two")) };
  for (const args of [[], ["--dry-run"]]) {
    const r = await sync(...args);
    assert.is(r.code, 3, show(r));
    assert.match(r.stderr, /storage two .* has no identity marker.*--accept-storage two/s, show(r));
    assert.is(frozen(ws.path("one")), before.one);
    assert.is(frozen(ws.path("two")), before.two);
  }
  // The dry run applies --accept-storage and --conflict-resolve as the real pass would.
  const dry = await sync("--dry-run", "--accept-storage", "two", "--conflict-resolve", "one");
  assert.is(dry.code, 0, show(dry));
  assert.match(dry.stdout, /would resolve f1\.txt: keep one/, show(dry));
  assert.match(dry.stdout, /would copy one → two: 5 files.*two → one: 1 file.*would resolve: 1/, show(dry));
  assert.not.match(dry.stdout, /delete on/, show(dry));
  assert.is(frozen(ws.path("one")), before.one);
  assert.is(frozen(ws.path("two")), before.two);
  const accepted = await sync("--accept-storage", "two");
  assert.is(accepted.code, 1, `a conflict is left: ${show(accepted)}`);
  assert.match(accepted.stdout + accepted.stderr, /f1\.txt/, show(accepted));
  assert.is(ws.read("one/f1.txt"), "one", "the conflicting file is untouched on one");
  assert.is(ws.read("two/f1.txt"), "another disk's f1", "and on two");
  for (const p of ["f0.txt", "f2.txt", "photos/p.jpg", "docs/deep/notes.md"]) assert.is(ws.read(`two/${p}`), FILES[p], `${p} copied to two`);
  assert.is(ws.read("one/only-here.txt"), "a file only the other disk has", "nothing deleted: the other disk's own file reaches one");
});

test("one-way with a target emptied by hand (marker kept): not a silent success: a warning names --accept-storage, which refills it", async () => {
  await syncThenEmpty("two", { marker: true });
  const before = frozen(ws.path("one"));
  for (const args of [["--unidirectional"], ["--unidirectional", "--dry-run"]]) {
    const r = await sync(...args);
    assert.is(r.code, 0, show(r));
    assert.match(r.stderr, /storage two is empty, but 5 files were synced with it at the last pass: a one-way pass leaves the target's deletions there.*--accept-storage two to refill it from one/s, show(r));
    assert.is(frozen(ws.path("one")), before, "a one-way pass never deletes on its source");
    assert.is(snapshot(ws.path("two")).size, 0, "one-way: the target's deletions are its own and stay");
  }
  const accepted = await sync("--unidirectional", "--accept-storage", "two");
  assert.is(accepted.code, 0, show(accepted));
  assertSameTree(ws.path("one"), ws.path("two"), "two refilled from one");
  const after = await sync("--unidirectional");
  assert.is(after.code, 0, show(after));
  assert.not.match(after.stderr, /is empty/, "no warning once it is refilled");
});

test("one-way with a new empty disk as the target (marker gone): refused with the advice, dry run too; --force leaves it empty; --accept-storage refills it", async () => {
  await syncThenEmpty("two", { marker: false });
  const before = frozen(ws.path("one"));
  for (const args of [["--unidirectional"], ["--unidirectional", "--dry-run"]]) {
    const r = await sync(...args);
    assert.is(r.code, 3, show(r));
    assert.match(r.stderr, /storage two is empty.*--accept-storage two to refill it from one.*--force lets the pass leave it as it is \(a one-way pass never deletes on one\)/s, show(r));
    assert.is(frozen(ws.path("one")), before);
    assert.is(snapshot(ws.path("two")).size, 0);
  }
  const forced = await sync("--unidirectional", "--force");
  assert.is(forced.code, 0, show(forced));
  assert.is(snapshot(ws.path("two")).size, 0, "--force: the target stays as it is");
  assert.is(frozen(ws.path("one")), before, "and nothing is deleted on the source");
  const accepted = await sync("--unidirectional", "--accept-storage", "two");
  assert.is(accepted.code, 0, show(accepted));
  assertSameTree(ws.path("one"), ws.path("two"), "two refilled from one");
});

test("one-way with the source emptied: refused; the advice says a one-way pass copies nothing back; nothing deleted on the target", async () => {
  await syncThenEmpty("one", { marker: true });
  const before = frozen(ws.path("two"));
  for (const args of [["--unidirectional"], ["--unidirectional", "--dry-run"]]) {
    const r = await sync(...args);
    assert.is(r.code, 3, show(r));
    assert.match(r.stderr, /storage one is empty.*--accept-storage one: nothing is deleted on two \(a one-way pass copies nothing back/s, show(r));
    assert.is(frozen(ws.path("two")), before);
  }
  const accepted = await sync("--unidirectional", "--accept-storage", "one");
  assert.is(accepted.code, 0, show(accepted));
  assert.is(frozen(ws.path("two")), before, "nothing deleted on two");
  assert.is(snapshot(ws.path("one")).size, 0, "one-way: nothing copied back to the source");
});

test("a dry run stops at the max-delete gate as the real pass does (exit 3, same message); with --force it shows the deletions", async () => {
  for (let i = 3; i < 12; i++) ws.write(`one/f${i}.txt`, `f${i}`);
  assert.is((await sync()).code, 0);
  for (let i = 0; i < 8; i++) rmSync(ws.path(`one/f${i}.txt`));
  const before = frozen(ws.path("two"));
  const real = await sync();
  const dry = await sync("--dry-run");
  assert.is(real.code, 3, show(real));
  assert.is(dry.code, 3, show(dry));
  assert.match(dry.stderr, /would delete 8 of the \d+ files on two \(more than max-delete 50%\); nothing was changed/, show(dry));
  assert.is(dry.stderr, real.stderr, "the dry run prints the real pass's refusal");
  const forced = await sync("--dry-run", "--force");
  assert.is(forced.code, 0, show(forced));
  assert.match(forced.stdout, /delete on two: f0\.txt/, show(forced));
  assert.is(frozen(ws.path("two")), before, "dry runs change nothing");
});

test.run();
