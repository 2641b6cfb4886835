// Plugins as users get them: packed with `pnpm pack` (as publishing does), installed with npm
// into a project and into a global prefix next to a globally installed wl, then used by wl.
// Offline: nothing is fetched from a registry (the plugin API is installed from its tarball,
// core's own dependencies are borrowed from the workspace).
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BaseSyncer } from "@wlsync/plugin-api";
import { describeSyncer } from "@wlsync/plugin-api/testing";
import { LocalBackend } from "@wlsync/backend-local";
import { ROOT, localConfig, wl } from "./helpers/wl.mjs";

const exec = promisify(execFile);
const test = suite("plugins packed, npm-installed and found by wl");

/** The environment without the npm_config_* variables `pnpm test` sets for its scripts. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
const NPM_OFFLINE = ["--offline", "--no-audit", "--no-fund", "--legacy-peer-deps", "--loglevel=error"];
let T; // everything lives under this temporary folder (npm's cache too)
const npm = (args, cwd) => exec("npm", args, { cwd, env: { ...cleanEnv, npm_config_update_notifier: "false", npm_config_cache: join(T, "npm-cache") } });

const tgz = {}; // tarballs by short name
let project; // a user's project, plugins npm-installed into its node_modules
let globalModules; // <prefix>/lib/node_modules of a global install
let globalWl; // <prefix>/bin/wl

const EXAMPLE = "@wlsync/syncer-example";
const unpack = async (tarball, dest) => {
  mkdirSync(dest, { recursive: true });
  await exec("tar", ["xzf", tarball, "-C", dest, "--strip-components=1"]);
};
/** core as npm would unpack it; its dependencies (ajv, better-sqlite3...) borrowed from the workspace. */
const unpackCore = async (dest) => {
  await unpack(tgz.core, dest);
  symlinkSync(join(ROOT, "packages", "core", "node_modules"), join(dest, "node_modules"));
};
const json = (r) => {
  assert.is(r.code, 0, `wl exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return JSON.parse(r.stdout);
};
const syncerOf = (out, name) => out.syncers.find((s) => s.name === name);

test.before(async () => {
  T = realpathSync(mkdtempSync(join(tmpdir(), "wl-e2e-plugins-")));
  const out = join(T, "tarballs");
  mkdirSync(out);
  await Promise.all([
    ...["packages/plugin-api", "packages/core", "packages/backend-local", "packages/syncer-naive", "examples/syncer-example"].map((dir) =>
      exec("pnpm", ["pack", "--pack-destination", out], { cwd: join(ROOT, dir), env: cleanEnv }),
    ),
    ...["wl-syncer-throws", "wl-syncer-wrong-shape"].map((name) => npm(["pack", "--pack-destination", out, "--loglevel=error"], join(ROOT, "test", "fixtures", "plugins", name))),
  ]);
  const files = readdirSync(out);
  const find = (prefix) => join(out, files.find((f) => f.startsWith(prefix)) ?? assert.unreachable(`no ${prefix}*.tgz in ${files.join(", ")}`));
  Object.assign(tgz, {
    api: find("wlsync-plugin-api-"),
    core: find("wlsync-core-"),
    local: find("wlsync-backend-local-"),
    naive: find("wlsync-syncer-naive-"),
    example: find("wlsync-syncer-example-"),
    throws: find("wl-syncer-throws-"),
    wrongShape: find("wl-syncer-wrong-shape-"),
  });

  project = join(T, "project");
  mkdirSync(project);
  const prefix = join(T, "global");
  await Promise.all([
    npm(["init", "-y"], project).then(() => npm(["install", ...NPM_OFFLINE, tgz.api, tgz.example, tgz.throws, tgz.wrongShape], project)),
    npm(["install", "-g", "--prefix", prefix, ...NPM_OFFLINE, tgz.api, tgz.example, tgz.throws], T),
  ]);
  // wl itself, installed globally: core with its bin shim, and the built-in plugins beside it.
  globalModules = join(prefix, "lib", "node_modules");
  await unpackCore(join(globalModules, "@wlsync", "core"));
  await unpack(tgz.local, join(globalModules, "@wlsync", "backend-local"));
  await unpack(tgz.naive, join(globalModules, "@wlsync", "syncer-naive"));
  mkdirSync(join(prefix, "bin"), { recursive: true });
  symlinkSync("../lib/node_modules/@wlsync/core/bin/wl.js", join(prefix, "bin", "wl"));
  globalWl = join(prefix, "bin", "wl");
});

test.after(() => {
  if (T) rmSync(T, { recursive: true, force: true });
});

test("npm-installed into a project, the scoped example is found from the project and its subfolders; broken neighbours are reported", async () => {
  const deep = join(project, "src", "deeper");
  mkdirSync(deep, { recursive: true });
  for (const cwd of [project, deep]) {
    const r = await wl(cwd, ["syncers", "--json", "--debug"]);
    const out = json(r);
    const example = syncerOf(out, "example");
    assert.ok(example, `example not found from ${cwd}: ${r.stdout}`);
    assert.is(example.package, EXAMPLE);
    assert.is(example.version, "0.1.0");
    assert.is(example.path, join(project, "node_modules", "@wlsync", "syncer-example"));
    assert.equal(example.traits, { SOURCE_TYPES: ["local"], TARGET_TYPES: ["local"], ONE_SHOT: true, CONTINUOUS: true, UNIDIRECTIONAL: false, REQUIRES_MOUNT: false, DELTA_TRANSFER: "none" });
    assert.ok(syncerOf(out, "naive"), "naive (installed with wl) is still there");
    const reasons = Object.fromEntries(out.skipped.map((s) => [s.name, s.reason]));
    assert.match(reasons["wl-syncer-throws"], /failed to load: boom at import/);
    assert.match(reasons["wl-syncer-wrong-shape"], /wrong shape: static SYNCER_NAME is missing/);
    assert.not.ok(EXAMPLE in reasons, `the example was skipped: ${reasons[EXAMPLE]}`);
    // The example depends on the plugin API alone: npm installed it beside the plugin, and no
    // host (@wlsync/core, better-sqlite3) next to it; wl has nothing to provide.
    assert.ok(existsSync(join(project, "node_modules", "@wlsync", "plugin-api", "package.json")));
    assert.not.ok(existsSync(join(project, "node_modules", "@wlsync", "core")), "npm installed the host beside the plugin");
    assert.not.ok(existsSync(join(project, "node_modules", "better-sqlite3")), "npm installed better-sqlite3 beside the plugin");
    assert.not.match(r.stderr, /wl provides its own/);
  }
});

test("selected by its traits: exact local types beat naive for one-shot two-way; one-way falls back to naive; wl syncers --container says why", async () => {
  localConfig(project);
  let sel = json(await wl(project, ["syncers", "--container", "box", "--one-shot", "--json"])).selection;
  assert.is(sel.chosen, "example");
  assert.match(sel.syncers.find((s) => s.name === "naive").reason, /accepts any types \(\*\), but example ranks higher/);
  sel = json(await wl(project, ["syncers", "--container", "box", "--one-shot", "--unidirectional", "--json"])).selection;
  // the next best that can go one way: rsync (exact types) where it is installed, else naive
  const oneWay = sel.chosen;
  assert.ok(oneWay === "rsync" || oneWay === "naive", `one-way chose ${oneWay}`);
  assert.is(sel.syncers.find((s) => s.name === "example").reason, "cannot sync one way (UNIDIRECTIONAL is false)");

  writeFileSync(join(project, "a", "two-way.txt"), "x");
  writeFileSync(join(project, "b", "from-b.txt"), "y");
  let result = json(await wl(project, ["container", "sync", "--one-shot", "box", "--json"]));
  assert.is(result.syncer, "example");
  assert.is(result.counters.copiedToTarget, 1);
  assert.is(result.counters.copiedToSource, 1);
  writeFileSync(join(project, "a", "one-way.txt"), "z");
  result = json(await wl(project, ["container", "sync", "--one-shot", "box", "--unidirectional", "--json"]));
  assert.is(result.syncer, oneWay);
  assert.is(result.counters.copiedToTarget, 1);
});

test("forced by its SYNCER_NAME: --syncer beats syncer: in the config; forced where its traits say no, wl exits 3 and says why", async () => {
  localConfig(project, { extra: { syncer: "naive" } });
  assert.is(json(await wl(project, ["container", "sync", "--one-shot", "box", "--json"])).syncer, "naive");
  assert.is(json(await wl(project, ["container", "sync", "--one-shot", "box", "--syncer", "example", "--json"])).syncer, "example");
  localConfig(project, { container: { syncer: "example" }, extra: { syncer: "naive" } });
  assert.is(json(await wl(project, ["container", "sync", "--one-shot", "box", "--json"])).syncer, "example", "the container's syncer: beats the file's");
  const refused = await wl(project, ["container", "sync", "--one-shot", "box", "--syncer", "example", "--unidirectional"]);
  assert.is(refused.code, 3);
  assert.match(refused.stderr, /syncer "example" cannot serve local → local \(one-shot one-way\): cannot sync one way/);
  localConfig(project, { extra: { plugins: { deny: [EXAMPLE] } } });
  const denied = await wl(project, ["container", "sync", "--one-shot", "box", "--syncer", "example"]);
  assert.is(denied.code, 3, "a denied plugin cannot be forced");
  assert.match(denied.stderr, /no syncer named "example" is installed/);
  localConfig(project);
});

test("on its own copy of @wlsync/plugin-api (not wl's), it works: wl checks shapes and error codes, not instanceof", async () => {
  const pluginRequire = createRequire(join(project, "node_modules", "@wlsync", "syncer-example", "package.json"));
  const own = join(project, "node_modules", "@wlsync", "plugin-api");
  assert.ok(pluginRequire.resolve("@wlsync/plugin-api").startsWith(own), "the plugin should resolve the project's plugin API");
  writeFileSync(join(project, "a", "own-api.txt"), "own");
  const r = await wl(project, ["container", "sync", "--one-shot", "box", "--json", "--debug"]);
  assert.is(json(r).syncer, "example");
  assert.not.match(r.stderr, /wl provides its own/, "the plugin's own plugin API should be used");
  assert.is(readFileSync(join(project, "b", "own-api.txt"), "utf8"), "own");
});

test("a plugin that cannot resolve @wlsync/plugin-api (copied without its node_modules) gets wl's copy", async () => {
  const bare = join(T, "bare");
  mkdirSync(join(bare, "node_modules", "@wlsync"), { recursive: true });
  await unpack(tgz.example, join(bare, "node_modules", "@wlsync", "syncer-example"));
  writeFileSync(join(bare, "package.json"), "{}");
  localConfig(bare);
  writeFileSync(join(bare, "a", "bare.txt"), "bare");
  const r = await wl(bare, ["container", "sync", "--one-shot", "box", "--json", "--debug"]);
  assert.is(json(r).syncer, "example");
  assert.match(r.stderr, /wl provides its own @wlsync\/plugin-api to @wlsync\/syncer-example/);
  assert.is(readFileSync(join(bare, "b", "bare.txt"), "utf8"), "bare");
});

test("the installed example, on its own copy of the plugin API, passes the conformance kit of this repository", async () => {
  const entry = join(project, "node_modules", "@wlsync", "syncer-example", "dist", "index.js");
  const { default: Installed } = await import(pathToFileURL(entry).href);
  assert.is.not(Object.getPrototypeOf(Installed), BaseSyncer, "expected a BaseSyncer from another copy of the plugin API");
  const cases = [];
  describeSyncer(Installed, { suite: (name, fn) => cases.push({ name, fn }), backend: (h) => new LocalBackend(h.context({ type: "local", path: h.dir })) });
  assert.ok(cases.length >= 15, `only ${cases.length} kit tests registered`);
  const failures = [];
  for (const c of cases) await c.fn().catch((err) => failures.push(`${c.name}: ${err.message.split("\n")[0]}`));
  assert.equal(failures, []);
});

test("installed globally next to a global wl: found from any folder and used; broken global packages are reported; a project's copy wins", async () => {
  const elsewhere = join(T, "elsewhere");
  mkdirSync(elsewhere);
  const out = json(await wl(elsewhere, ["syncers", "--json"], { bin: globalWl }));
  const example = syncerOf(out, "example");
  assert.ok(example, `example not found next to the global wl: ${JSON.stringify(out)}`);
  assert.is(example.path, join(globalModules, "@wlsync", "syncer-example"));
  assert.is(syncerOf(out, "naive").path, join(globalModules, "@wlsync", "syncer-naive"));
  assert.is(out.backends.find((b) => b.type === "local").path, join(globalModules, "@wlsync", "backend-local"));
  for (const found of [...out.syncers, ...out.backends]) assert.ok(found.path.startsWith(T), `${found.path} does not come from the global install`);
  assert.match(out.skipped.find((s) => s.name === "wl-syncer-throws")?.reason ?? "", /failed to load: boom at import/);

  localConfig(elsewhere);
  writeFileSync(join(elsewhere, "a", "g.txt"), "global");
  const result = json(await wl(elsewhere, ["container", "sync", "--one-shot", "box", "--json"], { bin: globalWl }));
  assert.is(result.syncer, "example");
  assert.is(readFileSync(join(elsewhere, "b", "g.txt"), "utf8"), "global");

  const both = json(await wl(project, ["syncers", "--json"], { bin: globalWl }));
  const copies = both.syncers.filter((s) => s.package === EXAMPLE);
  assert.is(copies.length, 1, "the same package found twice must be listed once");
  assert.is(copies[0].path, join(project, "node_modules", "@wlsync", "syncer-example"), "the project's copy is nearer and wins");
  assert.not.ok(both.skipped.some((s) => s.name === EXAMPLE), "the farther copy is not reported as a problem");
});

test.run();
