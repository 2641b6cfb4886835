// Conflict resolution through `wl`: every policy (a storage, newer, older, larger, smaller, both)
// on every conflict kind (both changed, modify-delete, file against folder, first meeting), with
// the naive and rsync syncers and with an S3 storage; the loser's content is kept as a version;
// a side changed since it was shown stays in conflict; the interactive resolver through a pty.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startS3 } from "./helpers/s3-server.mjs";
import { WL, collect, snapshot, wl, workspace } from "./helpers/wl.mjs";

const now = Date.now() / 1000;
const OLD = now - 1000;
const NEW = now - 100;

/** A local storage as the test sees it: files by path (wl's .wlsync/ left out), and its kept versions. */
function localSide(root) {
  return {
    async write(rel, data, mtime) {
      const p = join(root, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, data);
      if (mtime) utimesSync(p, mtime, mtime);
    },
    async remove(rel) {
      rmSync(join(root, rel), { recursive: true, force: true });
    },
    async files() {
      const out = new Map();
      for (const [p, e] of snapshot(root)) if (e.kind === "file") out.set(p, e.bytes.toString());
      return out;
    },
    async versions() {
      const dir = join(root, ".wlsync", "versions");
      if (!existsSync(dir)) return [];
      const out = [];
      for (const [p, e] of snapshot(dir, { tool: true })) if (e.kind === "file") out.push({ name: p, content: e.bytes.toString() });
      return out;
    },
  };
}

/** An S3 prefix as the test sees it (an object's time is when it was written: after the local side's). */
function s3Side(server, prefix) {
  return {
    async write(rel, data) {
      await server.put(prefix + rel, data);
    },
    async remove(rel) {
      const keys = (await server.keys(prefix)).filter((k) => k === rel || k.startsWith(`${rel}/`));
      if (keys.length) await server.remove(...keys.map((k) => prefix + k));
    },
    async files() {
      const out = new Map();
      for (const k of await server.keys(prefix)) {
        if (k.startsWith(".wlsync/") || k.endsWith("/")) continue;
        out.set(k, (await server.get(prefix + k)).toString());
      }
      return out;
    },
    async versions() {
      const out = [];
      for (const k of await server.keys(`${prefix}.wlsync/versions/`)) out.push({ name: k, content: (await server.get(`${prefix}.wlsync/versions/${k}`)).toString() });
      return out;
    },
  };
}

const A = { bc: "a: both changed, larger and older", md: "a: modified while b deleted it", fd: "F".repeat(100), fm: "a: first meeting, larger and older" };
const B = { bc: "b: newer", fd: "in", fm: "b: newer fm" };

/** Which side's content each path keeps, per policy (a is larger and older everywhere, b smaller and newer). */
const WINNER = {
  a: { bc: "a", md: "a", fd: "a", fm: "a" },
  b: { bc: "b", md: "b", fd: "b", fm: "b" },
  newer: { bc: "b", md: "a", fd: "b", fm: "b" },
  older: { bc: "a", md: "a", fd: "a", fm: "a" },
  larger: { bc: "a", md: "a", fd: "a", fm: "a" },
  smaller: { bc: "b", md: "a", fd: "b", fm: "b" },
  both: { bc: "b", md: "a", fd: "b", fm: "b" },
};

/** The files both storages must hold once `policy` settled the four conflicts. */
function expectedFiles(policy) {
  const w = WINNER[policy];
  const files = new Map();
  files.set("bc.txt", w.bc === "a" ? A.bc : B.bc);
  if (w.md === "a") files.set("md.txt", A.md);
  if (w.fd === "a") files.set("fd", A.fd);
  else files.set("fd/inner.txt", B.fd);
  files.set("fm.txt", w.fm === "a" ? A.fm : B.fm);
  return files;
}

/**
 * Makes the four conflicts between a (local) and b in each folder of `groups` ("" = at the root),
 * and returns the workspace and both sides.
 */
