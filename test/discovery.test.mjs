import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT, localConfig, wl, workspace } from "./helpers/wl.mjs";

const FIXTURES = join(ROOT, "test", "fixtures", "plugins");

/** A user's project with plugin packages installed in its node_modules. */
function project(...names) {
  const ws = workspace("wl-plugins-");
  for (const name of names) cpSync(join(FIXTURES, name), ws.path("node_modules", name), { recursive: true });
  return ws;
}

test("wl syncers --json lists naive with its traits", async () => {
  const ws = workspace();
  const r = await wl(ws.dir, ["syncers", "--json"]);
  assert.is(r.code, 0, r.stderr);
  const naive = JSON.parse(r.stdout).syncers.find((s) => s.name === "naive");
  assert.ok(naive, r.stdout);
  assert.is(naive.package, "@wlsync/syncer-naive");
  assert.equal(naive.traits, { SOURCE_TYPES: ["*"], TARGET_TYPES: ["*"], ONE_SHOT: true, CONTINUOUS: naive.traits.CONTINUOUS, UNIDIRECTIONAL: true, REQUIRES_MOUNT: false, DELTA_TRANSFER: "none" });
  ws.cleanup();
});

test("two local folders: the direct copier is the default, not rsync (its delta transfer pays only over a network); -v and wl syncers say why; --syncer rsync still forces it", async () => {
  const ws = workspace();
  localConfig(ws.dir);
  ws.write("a/x.txt", "x");
  const listed = JSON.parse((await wl(ws.dir, ["syncers", "--json"])).stdout).syncers;
  if (!listed.some((s) => s.name === "rsync")) console.log("[not run] local default over rsync: the rsync syncer is not installed");
  else {
    assert.is(listed.find((s) => s.name === "rsync").traits.DELTA_TRANSFER, "remote");
    const explained = await wl(ws.dir, ["syncers", "--container", "box", "--one-shot"]);
    assert.match(explained.stdout, /selection for box \(a → b\): naive/);
    assert.match(explained.stdout, /rsync: exact source and target types; ranked after direct copiers: both storages are folders on this machine/);
    let r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "-v"]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^syncer naive: accepts any types \(\*\) \(also eligible, ranked lower: rsync: .*delta transfer does not pay/m);
    assert.match(r.stdout, /\[naive, two-way/);
    assert.is(ws.read("b/x.txt"), "x");
    ws.write("a/y.txt", "y");
    r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "rsync", "--json"]);
    assert.is(r.code, 0, r.stderr);
    assert.is(JSON.parse(r.stdout).syncer, "rsync");
    assert.is(ws.read("b/y.txt"), "y");
  }
  ws.cleanup();
});

test("discovery finds packages installed in the project, scoped ones too, and reports broken ones", async () => {
  const ws = project("wl-syncer-fixture", "@acme/wl-syncer-scoped", "wl-syncer-throws", "wl-syncer-missing-dep", "wl-syncer-wrong-shape", "wl-syncer-no-events", "unrelated-package");
  const r = await wl(ws.dir, ["syncers", "--json"]);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const names = out.syncers.map((s) => s.name);
  assert.ok(names.includes("fixture") && names.includes("scoped") && names.includes("naive"), names.join());
  assert.is(out.syncers.find((s) => s.name === "fixture").version, "1.2.3");
  const reasons = Object.fromEntries(out.skipped.map((s) => [s.name, s.reason]));
  assert.match(reasons["wl-syncer-throws"], /failed to load: boom at import/);
  assert.match(reasons["wl-syncer-missing-dep"], /installed but broken: its dependency "left-pad-not-installed" is missing/);
  assert.match(reasons["wl-syncer-wrong-shape"], /wrong shape: static SYNCER_NAME is missing/);
  assert.match(reasons["wl-syncer-no-events"], /wrong shape: on\(\) is missing \(extend BaseSyncer/);
  assert.not.ok("unrelated-package" in reasons, "packages without the keyword are not even imported");
  const text = await wl(ws.dir, ["syncers"]);
  assert.match(text.stdout, /skipped:\n(.|\n)*wl-syncer-throws@0\.1\.0: failed to load/);
  ws.cleanup();
});

test("an installed syncer with exact types wins over naive; --syncer naive forces naive; broken plugins break nothing", async () => {
  const ws = project("wl-syncer-fixture", "wl-syncer-throws", "wl-syncer-wrong-shape");
  localConfig(ws.dir);
  ws.write("a/x.txt", "x");
  let r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--json"]);
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).syncer, "fixture");
  assert.ok(existsSync(ws.path("fixture-ran")));
  assert.is(ws.read("b/x.txt"), "x");
  r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive", "--json"]);
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).syncer, "naive");
  r = await wl(ws.dir, ["syncers", "--container", "box", "--one-shot"]);
  assert.match(r.stdout, /selection for box \(a → b\): fixture/);
  assert.match(r.stdout, /naive: accepts any types \(\*\), but fixture ranks higher/);
  ws.cleanup();
});

test("a forced syncer that cannot serve the pair or mode exits 3 with the reason", async () => {
  const ws = project("@acme/wl-syncer-scoped");
  localConfig(ws.dir);
  const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "scoped"]);
  assert.is(r.code, 3);
  assert.match(r.stderr, /syncer "scoped" cannot serve local → local \(one-shot two-way\): target type local not in TARGET_TYPES \[s3\]/);
  const oneWay = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive", "--unidirectional"]);
  assert.is(oneWay.code, 0, oneWay.stderr);
  ws.cleanup();
});

