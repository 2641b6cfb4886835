// wl container check: two storages compared by sha256, nothing changed; exit 0 identical, 1 not.
import { symlinkSync, utimesSync, statSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { localConfig, snapshot, wl, workspace } from "./helpers/wl.mjs";

const test = suite("wl container check");
let ws;
test.before.each(() => {
  ws = workspace("wl-check-");
  localConfig(ws.dir, { storages: ["a", "b", "c"] });
});
test.after.each(() => ws.cleanup());

const check = (...args) => wl(ws.dir, ["container", "check", ...args, "box"]);

test("identical storages: exit 0; each kind of difference is listed, and nothing is changed", async () => {
  for (const side of ["a", "b"]) {
    ws.write(`${side}/same.txt`, "same");
    ws.write(`${side}/photos/x.jpg`, "jpeg bytes");
  }
  let r = await check();
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^a ↔ b: 2 files \(14 B\) compared; identical$/m);
  ws.write("a/photos/x.jpg", "JPEG BYTES"); // same size, other bytes: only sha256 tells
  const mtime = statSync(ws.path("b/photos/x.jpg")).mtime;
  utimesSync(ws.path("a/photos/x.jpg"), mtime, mtime); // and the same mtime
  ws.write("a/only-a.txt", "a");
  ws.write("b/only-b/deep.txt", "b");
  ws.write("b/same.txt", "longer on b");
  ws.write("a/thing", "a file");
  ws.write("b/thing/inside.txt", "a folder on b");
  symlinkSync("same.txt", ws.path("a/link"));
  symlinkSync("only-a.txt", ws.path("b/link"));
  const before = { a: snapshot(ws.path("a")), b: snapshot(ws.path("b")) };
  r = await check();
  assert.is(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.ok(lines.some((l) => /^differs: photos\/x\.jpg \(sha256 [0-9a-f]{12}… vs [0-9a-f]{12}…\)$/.test(l)), r.stdout);
  for (const line of ["only on a: only-a.txt", "only on b: only-b", "only on b: only-b/deep.txt", "differs: same.txt (4 vs 11 bytes)", "file vs folder: thing", "links differ: link (same.txt vs only-a.txt)"])
    assert.ok(lines.includes(line), `missing "${line}" in\n${r.stdout}`);
  assert.equal(snapshot(ws.path("a")), before.a, "a unchanged");
  assert.equal(snapshot(ws.path("b")), before.b, "b unchanged");
  const json = JSON.parse((await check("--json")).stdout);
  assert.ok(json.differences.some((d) => d.path === "photos/x.jpg" && d.kind === "content"));
});

test("ignore files and --exclude apply; --all checks the first storage against each other; --target-storage picks one", async () => {
  ws.write("a/keep.txt", "k");
  ws.write("b/keep.txt", "k");
  ws.write("c/keep.txt", "k");
  ws.write("a/.wlsyncignore", "*.log\n");
  ws.write("b/.wlsyncignore", "*.log\n");
  ws.write("c/.wlsyncignore", "*.log\n");
  ws.write("a/debug.log", "only on a but ignored");
  ws.write("b/scratch/tmp.bin", "only on b");
  let r = await check("--target-storage", "b");
  assert.is(r.code, 1);
  assert.match(r.stdout, /only on b: scratch\/tmp\.bin/);
  assert.not.match(r.stdout, /debug\.log/);
  r = await check("--target-storage", "b", "--exclude", "scratch/");
  assert.is(r.code, 0, r.stdout);
  r = await check("--all", "--exclude", "scratch/");
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, /^a ↔ b: .*identical$/m);
  assert.match(r.stdout, /^a ↔ c: .*identical$/m);
});

test.run();