async function fourConflicts(name, { server, groups = [""] } = {}) {
  const ws = workspace("wl-resolve-");
  const prefix = server?.prefix(name);
  const bStorage = server ? { ...server.storage(prefix), "backend-id": "b" } : { "backend-id": "b", type: "local", path: "./b" };
  mkdirSync(ws.path("a"));
  if (!server) mkdirSync(ws.path("b"));
  writeFileSync(ws.path(".wlsyncrc"), JSON.stringify({ containers: { box: { storages: [{ "backend-id": "a", type: "local", path: "./a" }, bStorage] } } }));
  const env = server?.env ?? {};
  const run = (...args) => wl(ws.dir, args, { env });
  const a = localSide(ws.path("a"));
  const b = server ? s3Side(server, prefix) : localSide(ws.path("b"));
  const at = (group, rel) => (group ? `${group}/${rel}` : rel);
  for (const g of groups) {
    await a.write(at(g, "bc.txt"), "base bc", OLD - 100);
    await a.write(at(g, "md.txt"), "base md", OLD - 100);
  }
  const r = await run("container", "sync", "--one-shot", "box");
  assert.is(r.code, 0, r.stderr);
  for (const g of groups) {
    await a.write(at(g, "bc.txt"), A.bc, OLD);
    await b.write(at(g, "bc.txt"), B.bc, NEW);
    await a.write(at(g, "md.txt"), A.md, OLD);
    await b.remove(at(g, "md.txt"));
    await a.write(at(g, "fd"), A.fd, OLD);
    await b.write(at(g, "fd/inner.txt"), B.fd, NEW);
    await a.write(at(g, "fm.txt"), A.fm, OLD);
    await b.write(at(g, "fm.txt"), B.fm, NEW);
  }
  return { ws, a, b, run, env };
}

const test = suite("conflict resolution");
let server;
test.before(async () => {
  server = await startS3();
});
test.after(async () => {
  await server?.stop();
});

test("list-conflicts and the pass name each storage and show kind, size, time and hash per side, and the base", async () => {
  const { ws, run } = await fourConflicts("details");
  try {
    const pass = await run("container", "sync", "--one-shot", "box");
    assert.is(pass.code, 1);
    assert.match(pass.stderr, /conflict: bc\.txt: changed on both sides\n {4}a: file, 33 B, [0-9-]+ [0-9:]+Z, sha256 [0-9a-f]{12}\n {4}b: file, 8 B, .*\n {4}base: file, 7 B, sha256 [0-9a-f]{12}/);
    assert.match(pass.stderr, /md\.txt: changed on a, deleted on b\n {4}a: file, 30 B,.*\n {4}b: deleted/);
    assert.match(pass.stderr, /fd: a file on a, a folder on b\n {4}a: file, 100 B,.*\n {4}b: folder, 2 B in it/);
    assert.match(pass.stderr, /fm\.txt: different content on both sides at first meeting[\s\S]*base: none/);
    assert.not.match(pass.stderr, /the source|the target/);
    const listed = await run("container", "list-conflicts", "box", "--json");
    assert.is(listed.code, 1);
    const [pair] = JSON.parse(listed.stdout);
    const bc = pair.conflicts.find((c) => c.path === "bc.txt");
    assert.equal(bc.sides.map((s) => [s.storage, s.kind, s.size]), [["a", "file", A.bc.length], ["b", "file", B.bc.length]]);
    assert.ok(bc.sides.every((s) => /^[0-9a-f]{64}$/.test(s.hash) && !Number.isNaN(Date.parse(s.mtime))));
    assert.is(bc.base.kind, "file");
    assert.is(bc.base.size, 7);
    assert.is(pair.conflicts.find((c) => c.path === "fm.txt").base, null);
    assert.equal(pair.conflicts.find((c) => c.path === "md.txt").sides[1], { storage: "b", kind: "absent", size: 0 });
    const human = await run("container", "list-conflicts", "box");
    assert.match(human.stdout, / {6}b: file, 8 B, [0-9-]+ [0-9:]+Z, sha256 [0-9a-f]{12}/);
  } finally {
    ws.cleanup();
  }
});

/** The files below `group/` of a listing, relative to it. */
function within(files, group) {
  const out = new Map();
  for (const [p, c] of files) if (p.startsWith(`${group}/`)) out.set(p.slice(group.length + 1), c);
  return out;
}

