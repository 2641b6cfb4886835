// Whole passes in chunks (packages/core/src/engine/chunked-pass.ts), end to end through the built
// `wl`, with chunks cut tiny (WLSYNC_CHUNK_ENTRIES=2) so that small trees exercise what only
// large ones meet by default: folders split into chunks of their children and planned as shallow
// parents, a split folder deleted on one side (settled after its content), paths only the base
// knows, nested ignore files in a split folder, and the gates weighing the whole pass.
// The shared scenario and model suites run every whole pass through chunks of the default size.
import { existsSync, rmSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { assertSameTree, localConfig, snapshot, wl, workspace } from "./helpers/wl.mjs";

const test = suite("chunked passes (WLSYNC_CHUNK_ENTRIES=2)");
let ws;
const sync = (...args) => wl(ws.dir, ["container", "sync", "--one-shot", "box", ...args], { env: { WLSYNC_CHUNK_ENTRIES: "2" } });
const expectCode = (r, code) => assert.is(r.code, code, `wl exited ${r.code}, expected ${code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);

test.before.each(() => {
  ws = workspace("wl-chunks-");
  localConfig(ws.dir);
});
test.after.each(() => ws.cleanup());

/** 3 top folders x 3 sub-folders x 3 files, on `side`. */
function tree(side) {
  for (const x of ["p", "q", "r"]) for (const y of ["1", "2", "3"]) for (const z of ["a", "b", "c"]) ws.write(`${side}/${x}/${y}/${z}.txt`, `${x}${y}${z}`);
}

test("a tree larger than a chunk: copied whole both ways, then a pass with nothing to do", async () => {
  tree("a");
  ws.write("b/only-b/deep/file.txt", "from b");
  let r = await sync();
  expectCode(r, 0);
  assert.match(r.stdout, /copy a → b: 27 files.*b → a: 1 file/);
  assertSameTree(ws.path("a"), ws.path("b"));
  r = await sync();
  expectCode(r, 0);
  assert.match(r.stdout, /copy a → b: 0 files, 0 B; b → a: 0 files, 0 B; conflicts: 0/);
});

test("a split folder deleted on one side goes in one pass, content and folder (settled after its content)", async () => {
  tree("a");
  expectCode(await sync(), 0);
  rmSync(ws.path("b/q"), { recursive: true });
  const r = await sync("--force"); // 9 of 27 files: a third, under the default gate anyway
  expectCode(r, 0);
  assert.not.ok(existsSync(ws.path("a/q")), "a/q is gone after one pass");
  assertSameTree(ws.path("a"), ws.path("b"));
  expectCode(await sync(), 0);
});

test("paths gone from both sides are forgotten: written again on one side later, they are copied, not a conflict", async () => {
  tree("a");
  expectCode(await sync(), 0);
  for (const side of ["a", "b"]) rmSync(ws.path(`${side}/r/2`), { recursive: true });
  expectCode(await sync(), 0);
  ws.write("b/r/2/a.txt", "new");
  const r = await sync();
  expectCode(r, 0);
  assert.is(ws.read("a/r/2/a.txt"), "new");
  assertSameTree(ws.path("a"), ws.path("b"));
});

test("a nested .wlsyncignore in a split folder applies to all its chunks, on both sides", async () => {
  tree("a");
  ws.write("a/p/.wlsyncignore", "*.tmp\n");
  for (const y of ["1", "2", "3"]) ws.write(`a/p/${y}/junk.tmp`, "junk");
  ws.write("a/q/keep.tmp", "not below p");
  const r = await sync();
  expectCode(r, 0);
  for (const y of ["1", "2", "3"]) assert.not.ok(existsSync(ws.path(`b/p/${y}/junk.tmp`)), `p/${y}/junk.tmp is ignored`);
  assert.is(ws.read("b/q/keep.tmp"), "not below p");
  assert.is(ws.read("b/p/1/a.txt"), "p1a");
});

test("the max-delete gate weighs the whole pass before any chunk changes anything", async () => {
  tree("a");
  expectCode(await sync(), 0);
  for (const x of ["p", "q"]) rmSync(ws.path(`b/${x}`), { recursive: true }); // 18 of 27 files
  ws.write("a/new.txt", "a change that must wait as well");
  const before = snapshot(ws.path("a"));
  const r = await sync();
  expectCode(r, 3);
  assert.match(r.stderr, /would delete 18 of the 28 files on a \(more than max-delete 50%\); nothing was changed/);
  assert.equal(snapshot(ws.path("a")), before, "a untouched");
  assert.not.ok(existsSync(ws.path("b/new.txt")), "nothing copied either");
});

test.run();
