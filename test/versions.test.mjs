// Versions: what a pass replaces or deletes is kept (local: renamed into <root>/.wlsync/versions/,
// S3: copied server-side under the .wlsync/versions/ prefix), pruned by age and count, listed and
// restored through `wl`; the move into the store keeps compare-and-swap.
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LocalBackend } from "@wlsync/backend-local";
import { startS3 } from "./helpers/s3-server.mjs";
import { assertSameTree, snapshot, wl, workspace } from "./helpers/wl.mjs";

/** Resolves with the error `fn` rejects with; fails when it resolves. */
async function rejection(fn) {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

const sha256 = (data) => createHash("sha256").update(data).digest("hex");
const stamp = (ms) => new Date(ms).toISOString().replace(/[-:]/g, "");

/** A workspace with local storages a and b in container box; `container` and `storageB` add config. */
function setup({ container = {}, storageB = {} } = {}) {
  const ws = workspace("wl-versions-");
  for (const id of ["a", "b"]) mkdirSync(ws.path(id));
  const storages = [
    { "backend-id": "a", type: "local", path: "./a" },
    { "backend-id": "b", type: "local", path: "./b", ...storageB },
  ];
  writeFileSync(ws.path(".wlsyncrc"), JSON.stringify({ containers: { box: { ...container, storages } } }));
  const run = (...args) => wl(ws.dir, args);
  const sync = async (...args) => {
    const r = await run("container", "sync", "--one-shot", "box", ...args);
    assert.is(r.code, 0, `sync ${args.join(" ")}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  return { ws, run, sync };
}

/** The versions store of a local storage: version name → content. */
function store(root) {
  const dir = join(root, ".wlsync", "versions");
  const out = new Map();
  if (!existsSync(dir)) return out;
  for (const [p, e] of snapshot(dir, { tool: true })) if (e.kind === "file") out.set(p, e.bytes.toString());
  return out;
}

const test = suite("versions");
let server;
test.before(async () => {
  server = await startS3();
});
test.after(async () => {
  await server?.stop();
});

for (const syncer of ["naive", "rsync"]) {
  test(`${syncer}: a replaced and a deleted file are kept in .wlsync/versions (a rename: same inode), listed, and never synced`, async () => {
    const { ws, run, sync } = setup();
    try {
      ws.write("a/x.txt", "x version 1");
      ws.write("a/y.txt", "y only version");
      ws.write("a/sub/z.txt", "z below a folder");
      await sync("--syncer", syncer);
      const inode = lstatSync(ws.path("b/x.txt")).ino;
      ws.write("a/x.txt", "x version 2, longer");
      rmSync(ws.path("a/y.txt"));
      rmSync(ws.path("a/sub"), { recursive: true });
      const started = Date.now();
      await sync("--syncer", syncer);
      assertSameTree(ws.path("a"), ws.path("b"));
      const kept = store(ws.path("b"));
      assert.equal([...kept.keys()].map((k) => k.replace(/~\d{8}T\d{6}\.\d{3}Z$/, "~T")).sort(), ["sub/z.txt~T", "x.txt~T", "y.txt~T"]);
      assert.equal([...kept.values()].sort(), ["x version 1", "y only version", "z below a folder"]);
      const xName = [...kept.keys()].find((k) => k.startsWith("x.txt~"));
      const when = Date.parse(xName.slice(6).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})/, "$1-$2-$3T$4:$5:$6"));
      assert.ok(when >= started - 1000 && when <= Date.now() + 1000, `version time ${xName} is when the pass replaced it`);
      if (syncer === "naive") assert.is(lstatSync(ws.path("b/.wlsync/versions", xName)).ino, inode, "moved by rename, not copied");
      assert.is(store(ws.path("a")).size, 0, "a's own files were not replaced: it keeps no versions, and b's were not synced to it");
      const listed = await run("container", "versions", "box");
      assert.is(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /^b {2}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z +11 B {2}x\.txt$/m);
      assert.match(listed.stdout, /^b .* sub\/z\.txt$/m);
      const one = JSON.parse((await run("container", "versions", "box", "sub", "--json")).stdout);
      assert.equal(one.map((v) => [v.storage, v.path, v.size, v.kind]), [["b", "sub/z.txt", 16, "file"]]);
      // A pass with nothing to do: the store is not synced or taken for a change.
      const quiet = await sync("--syncer", syncer);
      assert.match(quiet.stdout, /copy a → b: 0 files.*b → a: 0 files.*conflicts: 0/);
    } finally {
      ws.cleanup();
    }
  });
}

test("pruned by passes: by age (container keep 1d) and by count (storage keep 2); keep off keeps nothing; a bad keep is a config error", async () => {
  const { ws, sync } = setup({ container: { versions: { keep: "1d" } }, storageB: {} });
  try {
    ws.write("a/f.txt", "f");
    await sync();
    const now = Date.now();
    ws.write(`b/.wlsync/versions/old/gone.txt~${stamp(now - 2 * 86_400_000)}`, "two days old");
    ws.write(`b/.wlsync/versions/fresh.txt~${stamp(now - 3_600_000)}`, "an hour old");
    ws.write(`a/.wlsync/versions/f.txt~${stamp(now - 25 * 3_600_000)}`, "25 hours old");
    await sync();
    assert.equal([...store(ws.path("b")).keys()], [`fresh.txt~${stamp(now - 3_600_000)}`]);
    assert.ok(!existsSync(ws.path("b/.wlsync/versions/old")), "a folder the pruning emptied is removed");
    assert.is(store(ws.path("a")).size, 0);
  } finally {
    ws.cleanup();
  }
  const counted = setup({ container: { versions: { keep: "1d" } }, storageB: { versions: { keep: 2 } } });
  try {
    counted.ws.write("a/p.txt", "p 0");
    await counted.sync();
    for (let i = 1; i <= 4; i++) {
      counted.ws.write("a/p.txt", `p ${i}${" ".repeat(i)}`);
      await counted.sync();
    }
    const kept = store(counted.ws.path("b"));
    assert.equal([...kept.values()].sort(), ["p 2  ", "p 3   "], "the storage's count (2) beats the container's age; the newest two stay");
  } finally {
    counted.ws.cleanup();
  }
  const off = setup({ storageB: { versions: { keep: "off" } } });
  try {
    off.ws.write("a/q.txt", "q 1");
    await off.sync();
    off.ws.write("a/q.txt", "q 2!");
    rmSync(off.ws.path("a/q.txt"));
    off.ws.write("a/r.txt", "r");
    await off.sync();
    off.ws.write("a/r.txt", "r 2");
    await off.sync();
    assert.is(readFileSync(off.ws.path("b/r.txt"), "utf8"), "r 2");
    assert.ok(!existsSync(off.ws.path("b/.wlsync/versions")), "keep: off keeps nothing");
    writeFileSync(off.ws.path(".wlsyncrc"), JSON.stringify({ containers: { box: { versions: { keep: "30 days" }, storages: [{ "backend-id": "a", type: "local", path: "./a" }] } } }));
    const bad = await off.run("container", "versions", "box");
    assert.is(bad.code, 3);
    assert.match(bad.stderr, /containers\.box\.versions\.keep/);
  } finally {
    off.ws.cleanup();
  }
});

test("restore: the newest version, one --version, --to another storage; what it replaces becomes a version; it syncs like any change", async () => {
  const { ws, run, sync } = setup();
  try {
    ws.write("a/x.txt", "v1");
    await sync();
    for (const v of ["v2 .", "v3 .."]) {
      ws.write("a/x.txt", v);
      await sync();
    }
    const listed = JSON.parse((await run("container", "versions", "box", "x.txt", "--json")).stdout);
    assert.equal(listed.map((v) => v.size), [2, 4]);
    const v1 = listed[0].time;
    let r = await run("container", "restore", "box", "x.txt", "--version", v1.slice(0, 21));
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`restored x\\.txt on b from the version of ${v1.replace(/\./g, "\\.")}`));
    assert.is(readFileSync(ws.path("b/x.txt"), "utf8"), "v1");
    assert.ok([...store(ws.path("b")).values()].includes("v3 .."), "the content it replaced is kept as a version");
    await sync();
    assert.is(readFileSync(ws.path("a/x.txt"), "utf8"), "v1", "a restore is a change the next pass syncs");
    r = await run("container", "restore", "box", "x.txt", "--version", listed[1].time, "--to", "a");
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /restored x\.txt on a from the version of .* \(kept on b\)/);
    assert.is(readFileSync(ws.path("a/x.txt"), "utf8"), "v2 .");
    r = await run("container", "restore", "box", "nope.txt");
    assert.is(r.code, 3);
    assert.match(r.stderr, /no versions of "nope\.txt" are kept on any storage of box/);
    r = await run("container", "restore", "box", "x.txt", "--version", "1999");
    assert.is(r.code, 3);
    assert.match(r.stderr, /no version of "x\.txt" matches --version 1999/);
    r = await run("container", "restore", "box", "x.txt", "--to", "nas");
    assert.is(r.code, 3);
    assert.match(r.stderr, /no storage with backend-id or type "nas"/);
  } finally {
    ws.cleanup();
  }
});

test("an rm -rf of 49% of the tree passes the gate and propagates, and comes back from versions; 51% still stops at the gate", async () => {
  const { ws, run, sync } = setup();
  try {
    const original = new Map();
    for (let d = 0; d < 10; d++) for (let i = 0; i < 10; i++) {
      const p = `d${d}/f${i}.bin`;
      const data = createHash("sha256").update(p).digest();
      original.set(p, data);
      ws.write(`a/${p}`, data);
    }
    await sync();
    for (let d = 0; d < 4; d++) rmSync(ws.path(`a/d${d}`), { recursive: true });
    for (let i = 0; i < 9; i++) rmSync(ws.path(`a/d4/f${i}.bin`));
    const pass = await sync();
    assert.match(pass.stdout, /delete on b: 49/);
    assert.is(readdirSync(ws.path("b/d4")).length, 1);
    const versions = JSON.parse((await run("container", "versions", "box", "--json")).stdout);
    assert.is(versions.length, 49);
    const r = await run("container", "restore", "box", ".");
    assert.is(r.code, 0, r.stderr);
    assert.is((r.stdout.match(/^restored /gm) ?? []).length, 49);
    await sync();
    for (const side of ["a", "b"]) {
      const tree = snapshot(ws.path(side));
      for (const [p, data] of original) assert.ok(tree.get(p)?.bytes.equals(data), `${side}/${p} is back, byte for byte`);
    }
    for (let d = 0; d < 5; d++) rmSync(ws.path(`a/d${d}`), { recursive: true });
    rmSync(ws.path("a/d5/f0.bin"));
    const gate = await run("container", "sync", "--one-shot", "box");
    assert.is(gate.code, 3);
    assert.match(gate.stderr, /would delete 51 of the 100 files on b/);
  } finally {
    ws.cleanup();
  }
});

test("S3: replaced and deleted objects are copied server-side under .wlsync/versions/, hidden from scans, listed and restored", async () => {
  const ws = workspace("wl-versions-s3-");
  const prefix = server.prefix("versions");
  try {
    mkdirSync(ws.path("local"));
    writeFileSync(ws.path(".wlsyncrc"), JSON.stringify({ containers: { box: { storages: [{ "backend-id": "laptop", type: "local", path: "./local" }, server.storage(prefix)] } } }));
    const run = (...args) => wl(ws.dir, args, { env: server.env });
    ws.write("local/x.txt", "x one");
    ws.write("local/dir/y.txt", "y one");
    assert.is((await run("container", "sync", "--one-shot", "box")).code, 0);
    ws.write("local/x.txt", "x two, longer");
    rmSync(ws.path("local/dir/y.txt"));
    const pass = await run("container", "sync", "--one-shot", "box");
    assert.is(pass.code, 0, pass.stderr);
    const keys = await server.keys(`${prefix}.wlsync/versions/`);
    assert.equal(keys.map((k) => k.replace(/~\d{8}T\d{6}\.\d{3}Z$/, "~T")), ["dir/y.txt~T", "x.txt~T"]);
    assert.is((await server.get(`${prefix}.wlsync/versions/${keys[1]}`)).toString(), "x one");
    const head = await server.head(`${prefix}.wlsync/versions/${keys[1]}`);
    assert.is(head.Metadata?.sha256, sha256("x one"), "the sha256 metadata is copied with it");
    const listed = JSON.parse((await run("container", "versions", "box", "--json")).stdout);
    assert.equal(listed.map((v) => [v.storage, v.path, v.size]), [["cloud", "dir/y.txt", 5], ["cloud", "x.txt", 5]]);
    const r = await run("container", "restore", "box", "dir/y.txt");
    assert.is(r.code, 0, r.stderr);
    assert.is((await server.get(`${prefix}dir/y.txt`)).toString(), "y one");
    const again = await run("container", "sync", "--one-shot", "box");
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stdout, /cloud → laptop: 1 file/);
    assert.is(readFileSync(ws.path("local/dir/y.txt"), "utf8"), "y one");
    assert.ok(!existsSync(ws.path("local/.wlsync/versions")), "the versions prefix is never synced");
  } finally {
    ws.cleanup();
  }
});

test("the move into versions is compare-and-swap: a file written after the check is put back, never versioned and replaced", async () => {
  const ws = workspace("wl-versions-cas-");
  try {
    ws.write("s/f.txt", "planned");
    ws.write("s/g.txt", "planned g");
    const cache = new Map();
    const hashCache = { get: (s, p, t) => (cache.get(`${s}\0${p}`)?.token === t ? cache.get(`${s}\0${p}`).hash : undefined), put: (s, p, token, hash) => cache.set(`${s}\0${p}`, { token, hash }), forget: () => {} };
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    /** A user's write lands right after the backend's last check (the window before the rename). */
    class Racing extends LocalBackend {
      async assertExpected(path, expected) {
        const checked = await super.assertExpected(path, expected);
        if (expected.kind === "file") appendFileSync(join(this.root, path), " + a write after the check");
        return checked;
      }
    }
    const backend = new Racing({ params: { "backend-id": "s", type: "local", path: ws.path("s") }, configDir: ws.dir, hashCache, logger });
    assert.is((await rejection(() => backend.remove("f.txt", { kind: "file", hash: sha256("planned") }))).code, "E_CAS");
    assert.is(readFileSync(ws.path("s/f.txt"), "utf8"), "planned + a write after the check");
    assert.is((await rejection(() => backend.replaceWhole("g.txt", { kind: "file", hash: sha256("planned g") }, Buffer.from("new"), sha256("new")))).code, "E_CAS");
    assert.is(readFileSync(ws.path("s/g.txt"), "utf8"), "planned g + a write after the check");
    assert.equal([...store(ws.path("s")).keys()], [], "nothing was kept as a version: nothing was replaced");
    const plain = new LocalBackend({ params: { "backend-id": "s", type: "local", path: ws.path("s") }, configDir: ws.dir, hashCache, logger });
    await plain.remove("f.txt", { kind: "file", hash: sha256("planned + a write after the check") });
    assert.ok(!existsSync(ws.path("s/f.txt")));
    assert.equal([...store(ws.path("s")).values()], ["planned + a write after the check"]);
  } finally {
    ws.cleanup();
  }
});

test.run();