test("plugins.deny in the config keeps a package out; plugins.allow lets only the listed ones in", async () => {
  const ws = project("wl-syncer-fixture");
  localConfig(ws.dir, { extra: { plugins: { deny: ["wl-syncer-fixture"] } } });
  let r = await wl(ws.dir, ["syncers", "--json"]);
  let out = JSON.parse(r.stdout);
  assert.not.ok(out.syncers.some((s) => s.name === "fixture"));
  assert.match(out.skipped.find((s) => s.name === "wl-syncer-fixture").reason, /denied by plugins\.deny/);
  localConfig(ws.dir, { extra: { plugins: { allow: ["@wlsync/syncer-naive", "@wlsync/backend-local"] } } });
  r = await wl(ws.dir, ["syncers", "--json"]);
  out = JSON.parse(r.stdout);
  assert.equal(out.syncers.map((s) => s.name), ["naive"]);
  ws.cleanup();
});

test("the same package found twice (project and wl's own install) is listed once, the nearer copy winning", async () => {
  const ws = project();
  cpSync(join(ROOT, "packages", "syncer-naive"), ws.path("node_modules", "@wlsync", "syncer-naive"), { recursive: true, dereference: false, filter: (src) => !src.includes("node_modules") });
  // the copy has no node_modules of its own, so it cannot load @wlsync/plugin-api itself: it is the nearer one and reported
  const r = await wl(ws.dir, ["syncers", "--json"]);
  const out = JSON.parse(r.stdout);
  const copies = [...out.syncers, ...out.skipped].filter((s) => (s.package ?? s.name) === "@wlsync/syncer-naive");
  assert.is(copies.length, 1, JSON.stringify(copies));
  assert.ok(readFileSync(ws.path("node_modules/@wlsync/syncer-naive/package.json"), "utf8").includes("wildland.storage_sync"));
  ws.cleanup();
});

test("a syncer that declares its traits in package.json (wlsyncPlugin) is imported only when chosen or listed", async () => {
  const ws = project("wl-syncer-manifest-lazy");
  localConfig(ws.dir);
  ws.write("a/x.txt", "x");
  const env = { FIXTURE_MARKER_DIR: ws.dir };
  const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--json"], { env });
  assert.is(r.code, 0, r.stderr);
  assert.is(ws.read("b/x.txt"), "x");
  assert.not.ok(existsSync(ws.path("lazy-imported")), "a local pass read the s3-only syncer's traits from its package.json, without importing it");
  const listed = await wl(ws.dir, ["syncers", "--json"], { env });
  assert.ok(existsSync(ws.path("lazy-imported")), "wl syncers imports every plugin, to check it loads");
  assert.equal(JSON.parse(listed.stdout).syncers.find((s) => s.name === "lazy")?.traits.SOURCE_TYPES, ["s3"]);
  ws.cleanup();
});

test("a package whose wlsyncPlugin manifest disagrees with its class is refused: listed as skipped, and a pass falls back", async () => {
  const ws = project("wl-syncer-manifest-drift", "wl-syncer-manifest-bad");
  localConfig(ws.dir);
  ws.write("a/x.txt", "x");
  const listed = JSON.parse((await wl(ws.dir, ["syncers", "--json"])).stdout);
  const reasons = Object.fromEntries(listed.skipped.map((s) => [s.name, s.reason]));
  assert.match(reasons["wl-syncer-manifest-drift"], /package\.json wlsyncPlugin disagrees with its code: syncer "drift": TARGET_TYPES is \["s3"\] in the class but \["local"\] in wlsyncPlugin/);
  assert.match(reasons["wl-syncer-manifest-bad"], /package\.json: wlsyncPlugin\.syncers\[0\]\.ONE_SHOT must be a boolean/);
  assert.not.ok(listed.syncers.some((s) => s.name === "drift" || s.name === "bad"));
  // drift's manifest claims local → local exactly, so it ranks first; loading it shows the lie.
  const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"]);
  assert.is(r.code, 0, r.stderr);
  const auto = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--json"]);
  assert.is(auto.code, 0, auto.stderr);
  assert.match(auto.stderr, /syncer drift is unavailable \(its package wl-syncer-manifest-drift cannot be loaded: its package\.json wlsyncPlugin disagrees with its code/);
  assert.not.equal(JSON.parse(auto.stdout).syncer, "drift");
  const forced = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "drift"]);
  assert.is(forced.code, 3);
  assert.match(forced.stderr, /syncer "drift" cannot run here: its package wl-syncer-manifest-drift cannot be loaded/);
  ws.cleanup();
});

test("every built-in plugin's wlsyncPlugin manifest equals its classes' static traits (checkManifest)", async () => {
  const { checkManifest } = await import(join(ROOT, "packages", "plugin-api", "dist", "index.js"));
  const dirs = ["packages/syncer-naive", "packages/syncer-rsync", "packages/backend-local", "packages/backend-s3", "packages/backend-sftp", "examples/syncer-example"];
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8"));
    assert.ok(pkg.wlsyncPlugin, `${dir} declares wlsyncPlugin`);
    const mod = await import(join(ROOT, dir, pkg.main));
    const classes = [mod.default].filter(Boolean);
    const syncer = pkg.keywords.includes("wildland.storage_sync");
    assert.equal(checkManifest(pkg.wlsyncPlugin, syncer ? { syncers: classes } : { backends: classes }), [], dir);
    // and the check does catch a difference
    const tampered = structuredClone(pkg.wlsyncPlugin);
    if (syncer) tampered.syncers[0].ONE_SHOT = !tampered.syncers[0].ONE_SHOT;
    else tampered.backends[0].TYPE += "x";
    assert.is(checkManifest(tampered, syncer ? { syncers: classes } : { backends: classes }).length > 0, true, dir);
  }
});

test.run();
