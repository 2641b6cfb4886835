// Ignore files as git users expect them: .wlsyncignore in any folder applies below it,
// .gitignore with ignore-gitignore: true, --exclude/--include per pass, and check-ignore
// naming the file and line that decided. Checked on the files that reach the other storage.
import { existsSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { localConfig, wl, workspace } from "./helpers/wl.mjs";

const test = suite("ignore files, --exclude/--include, check-ignore");
let ws;
test.before.each(() => {
  ws = workspace("wl-ignore-");
  ws.write("a/sub/secret.env", "TOKEN=1");
  ws.write("a/sub/ok.txt", "ok");
  ws.write("a/sub/.wlsyncignore", "# secrets stay here\n*.env\n!keep.env\n");
  ws.write("a/sub/deep/keep.env", "kept");
  ws.write("a/top.env", "not under sub: synced");
  ws.write("a/build/out.o", "object");
  ws.write("a/proj/build/x.o", "object");
  ws.write("a/.gitignore", "build/\n");
  ws.write("a/notes.txt", "notes");
});
test.after.each(() => ws.cleanup());

const inB = (p) => existsSync(ws.path("b", p));
const sync = (...args) => wl(ws.dir, ["container", "sync", "--one-shot", ...args, "box"]);

for (const syncer of ["naive", "rsync"]) {
  test(`${syncer}: a .wlsyncignore in a sub-folder applies below it, on both sides; .gitignore only when asked`, async () => {
    localConfig(ws.dir, { extra: { syncer } });
    ws.write("b/sub/secret.env", "the other side's secret"); // excluded on b too: never copied back, never deleted
    let r = await sync();
    assert.is(r.code, 0, r.stderr);
    assert.not.ok(inB("sub/secret.env") && ws.read("b/sub/secret.env") !== "the other side's secret", "b's own secret.env untouched");
    assert.is(ws.read("b/sub/secret.env"), "the other side's secret");
    assert.not.ok(existsSync(ws.path("a/sub/secret.env")) && ws.read("a/sub/secret.env") !== "TOKEN=1");
    assert.ok(inB("sub/ok.txt") && inB("sub/deep/keep.env") && inB("top.env") && inB("sub/.wlsyncignore"));
    assert.ok(inB("build/out.o"), ".gitignore is not read by default");
    // with ignore-gitignore: true, build/ folders (at any depth) stay out
    localConfig(ws.dir, { name: "box", storages: ["a", "c"], extra: { syncer, "ignore-gitignore": true } });
    r = await wl(ws.dir, ["container", "sync", "--one-shot", "box"]);
    assert.is(r.code, 0, r.stderr);
    assert.not.ok(existsSync(ws.path("c/build/out.o")));
    assert.not.ok(existsSync(ws.path("c/proj/build/x.o")));
    assert.not.ok(existsSync(ws.path("c/sub/secret.env")));
    assert.ok(existsSync(ws.path("c/notes.txt")) && existsSync(ws.path("c/sub/deep/keep.env")));
  });
}

test("adding a sub-folder .wlsyncignore later stops syncing what it names, and deletes nothing", async () => {
  localConfig(ws.dir);
  ws.write("a/photos/cache/thumb.jpg", "t");
  assert.is((await sync()).code, 0);
  assert.ok(inB("photos/cache/thumb.jpg"));
  ws.write("a/photos/.wlsyncignore", "cache/\n");
  ws.write("a/photos/cache/new.jpg", "n");
  const r = await sync("-v");
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(inB("photos/cache/new.jpg"), "new file under the now-ignored folder stays on a");
  assert.ok(inB("photos/cache/thumb.jpg"), "what was synced before is left alone, not deleted");
  assert.ok(existsSync(ws.path("a/photos/cache/thumb.jpg")));
  assert.not.match(r.stdout, /^- /m);
});

test("--exclude and --include apply to one pass; --include beats ignore files; neither is allowed for continuous sync", async () => {
  localConfig(ws.dir, { container: { ignore: ["*.log"] } });
  ws.write("a/debug.log", "log");
  ws.write("a/keep.log", "log");
  let r = await sync("--exclude", "notes.txt", "--exclude", "top.env", "--include", "keep.log", "--include", "sub/secret.env");
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(inB("notes.txt") || inB("top.env") || inB("debug.log"));
  assert.ok(inB("keep.log"), "--include beats the config's ignore");
  assert.ok(inB("sub/secret.env"), "--include beats a sub-folder .wlsyncignore");
  r = await sync();
  assert.ok(inB("notes.txt"), "the next pass without --exclude syncs it");
  r = await wl(ws.dir, ["container", "sync", "box", "--exclude", "x"]);
  assert.is(r.code, 3);
  assert.match(r.stderr, /--exclude and --include apply to one pass/);
});

test("check-ignore names the ignore file and line (or the config, or the command line) that decided; exit 0 excluded, 1 not", async () => {
  localConfig(ws.dir, { container: { ignore: ["*.tmp"], "ignore-gitignore": true } });
  const check = (...args) => wl(ws.dir, ["container", "check-ignore", "box", ...args]);
  let r = await check("sub/secret.env", "sub/deep/keep.env", "proj/build/x.o", "x.tmp", "notes.txt");
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split("\n"), [
    "sub/secret.env: excluded by sub/.wlsyncignore:2: *.env",
    "sub/deep/keep.env: included by sub/.wlsyncignore:3: !keep.env",
    "proj/build/x.o: excluded by .gitignore:1: build/ (its folder proj/build/ is excluded)",
    "x.tmp: excluded by config ignore: *.tmp",
    "notes.txt: included (no rule matches)",
  ]);
  r = await check("notes.txt", "--exclude", "notes.*");
  assert.is(r.code, 0);
  assert.is(r.stdout.trim(), "notes.txt: excluded by --exclude: notes.*");
  r = await check("notes.txt", "sub/ok.txt");
  assert.is(r.code, 1, "nothing excluded");
  r = await check("sub/secret.env", "--json");
  assert.equal(JSON.parse(r.stdout)[0].rule, { origin: "sub/.wlsyncignore", pattern: "*.env", negative: false, line: 2 });
});

test.run();
