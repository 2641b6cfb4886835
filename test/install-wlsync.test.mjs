// `npm install -g wlsync` as a user runs it: every package of this repository packed with
// `pnpm pack` (as publishing does), served with the third-party packages they need by a
// registry on 127.0.0.1 (test/helpers/local-registry.mjs), installed by npm into a temporary
// global prefix. Nothing comes from the internet. Then the installed `wl` is used.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { dependencyClosure, startRegistry, tarFolder } from "./helpers/local-registry.mjs";
import { ROOT, localConfig, wl } from "./helpers/wl.mjs";

const exec = promisify(execFile);
const test = suite("npm install -g wlsync, offline, from packed tarballs");

const OWN = ["plugin-api", "core", "backend-local", "backend-s3", "syncer-naive", "syncer-rsync", "wlsync"];
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
let T;
let registry;
let prefix;
let globalWl;

const lap = (what, since) => console.log(`  [install] ${what}: ${((Date.now() - since) / 1000).toFixed(1)} s`);

test.before(async () => {
  let t0 = Date.now();
  T = realpathSync(mkdtempSync(join(tmpdir(), "wl-e2e-install-")));
  const tarballs = join(T, "tarballs");
  mkdirSync(tarballs);
  // One pnpm process packs them all (six `pnpm pack` processes take several times as long).
  const filters = OWN.flatMap((p) => ["--filter", p === "wlsync" ? p : `@wlsync/${p}`]);
  await exec("pnpm", ["-r", ...filters, "pack", "--pack-destination", tarballs], { cwd: ROOT, env: cleanEnv });
  lap(`pnpm pack of ${OWN.length} packages`, t0);
  t0 = Date.now();
  const third = dependencyClosure(
    OWN.map((p) => join(ROOT, "packages", p)),
    (name) => name === "wlsync" || name.startsWith("@wlsync/"),
  );
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  for (let i = 0; i < third.length; i += 8) {
    await Promise.all(
      third.slice(i, i + 8).map(async ({ dir, manifest }, j) => {
        const out = join(tarballs, `dep-${i + j}.tgz`);
        await tarFolder(dir, out);
        files.push(out);
      }),
    );
  }
  lap(`tar of ${third.length} third-party packages`, t0);
  t0 = Date.now();
  registry = await startRegistry(files, join(T, "registry"));
  prefix = join(T, "prefix");
  // --ignore-scripts: better-sqlite3's install script would download a prebuilt binary; the
  // tarball taken from the workspace already holds the one built for this machine.
  await exec(
    "npm",
    ["install", "-g", "--prefix", prefix, "--registry", registry.url, "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", "wlsync"],
    { cwd: T, env: { ...cleanEnv, npm_config_cache: join(T, "npm-cache"), npm_config_update_notifier: "false" }, maxBuffer: 1 << 24 },
  );
  lap("npm install -g wlsync", t0);
  globalWl = join(prefix, "bin", "wl");
});

test.after(async () => {
  await registry?.close();
  if (T && !process.env.WLSYNC_TEST_KEEP) rmSync(T, { recursive: true, force: true });
});

test("wl --version names wlsync, core and every built-in plugin; bare wl prints help and exits 0", async () => {
  const elsewhere = join(T, "elsewhere");
  mkdirSync(elsewhere);
  const v = await wl(elsewhere, ["--version"], { bin: globalWl });
  assert.is(v.code, 0, v.stderr);
  for (const line of [
    /^wlsync 0\.1\.0$/m,
    /^@wlsync\/core 0\.1\.0$/m,
    /^@wlsync\/backend-local 0\.1\.0 \(backend local\)$/m,
    /^@wlsync\/backend-s3 0\.1\.0 \(backend s3\)$/m,
    /^@wlsync\/syncer-naive 0\.1\.0 \(syncer naive\)$/m,
    /^@wlsync\/syncer-rsync 0\.1\.0 \(syncer rsync\)$/m,
  ])
    assert.match(v.stdout, line);
  assert.not.match(v.stdout, /skipped/, v.stdout);
  const bare = await wl(elsewhere, [], { bin: globalWl });
  assert.is(bare.code, 0);
  assert.match(bare.stdout, /Usage: wl/);
  assert.match(bare.stdout, /Examples:/);
});

test("every plugin comes from the global install, with one copy of core (one native better-sqlite3)", async () => {
  const elsewhere = join(T, "elsewhere");
  const r = await wl(elsewhere, ["syncers", "--json"], { bin: globalWl });
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.syncers.map((s) => s.name).sort(), ["naive", "rsync"]);
  assert.equal(out.backends.map((b) => b.type).sort(), ["local", "s3"]);
  for (const found of [...out.syncers, ...out.backends]) assert.ok(found.path.startsWith(prefix), `${found.path} is not from the global install`);
  assert.equal(out.skipped, []);
  const { stdout } = await exec("find", [prefix, "-type", "d", "(", "-name", "better-sqlite3", "-o", "-name", "core", ")", "-path", "*/node_modules/*"]);
  const copies = stdout.trim().split("\n").filter((d) => existsSync(join(d, "package.json")));
  assert.is(copies.filter((d) => d.endsWith("/better-sqlite3")).length, 1, `better-sqlite3 copies: ${copies.join(", ")}`);
  assert.is(copies.filter((d) => d.endsWith("/@wlsync/core")).length, 1, `core copies: ${copies.join(", ")}`);
});

test("the installed wl syncs: rsync and naive between local folders, byte for byte", async () => {
  const dir = join(T, "project");
  mkdirSync(dir);
  localConfig(dir);
  writeFileSync(join(dir, "a", "hello.txt"), "hello from the global install");
  for (const syncer of ["rsync", "naive"]) {
    writeFileSync(join(dir, "a", `${syncer}.txt`), syncer);
    const r = await wl(dir, ["container", "sync", "--one-shot", "--syncer", syncer, "box", "--json"], { bin: globalWl });
    assert.is(r.code, 0, r.stderr);
    assert.is(JSON.parse(r.stdout).syncer, syncer);
    assert.is(readFileSync(join(dir, "b", `${syncer}.txt`), "utf8"), syncer);
  }
  assert.is(readFileSync(join(dir, "b", "hello.txt"), "utf8"), "hello from the global install");
});

test("the man page is installed where man finds it, and completion scripts come with the command", async () => {
  const page = join(prefix, "share", "man", "man1", "wl.1");
  assert.ok(existsSync(page), "no share/man/man1/wl.1 in the prefix");
  assert.match(readFileSync(page, "utf8"), /^\.TH WL 1 /);
  assert.match(readFileSync(page, "utf8"), /container sync/);
  const bash = await wl(T, ["completion", "bash"], { bin: globalWl });
  assert.is(bash.code, 0);
  assert.match(bash.stdout, /complete -o default -F _wl_complete wl/);
});

test.run();