/**
 * Every policy on the four conflicts, one folder per policy in one pair of storages: each policy
 * settles its own folder with `wl container resolve box POLICY --keep POLICY` (a pass of the pair
 * through `syncer`), then one more pass must find nothing to do.
 */
async function everyPolicy(syncer, { s3 = false } = {}) {
  const policies = Object.keys(WINNER);
  const { ws, a, b, run } = await fourConflicts(`every-${syncer}`, { server: s3 ? server : undefined, groups: policies });
  try {
    const first = await run("container", "sync", "--one-shot", "box", "--syncer", syncer);
    assert.is(first.code, 1, first.stderr);
    assert.match(first.stdout, new RegExp(`conflicts: ${4 * policies.length} `));
    for (const policy of policies) {
      const r = await run("container", "resolve", "box", policy, "--keep", policy, "--syncer", syncer);
      const left = 4 * (policies.length - policies.indexOf(policy) - 1);
      assert.is(r.code, left ? 1 : 0, `resolve ${policy}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      assert.is((r.stdout.match(/^resolved /gm) ?? []).length, 4, r.stdout);
    }
    const again = await run("container", "sync", "--one-shot", "box", "--syncer", syncer);
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stdout, /copy a → b: 0 files.*b → a: 0 files.*conflicts: 0/);
    const [allA, allB] = [await a.files(), await b.files()];
    const [va, vb] = [await a.versions(), await b.versions()];
    for (const policy of policies) {
      const [fa, fb] = [within(allA, policy), within(allB, policy)];
      const expected = expectedFiles(policy);
      if (policy === "both") {
        const copies = [...fa.keys()].filter((p) => p.includes(".conflict-a-")).sort();
        assert.is(copies.length, 3, `conflict copies: ${[...fa.keys()]}`);
        assert.match(copies[0], /^bc\.conflict-a-\d{8}T\d{6}Z\.txt$/);
        assert.match(copies[1], /^fd\.conflict-a-\d{8}T\d{6}Z$/);
        assert.match(copies[2], /^fm\.conflict-a-\d{8}T\d{6}Z\.txt$/);
        expected.set(copies[0], A.bc);
        expected.set(copies[1], A.fd);
        expected.set(copies[2], A.fm);
      }
      assert.equal(Object.fromEntries(fa), Object.fromEntries(expected), `a after ${policy}`);
      assert.equal(Object.fromEntries(fb), Object.fromEntries(expected), `b after ${policy}`);
      // Nothing is lost: each loser's content is among its storage's versions of that path.
      const w = WINNER[policy];
      const kept = (side, list, path, content) =>
        assert.ok(
          list.some((v) => v.name.startsWith(`${policy}/${path}~`) && v.content === content),
          `${policy}: ${side}'s ${path} not kept as a version (versions: ${JSON.stringify(list.map((v) => v.name))})`,
        );
      if (w.bc === "a") kept("b", vb, "bc.txt", B.bc);
      else kept("a", va, "bc.txt", A.bc);
      if (w.md === "b") kept("a", va, "md.txt", A.md);
      if (w.fd === "a") kept("b", vb, "fd/inner.txt", B.fd);
      else kept("a", va, "fd", A.fd);
      if (w.fm === "a") kept("b", vb, "fm.txt", B.fm);
      else kept("a", va, "fm.txt", A.fm);
    }
  } finally {
    ws.cleanup();
  }
}

test("every policy on every conflict kind, loser kept as a version (naive)", () => everyPolicy("naive"));
test("every policy on every conflict kind, loser kept as a version (rsync)", () => everyPolicy("rsync"));
test("every policy on every conflict kind, loser kept as a version (naive, with an S3 storage)", () => everyPolicy("naive", { s3: true }));

test("--dry-run shows what each policy would do and changes nothing", async () => {
  const { ws, run } = await fourConflicts("dry");
  try {
    await run("container", "sync", "--one-shot", "box");
    const before = [snapshot(ws.path("a"), { tool: true }), snapshot(ws.path("b"), { tool: true })];
    for (const policy of Object.keys(WINNER)) {
      const r = await run("container", "sync", "--dry-run", "box", "--conflict-resolve", policy);
      assert.is(r.code, 0, r.stderr);
      const w = WINNER[policy];
      // A storage's name as the policy is said once: `keep a`, not `keep a (a)`.
      const kept = (path, side) => `would resolve ${path}: keep ${w[side]}${policy === w[side] ? ";" : ` (${policy})`}`;
      assert.ok(r.stdout.includes(kept("bc.txt", "bc")), `${policy}: ${r.stdout}`);
      assert.ok(r.stdout.includes(kept("md.txt", "md")), `${policy}: ${r.stdout}`);
      assert.ok(r.stdout.includes(kept("fd", "fd")), `${policy}: ${r.stdout}`);
      assert.ok(r.stdout.includes(kept("fm.txt", "fm")), `${policy}: ${r.stdout}`);
      if (policy === "both") assert.match(r.stdout, /would resolve bc\.txt: keep b \(both\); a's content kept as bc\.conflict-a-\d{8}T\d{6}Z\.txt on both/);
    }
    const resolveDry = await run("container", "resolve", "box", "--all", "--keep", "newer", "--dry-run");
    assert.is(resolveDry.code, 0, resolveDry.stderr);
    assert.match(resolveDry.stdout, /would resolve bc\.txt: keep b \(newer\)/);
    assert.equal([snapshot(ws.path("a"), { tool: true }), snapshot(ws.path("b"), { tool: true })], before, "a dry run changed something");
  } finally {
    ws.cleanup();
  }
});

test("a side changed since the conflict was shown stays in conflict (compare-and-swap), the others are settled", async () => {
  const { ws, run, b } = await fourConflicts("cas");
  try {
    assert.is((await run("container", "sync", "--one-shot", "box")).code, 1);
    await b.write("bc.txt", "b: changed again after it was shown", NEW + 10);
    const r = await run("container", "resolve", "box", "bc.txt", "fm.txt", "--keep", "a");
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /bc\.txt: changed on both sides \(a: changed since it was shown; left in conflict\)/);
    assert.match(r.stdout, /resolved fm\.txt: keep a; /);
    assert.is(readFileSync(ws.path("b", "bc.txt"), "utf8"), "b: changed again after it was shown");
    assert.is(readFileSync(ws.path("b", "fm.txt"), "utf8"), A.fm);
    // Not named: left alone.
    assert.ok(existsSync(ws.path("b", "fd", "inner.txt")));
    const usage = await run("container", "resolve", "box", "--keep", "a");
    assert.is(usage.code, 3);
    assert.match(usage.stderr, /name the conflicts to settle .* or settle all of them with --all/);
    const bad = await run("container", "resolve", "box", "--all", "--keep", "biggest");
    assert.is(bad.code, 3);
    assert.match(bad.stderr, /unknown conflict policy "biggest": use newer, older, larger, smaller, both, or a storage of the container \(a, b\)/);
    const noTty = await run("container", "resolve", "box");
    assert.is(noTty.code, 3);
    assert.match(noTty.stderr, /--keep POLICY is needed when not on a terminal/);
  } finally {
    ws.cleanup();
  }
});

test("first meeting of two full trees: conflicts settled in bulk; one-way --conflict-resolve SOURCE makes the target a copy of the source (--force alone settles nothing)", async () => {
  const ws = workspace("wl-resolve-meet-");
  try {
    for (const id of ["a", "b"]) mkdirSync(ws.path(id));
    writeFileSync(ws.path(".wlsyncrc"), JSON.stringify({ containers: { box: { storages: ["a", "b"].map((id) => ({ "backend-id": id, type: "local", path: `./${id}` })) } } }));
    for (let i = 0; i < 200; i++) {
      ws.write(`a/d${i % 7}/f${i}.txt`, `a copy of ${i}`);
      ws.write(`b/d${i % 7}/f${i}.txt`, `b's older copy of ${i}, longer`);
    }
    const oneWay = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--unidirectional"]);
    assert.is(oneWay.code, 1);
    assert.match(oneWay.stdout, /conflicts: 200/);
    const forcedOnly = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--unidirectional", "--force"]);
    assert.is(forcedOnly.code, 1, "--force passes gates, it settles no conflict");
    assert.match(forcedOnly.stdout, /conflicts: 200/);
    const forced = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--unidirectional", "--conflict-resolve", "a"]);
    assert.is(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /copy a → b: 200 files.*resolved: 200; conflicts: 0/);
    for (let i = 0; i < 200; i += 37) assert.is(readFileSync(ws.path(`b/d${i % 7}/f${i}.txt`), "utf8"), `a copy of ${i}`);
    const versions = JSON.parse((await wl(ws.dir, ["container", "versions", "box", "--json"])).stdout);
    assert.is(versions.filter((v) => v.storage === "b").length, 200, "every replaced file of b is kept as a version");
    const restored = await wl(ws.dir, ["container", "restore", "box", "d3/f3.txt"]);
    assert.is(restored.code, 0, restored.stderr);
    assert.is(readFileSync(ws.path("b/d3/f3.txt"), "utf8"), "b's older copy of 3, longer");
  } finally {
    ws.cleanup();
  }
});

test("interactive resolver on a terminal (script(1) pty): keep a, keep b, both, skip", async () => {
  if (spawnSync("script", ["--version"]).status !== 0) {
    console.log("[not run] interactive resolver: script(1) from util-linux is not installed, no pseudo-terminal to drive wl through");
    return;
  }
  const { ws, run } = await fourConflicts("tty");
  try {
    assert.is((await run("container", "sync", "--one-shot", "box")).code, 1);
    const answers = ["a", "2", "b", "s"]; // bc.txt, fd, fm.txt, md.txt (sorted by path)
    const child = spawn("script", ["-q", "-e", "-c", `${process.execPath} ${WL} container resolve box`, "/dev/null"], {
      cwd: ws.dir,
      env: { ...process.env, WLSYNC_STATE_DIR: ws.path(".state"), WLSYNC_DEBUG: "", XDG_RUNTIME_DIR: "", WLSYNC_SOCKET: "", TERM: "dumb" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let seen = "";
    let asked = 0;
    child.stdout.on("data", (d) => {
      seen += d;
      const prompts = (seen.match(/\(q\) quit\? /g) ?? []).length;
      while (asked < prompts && asked < answers.length) child.stdin.write(`${answers[asked++]}\r`);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const r = await collect(child);
    clearTimeout(timer);
    const shown = r.stdout.replace(/\r/g, "");
    assert.is(asked, 4, shown);
    assert.match(shown, /conflict 1 of 4: bc\.txt: changed on both sides\n {4}a: file, 33 B.*\n {4}b: file, 8 B.*\n {4}base: file, 7 B/);
    assert.match(shown, /keep \(a\) a, \(b\) b, \(2\) both, \(s\) skip, \(q\) quit\?/);
    assert.match(shown, /resolved bc\.txt: keep a; /);
    assert.match(shown, /resolved fd: keep b \(both\); a's content kept as fd\.conflict-a-\d{8}T\d{6}Z on both/);
    assert.match(shown, /resolved fm\.txt: keep b; /);
    assert.is(r.code, 1, "md.txt was skipped and stays in conflict");
    assert.is(readFileSync(ws.path("b", "bc.txt"), "utf8"), A.bc);
    assert.is(readFileSync(ws.path("a", "fm.txt"), "utf8"), B.fm);
    assert.ok(lstatSync(ws.path("a", "fd")).isDirectory());
    assert.ok(readdirSync(ws.path("b")).some((n) => /^fd\.conflict-a-/.test(n)));
    assert.ok(!existsSync(ws.path("b", "md.txt")), "skipped: b's deletion is not undone");
    const left = JSON.parse((await run("container", "list-conflicts", "box", "--json")).stdout);
    assert.equal(left[0].conflicts.map((c) => c.path), ["md.txt"]);
  } finally {
    ws.cleanup();
  }
});

test.run();
